package io.stockrecon.support;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;

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

}
