package io.stockrecon.support;

import java.util.List;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;

import io.stockrecon.scale.PartitionedSteps;

/**
 * The step executions of a job execution, as tests look them up.
 */
public final class JobSteps {

	private JobSteps() {
	}

	/**
	 * The execution of the step of that name (the first, for a name that repeats).
	 * @throws java.util.NoSuchElementException when the job did not run it
	 */
	public static StepExecution named(JobExecution execution, String stepName) {
		return execution.getStepExecutions()
			.stream()
			.filter((step) -> step.getStepName().equals(stepName))
			.findFirst()
			.orElseThrow();
	}

	/** The executions of a partitioned worker step's partitions. */
	public static List<StepExecution> partitionsOf(JobExecution execution, String workerStep) {
		return execution.getStepExecutions()
			.stream()
			.filter((step) -> PartitionedSteps.isPartitionOf(workerStep, step.getStepName()))
			.toList();
	}

}
