package io.stockrecon.cli;

/**
 * The application could not start; the message is the paragraph to print, and the process
 * exits with {@link ExitCode#USAGE}.
 */
class StartupFailedException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	StartupFailedException(String paragraph, Throwable cause) {
		super(paragraph, cause);
	}

}
