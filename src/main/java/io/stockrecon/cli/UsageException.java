package io.stockrecon.cli;

/**
 * The command line or the configuration is wrong; the message tells the operator what to
 * fix, and the process exits with {@link ExitCode#USAGE}.
 */
public class UsageException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public UsageException(String message) {
		super(message);
	}

	public UsageException(String message, Throwable cause) {
		super(message, cause);
	}

}
