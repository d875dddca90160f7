package io.stockrecon.job;

import java.time.LocalDateTime;
import java.util.Comparator;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Repairs what a dead or cut-off process left in Spring Batch's records, so that the next
 * launch neither stays refused nor needs someone to edit {@code BATCH_*} rows by hand.
 * <p>
 * Only call it while holding the {@link LaunchLock}: the lock proves that no other
 * process runs the jobs, so whatever the records still show as running or undecided is
 * stale. Spring Batch itself cannot tell a dead JVM from a live one (spring-batch #1529),
 * which is why it leaves these three repairs to its users.
 */
class StaleExecutionRecovery {

	private static final Logger logger = LoggerFactory.getLogger(StaleExecutionRecovery.class);

	/**
	 * Executions Spring Batch could not finish recording, last of their job instance:
	 * they block both a restart and a new run of their date. The job repository has no
	 * query by status, hence the SQL.
	 */
	private static final String LAST_UNKNOWN_EXECUTIONS = """
			SELECT e.job_execution_id FROM batch_job_execution e JOIN batch_job_instance i USING (job_instance_id)
			WHERE i.job_name IN (:jobNames) AND e.status = 'UNKNOWN'
			  AND e.job_execution_id = (SELECT max(l.job_execution_id) FROM batch_job_execution l
			                            WHERE l.job_instance_id = e.job_instance_id)
			ORDER BY e.job_execution_id
			""";

	/**
	 * Step executions still marked as running under a job execution that has ended. The
	 * job repository finds running job executions, not steps, hence the SQL.
	 */
	private static final String STALE_STEPS_OF_ENDED_EXECUTIONS = """
			SELECT s.job_execution_id, s.step_execution_id FROM batch_step_execution s
			JOIN batch_job_execution e ON e.job_execution_id = s.job_execution_id
			JOIN batch_job_instance i ON i.job_instance_id = e.job_instance_id
			WHERE i.job_name IN (:jobNames)
			  AND s.status IN ('STARTING', 'STARTED', 'STOPPING', 'UNKNOWN')
			  AND e.status NOT IN ('STARTING', 'STARTED', 'STOPPING')
			ORDER BY s.step_execution_id
			""";

	private final List<String> jobNames;

	private final JobOperator jobOperator;

	private final JobRepository jobRepository;

	private final JdbcClient jdbc;

	StaleExecutionRecovery(List<String> jobNames, JobOperator jobOperator, JobRepository jobRepository,
			JdbcClient jdbc) {
		this.jobNames = List.copyOf(jobNames);
		this.jobOperator = jobOperator;
		this.jobRepository = jobRepository;
		this.jdbc = jdbc;
	}

	/**
	 * Makes every stale execution of the jobs restartable: those left {@code UNKNOWN},
	 * those still shown as running, and the steps left running under an ended execution.
	 */
	void recoverStaleExecutions() {
		failUnknownExecutions();
		recoverRunningExecutions();
		failStaleStepsOfEndedExecutions();
	}

	/**
	 * Executions shown as running while we hold the launch lock belong to a JVM that
	 * died: {@link JobOperator#recover} (spring-batch #4876) marks them and their steps
	 * failed so that they can be restarted.
	 */
	private void recoverRunningExecutions() {
		this.jobNames.stream()
			.flatMap((name) -> this.jobRepository.findRunningJobExecutions(name).stream())
			.sorted(Comparator.comparing(JobExecution::getId))
			.forEach((stale) -> {
				logger.warn(
						"Execution {} was left {} by a process that is gone; recovering it so that it can be restarted",
						stale.getId(), stale.getStatus());
				this.jobOperator.recover(stale);
			});
	}

	/**
	 * Spring Batch leaves an execution {@code UNKNOWN} when it could not record how a
	 * step ended, for instance because PostgreSQL terminated its session, and then
	 * refuses to restart it ("manual intervention is probably necessary", spring-batch
	 * #1614 and #1292). For stockrecon that intervention is always the same and safe:
	 * every change the job makes commits together with its own bookkeeping (capture
	 * queue, ledger, outbox, drift suspects), never with Spring Batch's, so the execution
	 * is exactly as restartable as a failed one. Marking it failed here, under the launch
	 * lock, keeps {@code restart} working after a database failover.
	 */
	private void failUnknownExecutions() {
		this.jdbc.sql(LAST_UNKNOWN_EXECUTIONS)
			.param("jobNames", this.jobNames)
			.query(Long.class)
			.list()
			.forEach((id) -> {
				JobExecution unknown = this.jobRepository.getJobExecution(id);
				logger.warn("Execution {} ended in status UNKNOWN (Spring Batch could not record its end); "
						+ "marking it failed so that it can be restarted", id);
				LocalDateTime now = LocalDateTime.now();
				for (StepExecution step : unknown.getStepExecutions()) {
					if (step.getStatus() == BatchStatus.UNKNOWN || step.getStatus().isRunning()) {
						fail(step, now);
					}
				}
				unknown.setStatus(BatchStatus.FAILED);
				if (unknown.getEndTime() == null) {
					unknown.setEndTime(now);
				}
				this.jobRepository.update(unknown);
			});
	}

	/**
	 * A launch killed (or cut off from PostgreSQL) while Spring Batch was creating or
	 * ending a partition can leave that step execution {@code STARTING} or
	 * {@code STARTED} under an execution that has ended. Spring Batch then refuses every
	 * restart as "already running" (the check of spring-batch #1292; the manual fix is
	 * spring-batch #3809). Under the launch lock no process of ours runs it: fail it.
	 */
	private void failStaleStepsOfEndedExecutions() {
		this.jdbc.sql(STALE_STEPS_OF_ENDED_EXECUTIONS)
			.param("jobNames", this.jobNames)
			.query((rs, row) -> new long[] { rs.getLong("job_execution_id"), rs.getLong("step_execution_id") })
			.list()
			.forEach((ids) -> {
				StepExecution step = this.jobRepository.getStepExecution(ids[1]);
				if (step != null) {
					logger.warn("Step execution {} ({}) of ended execution {} was left {}; marking it failed", ids[1],
							step.getStepName(), ids[0], step.getStatus());
					fail(step, LocalDateTime.now());
				}
			});
	}

	private void fail(StepExecution step, LocalDateTime now) {
		step.setStatus(BatchStatus.FAILED);
		if (step.getEndTime() == null) {
			step.setEndTime(now);
		}
		this.jobRepository.update(step);
	}

}
