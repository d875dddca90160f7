package io.stockrecon.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.BadSqlGrammarException;

import io.stockrecon.audit.ExecutionAudit;
import io.stockrecon.audit.ExecutionHistory;
import io.stockrecon.audit.ExecutionReport;
import io.stockrecon.audit.ExecutionSummary;
import io.stockrecon.audit.RepositoryPruning;
import io.stockrecon.drift.VerifyMode;
import io.stockrecon.job.LaunchLock;
import io.stockrecon.job.LaunchOutcome;
import io.stockrecon.job.NightlyJobLauncher;

/**
 * Carries out a parsed command inside the running application and returns its exit code.
 * Each command takes the beans it needs from the application it runs in: the read
 * commands run in a small one (a connection pool, no job infrastructure).
 */
public class Commands {

	private final ApplicationContext context;

	private final PrintStream out;

	private final ReportPrinter printer;

	/** The commands of a running application, printing to {@code out}. */
	public Commands(ApplicationContext context, PrintStream out) {
		this.context = context;
		this.out = out;
		this.printer = new ReportPrinter(out);
	}

	/** {@code run}: the nightly job for a date. */
	public int run(LocalDate runDate, boolean fullScan, boolean force) {
		return report(launcher().run(runDate, fullScan, force));
	}

	/**
	 * {@code run} of a date that completed already: prints so and returns
	 * {@link ExitCode#COMPLETED}, or returns {@code null} when the date has still to run
	 * (or the job repository does not exist yet: the whole job creates it).
	 */
	public Integer completedAlready(LocalDate runDate, boolean fullScan) {
		Optional<Long> completed;
		try {
			completed = NightlyJobLauncher.completedExecution(this.context.getBean(JobRepository.class), runDate,
					fullScan);
		}
		catch (BadSqlGrammarException ex) {
			return null;
		}
		return completed.map((executionId) -> report(new LaunchOutcome.AlreadyCompleted(executionId))).orElse(null);
	}

	/** {@code restart}: the latest execution that did not complete. */
	public int restart() {
		return report(launcher().restart());
	}

	/** {@code verify}: the verify steps alone. */
	public int verify(boolean dryRun, boolean failOnDrift, boolean deleteOrphans) {
		if (failOnDrift && !dryRun) {
			throw new UsageException(
					"--fail-on-drift goes with --dry-run: a repairing verify fixes the drift it finds.");
		}
		LaunchOutcome outcome = launcher().verify(new VerifyMode(dryRun, deleteOrphans));
		int exitCode = report(outcome);
		if (exitCode == ExitCode.COMPLETED && failOnDrift
				&& audit().drift(((LaunchOutcome.Ran) outcome).execution().getId()).confirmedDrift() > 0) {
			this.out.println("Drift found (--fail-on-drift): exit 4.");
			return ExitCode.DRIFT_FOUND;
		}
		return exitCode;
	}

	/** {@code history}: the latest executions. */
	public int history(int limit, boolean json) {
		List<ExecutionSummary> executions = this.context.getBean(ExecutionHistory.class).latest(limit);
		if (json) {
			this.printer.json(executions);
		}
		else {
			this.printer.history(executions);
		}
		return ExitCode.COMPLETED;
	}

	/** {@code report}: what one execution did. */
	public int report(long executionId, int first, boolean json) {
		ExecutionReport report = this.context.getBean(ExecutionHistory.class)
			.report(executionId, first)
			.orElseThrow(() -> new UsageException(
					"There is no execution %d; 'history' lists the executions.".formatted(executionId)));
		if (json) {
			this.printer.json(report);
		}
		else {
			this.printer.report(report);
		}
		return ExitCode.COMPLETED;
	}

	/**
	 * {@code prune}: under the launch lock, so that no execution is created while rows
	 * go.
	 */
	public int prune(Duration olderThan) {
		LocalDateTime cutoff = LocalDateTime.now().minus(olderThan);
		LaunchLock.Held lock = this.context.getBean(LaunchLock.class).tryAcquire();
		if (lock == null) {
			this.out.println("Refused: an execution is running; prune when it has ended.");
			return ExitCode.REFUSED;
		}
		try (lock) {
			this.printer.pruned(this.context.getBean(RepositoryPruning.class).pruneEndedBefore(cutoff));
		}
		return ExitCode.COMPLETED;
	}

	private NightlyJobLauncher launcher() {
		return this.context.getBean(NightlyJobLauncher.class);
	}

	private ExecutionAudit audit() {
		return this.context.getBean(ExecutionAudit.class);
	}

	private int report(LaunchOutcome outcome) {
		if (outcome instanceof LaunchOutcome.AlreadyCompleted done) {
			this.out.printf("Nothing to do: this run date completed in execution %d. Use --force to run it again.%n",
					done.executionId());
			return ExitCode.COMPLETED;
		}
		if (outcome instanceof LaunchOutcome.Refused refused) {
			this.out.printf("Refused: %s.%n", refused.reason());
			return ExitCode.REFUSED;
		}
		JobExecution execution = ((LaunchOutcome.Ran) outcome).execution();
		printSummary(execution);
		return (execution.getStatus() == BatchStatus.COMPLETED) ? ExitCode.COMPLETED : ExitCode.FAILED;
	}

	/**
	 * The summary of a launch, read back from the job repository and the audit tables as
	 * {@code report} reads them, with the failures this JVM saw.
	 */
	private void printSummary(JobExecution execution) {
		ExecutionReport report = this.context.getBean(ExecutionHistory.class)
			.report(execution.getId(), 0)
			.orElseThrow(() -> new IllegalStateException(
					"Execution %d is missing from the job repository".formatted(execution.getId())));
		List<String> failures = execution.getAllFailureExceptions().stream().map(OperatorErrors::describe).toList();
		this.printer.summary(report, audit().restorations(execution.getId()).pendingForRedis(), failures);
	}

}
