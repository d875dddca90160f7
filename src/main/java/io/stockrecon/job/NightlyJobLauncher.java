package io.stockrecon.job;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Comparator;
import java.util.Optional;
import java.util.List;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.stockrecon.JobParameterNames;
import io.stockrecon.drift.VerifyMode;

/**
 * Starts, restarts and recovers the nightly job, one execution at a time.
 * <p>
 * Every launch first takes the {@link LaunchLock}. Holding it proves that no other JVM is
 * running the job, so an execution still marked as running is the remains of a killed
 * JVM: it is recovered ({@link JobOperator#recover}) before anything else happens, and a
 * restart never stays refused as "already running".
 */
public class NightlyJobLauncher {

	private static final Duration NAME_THE_HOLDER_WITHIN = Duration.ofSeconds(5);

	private static final Logger logger = LoggerFactory.getLogger(NightlyJobLauncher.class);

	private static final String LATEST_RUNNING_EXECUTION = """
			SELECT e.job_execution_id FROM batch_job_execution e JOIN batch_job_instance i USING (job_instance_id)
			WHERE i.job_name IN (:jobNames) AND e.status IN ('STARTING', 'STARTED', 'STOPPING')
			ORDER BY e.job_execution_id DESC LIMIT 1
			""";

	private static final String LATEST_EXECUTION = """
			SELECT e.job_execution_id FROM batch_job_execution e JOIN batch_job_instance i USING (job_instance_id)
			WHERE i.job_name IN (:jobNames)
			ORDER BY e.job_execution_id DESC LIMIT 1
			""";

	/**
	 * Executions Spring Batch could not finish recording, last of their job instance:
	 * they block both a restart and a new run of their date.
	 */
	private static final String LAST_UNKNOWN_EXECUTIONS = """
			SELECT e.job_execution_id FROM batch_job_execution e JOIN batch_job_instance i USING (job_instance_id)
			WHERE i.job_name IN (:jobNames) AND e.status = 'UNKNOWN'
			  AND e.job_execution_id = (SELECT max(l.job_execution_id) FROM batch_job_execution l
			                            WHERE l.job_instance_id = e.job_instance_id)
			ORDER BY e.job_execution_id
			""";

	private static final String STALE_STEPS_OF_ENDED_EXECUTIONS = """
			SELECT s.job_execution_id, s.step_execution_id FROM batch_step_execution s
			JOIN batch_job_execution e ON e.job_execution_id = s.job_execution_id
			JOIN batch_job_instance i ON i.job_instance_id = e.job_instance_id
			WHERE i.job_name IN (:jobNames)
			  AND s.status IN ('STARTING', 'STARTED', 'STOPPING', 'UNKNOWN')
			  AND e.status NOT IN ('STARTING', 'STARTED', 'STOPPING')
			ORDER BY s.step_execution_id
			""";

	private final Job job;

	private final Job verifyJob;

	private final JobOperator jobOperator;

	private final JobRepository jobRepository;

	private final LaunchLock launchLock;

	private final JdbcClient jdbc;

	public NightlyJobLauncher(Job job, Job verifyJob, JobOperator jobOperator, JobRepository jobRepository,
			LaunchLock launchLock, JdbcClient jdbc) {
		this.job = job;
		this.verifyJob = verifyJob;
		this.jobOperator = jobOperator;
		this.jobRepository = jobRepository;
		this.launchLock = launchLock;
		this.jdbc = jdbc;
	}

	/**
	 * Runs the job for a date. A date that completed already is not run again unless
	 * forced; one that failed is restarted where it stopped.
	 */
	public LaunchOutcome run(LocalDate runDate, boolean fullScan, boolean force) {
		return underLock(() -> {
			JobParameters parameters = parameters(runDate, fullScan, force);
			JobExecution last = this.jobRepository.getLastJobExecution(this.job.getName(), parameters);
			if (last != null && last.getStatus() == BatchStatus.COMPLETED) {
				return new LaunchOutcome.AlreadyCompleted(last.getId());
			}
			try {
				return ran(this.jobOperator.start(this.job, parameters));
			}
			catch (Exception ex) {
				throw new IllegalStateException("Spring Batch refused to start the job: " + ex.getMessage(), ex);
			}
		});
	}

	/**
	 * Runs the verify job alone, as a new instance each time.
	 */
	public LaunchOutcome verify(VerifyMode mode) {
		return underLock(() -> {
			JobParameters parameters = new JobParametersBuilder()
				.addString(JobParameterNames.DRY_RUN, Boolean.toString(mode.dryRun()))
				.addString(JobParameterNames.DELETE_ORPHANS, Boolean.toString(mode.deleteOrphans()))
				.addString(JobParameterNames.REQUESTED_AT, Instant.now().toString())
				.toJobParameters();
			try {
				return ran(this.jobOperator.start(this.verifyJob, parameters));
			}
			catch (Exception ex) {
				throw new IllegalStateException("Spring Batch refused to start the verify job: " + ex.getMessage(), ex);
			}
		});
	}

	/**
	 * Relaunches the latest execution, of the nightly or the verify job, if it did not
	 * complete.
	 */
	public LaunchOutcome restart() {
		return underLock(() -> {
			Optional<Long> latest = this.jdbc.sql(LATEST_EXECUTION)
				.param("jobNames", jobNames())
				.query(Long.class)
				.optional();
			if (latest.isEmpty()) {
				return new LaunchOutcome.Refused("there is nothing to restart: the job has never run");
			}
			JobExecution execution = this.jobRepository.getJobExecution(latest.get());
			if (execution.getStatus() == BatchStatus.COMPLETED) {
				return new LaunchOutcome.Refused("there is nothing to restart: the latest execution (%d) completed"
					.formatted(execution.getId()));
			}
			if (execution.getStatus() == BatchStatus.ABANDONED) {
				return new LaunchOutcome.Refused(
						"there is nothing to restart: the latest execution (%d) was abandoned; start a new run instead"
							.formatted(execution.getId()));
			}
			try {
				return ran(this.jobOperator.restart(execution));
			}
			catch (Exception ex) {
				throw new IllegalStateException("Spring Batch refused to restart execution %d: %s"
					.formatted(execution.getId(), ex.getMessage()), ex);
			}
		});
	}

	/**
	 * The execution as the job repository holds it: remote partitions were written there
	 * by their workers, not into this JVM's copy.
	 */
	private LaunchOutcome ran(JobExecution execution) {
		JobExecution stored = this.jobRepository.getJobExecution(execution.getId());
		if (stored == null) {
			return new LaunchOutcome.Ran(execution);
		}
		// the repository keeps exit messages, not exceptions: carry them over for the
		// summary
		execution.getAllFailureExceptions().forEach(stored::addFailureException);
		return new LaunchOutcome.Ran(stored);
	}

	private LaunchOutcome underLock(Supplier<LaunchOutcome> launch) {
		LaunchLock.Held lock = this.launchLock.tryAcquire();
		if (lock == null) {
			return new LaunchOutcome.Refused(runningDescription());
		}
		try (lock) {
			recoverStaleExecutions();
			return launch.get();
		}
	}

	/**
	 * Names the execution that holds the lock. The holder may have taken the lock a
	 * moment before creating its execution, so look for a few seconds before giving up on
	 * a name.
	 */
	private String runningDescription() {
		long deadline = System.nanoTime() + NAME_THE_HOLDER_WITHIN.toNanos();
		do {
			Optional<Long> running = this.jdbc.sql(LATEST_RUNNING_EXECUTION)
				.param("jobNames", jobNames())
				.query(Long.class)
				.optional();
			if (running.isPresent()) {
				return "execution %d is running (another stockrecon process holds the launch lock)"
					.formatted(running.get());
			}
			try {
				Thread.sleep(200);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		while (System.nanoTime() < deadline);
		return "another stockrecon process holds the launch lock";
	}

	/**
	 * Executions shown as running while we hold the launch lock belong to a JVM that
	 * died: mark them failed so that they can be restarted. So are executions left
	 * {@code UNKNOWN}, see {@link #failUnknownExecutions()}.
	 */
	private void recoverStaleExecutions() {
		failUnknownExecutions();
		jobNames().stream()
			.flatMap((name) -> this.jobRepository.findRunningJobExecutions(name).stream())
			.sorted(Comparator.comparing(JobExecution::getId))
			.forEach((stale) -> {
				logger.warn(
						"Execution {} was left {} by a process that is gone; recovering it so that it can be restarted",
						stale.getId(), stale.getStatus());
				this.jobOperator.recover(stale);
			});
		failStaleStepsOfEndedExecutions();
	}

	/**
	 * Spring Batch leaves an execution {@code UNKNOWN} when it could not record how a
	 * step ended, for instance because PostgreSQL terminated its session, and then
	 * refuses to restart it ("manual intervention"). For stockrecon that intervention is
	 * always the same and safe: every change the job makes commits together with its own
	 * bookkeeping (capture queue, ledger, outbox, drift suspects), never with Spring
	 * Batch's, so the execution is exactly as restartable as a failed one. Marking it
	 * failed here, under the launch lock, keeps {@code restart} working after a database
	 * failover.
	 */
	private void failUnknownExecutions() {
		this.jdbc.sql(LAST_UNKNOWN_EXECUTIONS).param("jobNames", jobNames()).query(Long.class).list().forEach((id) -> {
			JobExecution unknown = this.jobRepository.getJobExecution(id);
			logger.warn("Execution {} ended in status UNKNOWN (Spring Batch could not record its end); "
					+ "marking it failed so that it can be restarted", id);
			LocalDateTime now = LocalDateTime.now();
			for (StepExecution step : unknown.getStepExecutions()) {
				if (step.getStatus() == BatchStatus.UNKNOWN || step.getStatus().isRunning()) {
					step.setStatus(BatchStatus.FAILED);
					if (step.getEndTime() == null) {
						step.setEndTime(now);
					}
					this.jobRepository.update(step);
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
	 * restart as "already running". Under the launch lock no process of ours runs it:
	 * fail it.
	 */
	private void failStaleStepsOfEndedExecutions() {
		this.jdbc.sql(STALE_STEPS_OF_ENDED_EXECUTIONS)
			.param("jobNames", jobNames())
			.query((rs, row) -> new long[] { rs.getLong("job_execution_id"), rs.getLong("step_execution_id") })
			.list()
			.forEach((ids) -> {
				StepExecution step = this.jobRepository.getStepExecution(ids[1]);
				if (step != null) {
					logger.warn("Step execution {} ({}) of ended execution {} was left {}; marking it failed", ids[1],
							step.getStepName(), ids[0], step.getStatus());
					step.setStatus(BatchStatus.FAILED);
					if (step.getEndTime() == null) {
						step.setEndTime(LocalDateTime.now());
					}
					this.jobRepository.update(step);
				}
			});
	}

	private List<String> jobNames() {
		return List.of(this.job.getName(), this.verifyJob.getName());
	}

	/**
	 * The execution that completed this run date already, if one did. A completed
	 * execution stays completed, so this needs neither the launch lock nor the job: the
	 * command line asks it with a bare job repository, before it starts the whole job
	 * only to learn that there is nothing to do.
	 */
	public static Optional<Long> completedExecution(JobRepository jobRepository, LocalDate runDate, boolean fullScan) {
		JobExecution last = jobRepository.getLastJobExecution(NightlyJobConfiguration.JOB_NAME,
				parameters(runDate, fullScan, false));
		return (last != null && last.getStatus() == BatchStatus.COMPLETED) ? Optional.of(last.getId())
				: Optional.empty();
	}

	private static JobParameters parameters(LocalDate runDate, boolean fullScan, boolean force) {
		JobParametersBuilder builder = new JobParametersBuilder().addLocalDate(JobParameterNames.RUN_DATE, runDate)
			.addString(JobParameterNames.FULL_SCAN, Boolean.toString(fullScan));
		if (force) {
			// a new, distinct instance of the same date: safe, the ledger makes it
			// idempotent
			builder.addString(JobParameterNames.FORCED_AT, Instant.now().toString());
		}
		return builder.toJobParameters();
	}

}
