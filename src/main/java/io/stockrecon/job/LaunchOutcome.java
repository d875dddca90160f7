package io.stockrecon.job;

import org.springframework.batch.core.job.JobExecution;

/**
 * What a launch of the nightly job came to. The command line turns it into an exit code.
 */
public sealed interface LaunchOutcome {

	/** The job ran; its execution says whether it completed. */
	record Ran(JobExecution execution) implements LaunchOutcome {

	}

	/** The run date had completed already, so nothing ran. */
	record AlreadyCompleted(long executionId) implements LaunchOutcome {

	}

	/**
	 * Nothing ran: another execution holds the launch lock, or there is nothing to
	 * restart.
	 */
	record Refused(String reason) implements LaunchOutcome {

	}

}
