package io.stockrecon.drift;

import org.springframework.batch.core.job.parameters.JobParameters;

import io.stockrecon.JobParameterNames;

/**
 * What a verify execution may change, from its job parameters.
 *
 * @param dryRun report only: change nothing in Redis
 * @param deleteOrphans delete keys whose product does not exist
 */
public record VerifyMode(boolean dryRun, boolean deleteOrphans) {

	/** The mode of an execution with these parameters. */
	public static VerifyMode of(JobParameters parameters) {
		return new VerifyMode(Boolean.parseBoolean(parameters.getString(JobParameterNames.DRY_RUN, "false")),
				Boolean.parseBoolean(parameters.getString(JobParameterNames.DELETE_ORPHANS, "false")));
	}

}
