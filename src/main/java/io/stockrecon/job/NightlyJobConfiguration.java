package io.stockrecon.job;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.FlowBuilder;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.flow.Flow;
import org.springframework.batch.core.job.flow.FlowExecutionStatus;
import org.springframework.batch.core.job.flow.JobExecutionDecider;
import org.springframework.batch.core.job.flow.support.SimpleFlow;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

import io.stockrecon.audit.RunMetrics;
import io.stockrecon.drift.VerifyMode;
import io.stockrecon.drift.VerifyStepsConfiguration;
import io.stockrecon.restore.RestoreStepsConfiguration;

/**
 * The nightly job, and the only place that knows the order of its steps:
 * <ol>
 * <li>{@code queueCancelledHistory}: with {@code --full-scan}, queue every cancelled
 * order the ledger does not know (otherwise it does nothing);</li>
 * <li>{@code restoreCancelledOrders} and {@code restoreDeletedOrders}: restore stock in
 * PostgreSQL, exactly once, and queue the units for Redis;</li>
 * <li>{@code publishRestoredUnits}: deliver the queued units to the Redis counters;</li>
 * <li>{@code findDrift} beside {@code findOrphanCounters}, then {@code repairDrift}:
 * verify every counter against PostgreSQL and repair the drift that persists.</li>
 * </ol>
 * The {@code verify} command runs the same publish and verify steps alone, and
 * {@code verify --dry-run} the verify steps alone.
 */
@Configuration(proxyBeanMethods = false)
public class NightlyJobConfiguration {

	public static final String JOB_NAME = "stockrecon";

	public static final String VERIFY_JOB_NAME = "stockrecon-verify";

	private static final FlowExecutionStatus PUBLISH = new FlowExecutionStatus("PUBLISH");

	private static final FlowExecutionStatus DRY_RUN = new FlowExecutionStatus("DRY_RUN");

	@Bean(JOB_NAME)
	Job stockrecon(JobRepository jobRepository, RunMetrics runMetrics,
			@Qualifier(RestoreStepsConfiguration.FULL_SCAN_STEP) Step queueCancelledHistory,
			@Qualifier(RestoreStepsConfiguration.CANCELLED_STEP) Step restoreCancelledOrders,
			@Qualifier(RestoreStepsConfiguration.DELETED_STEP) Step restoreDeletedOrders,
			@Qualifier(RestoreStepsConfiguration.PUBLISH_STEP) Step publishRestoredUnits,
			@Qualifier(VerifyStepsConfiguration.FIND_STEP) Step findDrift,
			@Qualifier(VerifyStepsConfiguration.ORPHANS_STEP) Step findOrphanCounters,
			@Qualifier(VerifyStepsConfiguration.REPAIR_STEP) Step repairDrift) {
		return new JobBuilder(JOB_NAME, jobRepository).flow(queueCancelledHistory)
			.next(restoreCancelledOrders)
			.next(restoreDeletedOrders)
			.next(publishRestoredUnits)
			.next(verifySteps(findDrift, findOrphanCounters, repairDrift))
			.end()
			.listener(runMetrics)
			.build();
	}

	/**
	 * Verify alone. It publishes pending restored units first: repairing a counter to
	 * PostgreSQL's value while its units still wait in the outbox would add them twice. A
	 * dry run changes nothing in Redis, so it has no publish step: it goes straight to
	 * the verify steps, and the units that still wait show in its summary.
	 */
	@Bean(VERIFY_JOB_NAME)
	Job stockreconVerify(JobRepository jobRepository, RunMetrics runMetrics,
			@Qualifier(RestoreStepsConfiguration.PUBLISH_STEP) Step publishRestoredUnits,
			@Qualifier(VerifyStepsConfiguration.FIND_STEP) Step findDrift,
			@Qualifier(VerifyStepsConfiguration.ORPHANS_STEP) Step findOrphanCounters,
			@Qualifier(VerifyStepsConfiguration.REPAIR_STEP) Step repairDrift) {
		Flow verifySteps = verifySteps(findDrift, findOrphanCounters, repairDrift);
		JobExecutionDecider publishUnlessDryRun = NightlyJobConfiguration::publishUnlessDryRun;
		return new JobBuilder(VERIFY_JOB_NAME, jobRepository).start(publishUnlessDryRun)
			.on(DRY_RUN.getName())
			.to(verifySteps)
			.from(publishUnlessDryRun)
			.on(PUBLISH.getName())
			.to(publishRestoredUnits)
			.next(verifySteps)
			.end()
			.listener(runMetrics)
			.build();
	}

	/**
	 * The first look and the orphan scan run side by side: one walks the stock table and
	 * reads the counters of its keys; the other walks Redis's keyspace, or, when it can
	 * rule orphans out by counting the keys, waits for the first look (of the same job
	 * execution) and sums the counters it found. The second look, which repairs, waits
	 * for both.
	 */
	private static Flow verifySteps(Step findDrift, Step findOrphanCounters, Step repairDrift) {
		Flow firstLook = new FlowBuilder<SimpleFlow>("firstLook").start(findDrift).build();
		Flow orphanScan = new FlowBuilder<SimpleFlow>("orphanScan").start(findOrphanCounters).build();
		return new FlowBuilder<SimpleFlow>("verifySteps").split(new SimpleAsyncTaskExecutor("verify-"))
			.add(firstLook, orphanScan)
			.next(repairDrift)
			.build();
	}

	private static FlowExecutionStatus publishUnlessDryRun(JobExecution execution, StepExecution lastStep) {
		return VerifyMode.of(execution.getJobParameters()).dryRun() ? DRY_RUN : PUBLISH;
	}

}
