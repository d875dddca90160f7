package io.stockrecon.job;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.stockrecon.restore.RestoreStepsConfiguration;
import io.stockrecon.stock.StockStoresConfiguration;

/**
 * The nightly job, and the only place that knows the order of its steps:
 * <ol>
 * <li>{@code queueCancelledHistory}: with {@code --full-scan}, queue every cancelled
 * order the ledger does not know (otherwise it does nothing);</li>
 * <li>{@code restoreCancelledOrders} and {@code restoreDeletedOrders}: restore stock in
 * PostgreSQL, exactly once, and queue the units for Redis;</li>
 * <li>{@code publishRestoredUnits}: deliver the queued units to the Redis counters;</li>
 * <li>the verify step comes last (its own issue).</li>
 * </ol>
 */
@Configuration(proxyBeanMethods = false)
public class NightlyJobConfiguration {

	public static final String JOB_NAME = "stockrecon";

	@Bean(JOB_NAME)
	Job stockrecon(JobRepository jobRepository,
			@Qualifier(RestoreStepsConfiguration.FULL_SCAN_STEP) Step queueCancelledHistory,
			@Qualifier(RestoreStepsConfiguration.CANCELLED_STEP) Step restoreCancelledOrders,
			@Qualifier(RestoreStepsConfiguration.DELETED_STEP) Step restoreDeletedOrders,
			@Qualifier(StockStoresConfiguration.PUBLISH_STEP) Step publishRestoredUnits) {
		return new JobBuilder(JOB_NAME, jobRepository).start(queueCancelledHistory)
			.next(restoreCancelledOrders)
			.next(restoreDeletedOrders)
			.next(publishRestoredUnits)
			.build();
	}

}
