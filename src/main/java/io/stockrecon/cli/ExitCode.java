package io.stockrecon.cli;

/**
 * The exit codes schedulers and runbooks rely on. Keep them stable.
 */
public final class ExitCode {

	/** The job completed (or the run date had completed already). */
	public static final int COMPLETED = 0;

	/** The job failed or stopped: look at {@code history}, then {@code restart}. */
	public static final int FAILED = 1;

	/** A usage or configuration error: the message says what to fix. */
	public static final int USAGE = 2;

	/** Refused: another execution is running, or there is nothing to restart. */
	public static final int REFUSED = 3;

	/** {@code verify --dry-run --fail-on-drift} found drift: for monitoring. */
	public static final int DRIFT_FOUND = 4;

	/**
	 * The JVM was sent SIGTERM (128 + 15): set by the JVM as it ends, not by stockrecon.
	 * The execution it ran stays {@code STARTED}, for {@code restart}.
	 */
	public static final int TERMINATED = 143;

	private ExitCode() {
	}

}
