package io.stockrecon.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.context.ApplicationContext;

import io.stockrecon.audit.DriftTotals;
import io.stockrecon.audit.ExecutionAudit;
import io.stockrecon.audit.ExecutionHistory;
import io.stockrecon.audit.ExecutionReport;
import io.stockrecon.audit.ExecutionSummary;
import io.stockrecon.audit.RepositoryPruning;
import io.stockrecon.audit.RestorationTotals;
import io.stockrecon.drift.VerifyMode;
import io.stockrecon.job.LaunchLock;
import io.stockrecon.job.LaunchOutcome;
import io.stockrecon.job.NightlyJobLauncher;
import io.stockrecon.stock.RedisStockCounters;

/**
 * Carries out a parsed command inside the running application and returns its exit code.
 */
public class Commands {

	private static final int DEFAULT_HISTORY = 10;

	private static final int DEFAULT_FIRST = 20;

	private final NightlyJobLauncher launcher;

	private final ExecutionAudit audit;

	private final ExecutionHistory history;

	private final RepositoryPruning pruning;

	private final LaunchLock launchLock;

	private final RedisStockCounters counters;

	private final PrintStream out;

	private final ReportPrinter printer;

	Commands(NightlyJobLauncher launcher, ExecutionAudit audit, ExecutionHistory history, RepositoryPruning pruning,
			LaunchLock launchLock, RedisStockCounters counters, PrintStream out) {
		this.launcher = launcher;
		this.audit = audit;
		this.history = history;
		this.pruning = pruning;
		this.launchLock = launchLock;
		this.counters = counters;
		this.out = out;
		this.printer = new ReportPrinter(out);
	}

	/** The commands of a running application, printing to {@code out}. */
	public static Commands of(ApplicationContext context, PrintStream out) {
		return new Commands(context.getBean(NightlyJobLauncher.class), context.getBean(ExecutionAudit.class),
				context.getBean(ExecutionHistory.class), context.getBean(RepositoryPruning.class),
				context.getBean(LaunchLock.class), context.getBean(RedisStockCounters.class), out);
	}

	public int execute(CommandLine commandLine) {
		if (List.of("run", "restart", "verify").contains(commandLine.command())) {
			// an unreachable Redis is a configuration error (exit 2), found before
			// anything runs
			this.counters.ping();
		}
		return switch (commandLine.command()) {
			case "run" -> report(this.launcher.run(commandLine.date("run-date", LocalDate.now()),
					commandLine.has("full-scan"), commandLine.has("force")));
			case "restart" -> report(this.launcher.restart());
			case "verify" -> verify(commandLine);
			case "history" -> history(commandLine);
			case "report" -> report(commandLine);
			case "prune" -> prune(commandLine);
			default -> throw new UsageException("Unknown command '%s'.".formatted(commandLine.command()));
		};
	}

	private int history(CommandLine commandLine) {
		List<ExecutionSummary> executions = this.history.latest(commandLine.positiveInt("limit", DEFAULT_HISTORY));
		if (commandLine.has("json")) {
			this.printer.json(executions);
		}
		else {
			this.printer.history(executions);
		}
		return ExitCode.COMPLETED;
	}

	private int report(CommandLine commandLine) {
		long executionId = commandLine.executionId();
		ExecutionReport report = this.history.report(executionId, commandLine.positiveInt("first", DEFAULT_FIRST))
			.orElseThrow(() -> new UsageException(
					"There is no execution %d; 'history' lists the executions.".formatted(executionId)));
		if (commandLine.has("json")) {
			this.printer.json(report);
		}
		else {
			this.printer.report(report);
		}
		return ExitCode.COMPLETED;
	}

	/** Prunes under the launch lock, so that no execution is created while rows go. */
	private int prune(CommandLine commandLine) {
		LocalDateTime cutoff = LocalDateTime.now().minus(commandLine.duration("older-than"));
		LaunchLock.Held lock = this.launchLock.tryAcquire();
		if (lock == null) {
			this.out.println("Refused: an execution is running; prune when it has ended.");
			return ExitCode.REFUSED;
		}
		try (lock) {
			this.printer.pruned(this.pruning.pruneEndedBefore(cutoff));
		}
		return ExitCode.COMPLETED;
	}

	private int verify(CommandLine commandLine) {
		if (commandLine.has("fail-on-drift") && !commandLine.has("dry-run")) {
			throw new UsageException(
					"--fail-on-drift goes with --dry-run: a repairing verify fixes the drift it finds.");
		}
		LaunchOutcome outcome = this.launcher
			.verify(new VerifyMode(commandLine.has("dry-run"), commandLine.has("delete-orphans")));
		int exitCode = report(outcome);
		if (exitCode == ExitCode.COMPLETED && commandLine.has("fail-on-drift")
				&& this.audit.drift(((LaunchOutcome.Ran) outcome).execution().getId()).confirmedDrift() > 0) {
			this.out.println("Drift found (--fail-on-drift): exit 4.");
			return ExitCode.DRIFT_FOUND;
		}
		return exitCode;
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

	private void printSummary(JobExecution execution) {
		LocalDate runDate = execution.getJobParameters().getLocalDate(NightlyJobLauncher.RUN_DATE);
		this.out.printf("Execution %d (%s): %s%n", execution.getId(),
				(runDate != null) ? "run date " + runDate : execution.getJobInstance().getJobName(),
				execution.getStatus());
		this.out.printf("  %-24s %-10s %8s %8s %8s %10s%n", "step", "status", "read", "written", "filtered",
				"duration");
		for (StepExecution step : execution.getStepExecutions()) {
			Duration took = (step.getStartTime() != null && step.getEndTime() != null)
					? Duration.between(step.getStartTime(), step.getEndTime()) : Duration.ZERO;
			this.out.printf("  %-24s %-10s %8d %8d %8d %9.1fs%n", step.getStepName(), step.getStatus(),
					step.getReadCount(), step.getWriteCount(), step.getFilterCount(), took.toMillis() / 1000.0);
		}
		RestorationTotals totals = this.audit.restorations(execution.getId());
		this.out.printf("  restored: %d orders, %d units %s; skipped items: %d %s; waiting for Redis: %d%n",
				totals.orders(), totals.units(), totals.ordersByReason(), totals.skipped(), totals.skippedByReason(),
				totals.pendingForRedis());
		DriftTotals drift = this.audit.drift(execution.getId());
		if (drift.findings() > 0) {
			this.out.printf("  drift: %d findings, %d repaired, %d confirmed; by kind and action: %s%n",
					drift.findings(), drift.count("repaired"), drift.confirmedDrift(), drift.byKindAndAction());
		}
		execution.getAllFailureExceptions()
			.forEach((failure) -> this.out.printf("  failure: %s%n", OperatorErrors.describe(failure)));
	}

}
