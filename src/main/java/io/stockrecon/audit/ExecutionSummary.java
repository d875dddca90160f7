package io.stockrecon.audit;

import java.util.List;

/**
 * One execution, as {@code history} lists it.
 *
 * @param executionId the job execution
 * @param job the job's name
 * @param runDate the run date, for the nightly job
 * @param status Spring Batch's status
 * @param exitCode Spring Batch's exit code
 * @param startTime when it started (the job repository's local time)
 * @param endTime when it ended, or {@code null} while it runs
 * @param durationSeconds how long it ran, or ran so far
 * @param steps its steps
 * @param restoredOrders orders restored by this execution
 * @param restoredUnits units restored by this execution
 * @param skippedItems items skipped by this execution
 * @param driftFound drift confirmed on the second look (repaired or reported)
 * @param driftRepaired counters repaired
 */
public record ExecutionSummary(long executionId, String job, String runDate, String status, String exitCode,
		String startTime, String endTime, double durationSeconds, List<StepSummary> steps, long restoredOrders,
		long restoredUnits, long skippedItems, long driftFound, long driftRepaired) {

	/**
	 * One step of an execution.
	 *
	 * @param name the step
	 * @param status its status
	 * @param read items read
	 * @param written items written
	 * @param filtered items filtered
	 * @param skipped items skipped
	 * @param durationSeconds how long it ran
	 */
	public record StepSummary(String name, String status, long read, long written, long filtered, long skipped,
			double durationSeconds) {

	}

}
