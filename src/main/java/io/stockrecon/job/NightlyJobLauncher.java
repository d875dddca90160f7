package io.stockrecon.job;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.stockrecon.JobParameterNames;
import io.stockrecon.drift.VerifyMode;

/**
 * Starts and restarts the nightly and the verify job, one execution at a time.
 * <p>
 * Every launch first takes the {@link LaunchLock}. Holding it proves that no other JVM is
 * running the jobs, so an execution still marked as running is the remains of a killed
 * JVM: {@link StaleExecutionRecovery} repairs it before anything else happens, and a
 * restart never stays refused as "already running".
 */
public class NightlyJobLauncher {

	private static final Duration NAME_THE_HOLDER_WITHIN = Duration.ofSeconds(5);

	/**
	 * The latest execution of either job, whatever its instance. The job repository
	 * answers the last execution of one instance, or of the last instance, but a restart
	 * of an older date is newer than a later date's run, hence the SQL.
	 */
	private static final String LATEST_EXECUTION = """
			SELECT e.job_execution_id FROM batch_job_execution e JOIN batch_job_instance i USING (job_instance_id)
			WHERE i.job_name IN (:jobNames)
			ORDER BY e.job_execution_id DESC LIMIT 1
			""";

	private final Job job;

	private final Job verifyJob;

	private final JobOperator jobOperator;

	private final JobRepository jobRepository;

	private final LaunchLock launchLock;

	private final StaleExecutionRecovery recovery;

	private final JdbcClient jdbc;

	NightlyJobLauncher(Job job, Job verifyJob, JobOperator jobOperator, JobRepository jobRepository,
			LaunchLock launchLock, JdbcClient jdbc) {
		this.job = job;
		this.verifyJob = verifyJob;
		this.jobOperator = jobOperator;
		this.jobRepository = jobRepository;
		this.launchLock = launchLock;
		this.recovery = new StaleExecutionRecovery(jobNames(), jobOperator, jobRepository, jdbc);
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
		// the summary names the exceptions; the repository kept only their messages
		execution.getAllFailureExceptions().forEach(stored::addFailureException);
		return new LaunchOutcome.Ran(stored);
	}

	private LaunchOutcome underLock(Supplier<LaunchOutcome> launch) {
		LaunchLock.Held lock = this.launchLock.tryAcquire();
		if (lock == null) {
			return new LaunchOutcome.Refused(runningDescription());
		}
		try (lock) {
			this.recovery.recoverStaleExecutions();
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
			Optional<Long> running = jobNames().stream()
				.flatMap((name) -> this.jobRepository.findRunningJobExecutions(name).stream())
				.map(JobExecution::getId)
				.max(Comparator.naturalOrder());
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
			// a new instance of the same date, made safe by the ledger
			builder.addString(JobParameterNames.FORCED_AT, Instant.now().toString());
		}
		return builder.toJobParameters();
	}

}
