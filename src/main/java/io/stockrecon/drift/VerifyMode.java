package io.stockrecon.drift;

import org.springframework.batch.core.job.parameters.JobParameters;

/**
 * What a verify execution may change, from its job parameters.
 *
 * @param dryRun report only: change nothing in Redis
 * @param deleteOrphans delete keys whose product does not exist
 */
public record VerifyMode(boolean dryRun, boolean deleteOrphans) {

	public static final String DRY_RUN = "dry.run";

	public static final String DELETE_ORPHANS = "delete.orphans";

	static VerifyMode of(JobParameters parameters) {
		return new VerifyMode(Boolean.parseBoolean(parameters.getString(DRY_RUN, "false")),
				Boolean.parseBoolean(parameters.getString(DELETE_ORPHANS, "false")));
	}

}
