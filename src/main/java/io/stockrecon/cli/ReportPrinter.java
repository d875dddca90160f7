package io.stockrecon.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.stockrecon.audit.ExecutionReport;
import io.stockrecon.audit.ExecutionSummary;
import io.stockrecon.audit.ExecutionSummary.StepSummary;

/**
 * Prints executions for a person, or as JSON for a machine. The run summary,
 * {@code history} and {@code report} print an execution the same way: a heading, its
 * steps in a {@link Table}, then what it restored, skipped and repaired in words and
 * numbers.
 */
class ReportPrinter {

	/**
	 * Spring Batch names a partition's step execution {@code <worker step>:<partition>}.
	 */
	private static final char PARTITION_SEPARATOR = ':';

	private static final String INDENT = "  ";

	private final PrintStream out;

	ReportPrinter(PrintStream out) {
		this.out = out;
	}

	void json(Object value) {
		try {
			// made here: Jackson costs a read command a tenth of a second to load
			this.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value));
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("Could not write JSON: " + ex.getMessage(), ex);
		}
	}

	/** The end of a run: the execution with its totals by reason, kind and action. */
	void summary(ExecutionReport report, long waitingForRedis, List<String> failures) {
		execution(report.execution());
		totals(report);
		this.out.printf("%swaiting for Redis: %d%n", INDENT, waitingForRedis);
		failures.forEach((failure) -> this.out.printf("%sfailure: %s%n", INDENT, failure));
	}

	void history(List<ExecutionSummary> executions) {
		if (executions.isEmpty()) {
			this.out.println("No executions yet.");
			return;
		}
		for (int i = 0; i < executions.size(); i++) {
			if (i > 0) {
				this.out.println();
			}
			ExecutionSummary execution = executions.get(i);
			execution(execution);
			totals(execution, "", "", "");
		}
	}

	void report(ExecutionReport report) {
		execution(report.execution());
		totals(report);
		this.out.println();
		this.out.printf("Skipped items (the first %d):%n", report.skippedItems().size());
		if (report.skippedItems().isEmpty()) {
			this.out.println(INDENT + "none");
		}
		report.skippedItems()
			.forEach((item) -> this.out.printf("%sorder %s, product %s, quantity %d: %s%n", INDENT, item.orderId(),
					item.productId(), item.quantity(), item.reason()));
		this.out.printf("Drift findings (the first %d):%n", report.driftFindings().size());
		if (report.driftFindings().isEmpty()) {
			this.out.println(INDENT + "none");
		}
		report.driftFindings()
			.forEach((finding) -> this.out.printf("%s%s (product %s): %s, Redis %s, PostgreSQL %s, now %s: %s%n",
					INDENT, finding.redisKey(), orDash(finding.productId()), finding.kind(),
					orDash(finding.redisBefore()), orDash(finding.postgresValue()), orDash(finding.redisAfter()),
					finding.action()));
		this.out.println("All rows:");
		report.queries().forEach((query) -> this.out.println(INDENT + query));
	}

	void pruned(Map<String, Integer> removed) {
		Table table = Table.of("table", ">rows removed");
		removed.forEach(table::row);
		table.print(this.out, "");
		this.out.println("The stock_restorations ledger is kept whole: exactly-once depends on it.");
	}

	private void execution(ExecutionSummary execution) {
		this.out.printf("Execution %d, %s: %s (started %s, %.1f s)%n", execution.executionId(),
				(execution.runDate() != null) ? "run date " + execution.runDate() : execution.job(), execution.status(),
				orDash(execution.startTime()), execution.durationSeconds());
		steps(execution.steps()).print(this.out, INDENT);
	}

	/**
	 * The steps, each partitioned step followed by its partitions, indented; a single
	 * partition is folded into its step, which counts the same.
	 */
	static Table steps(List<StepSummary> steps) {
		Table table = Table.of("step", "status", ">read", ">written", ">filtered", ">skipped", ">duration");
		List<StepSummary> partitions = new ArrayList<>();
		for (StepSummary step : steps) {
			if (step.name().indexOf(PARTITION_SEPARATOR) >= 0) {
				partitions.add(step);
				continue;
			}
			addPartitions(table, partitions);
			addStep(table, step, step.name(), false);
		}
		addPartitions(table, partitions);
		return table;
	}

	private static void addPartitions(Table table, List<StepSummary> partitions) {
		if (partitions.size() > 1) {
			partitions.forEach((partition) -> addStep(table, partition,
					partition.name().substring(partition.name().indexOf(PARTITION_SEPARATOR) + 1), true));
		}
		partitions.clear();
	}

	private static void addStep(Table table, StepSummary step, String name, boolean partition) {
		Object[] cells = { name, step.status(), step.read(), step.written(), step.filtered(), step.skipped(),
				"%.1fs".formatted(step.durationSeconds()) };
		if (partition) {
			table.child(cells);
		}
		else {
			table.row(cells);
		}
	}

	private void totals(ExecutionReport report) {
		String byReason = report.restored()
			.stream()
			.map((total) -> "%s: %d orders, %d units".formatted(total.reason(), total.orders(), total.units()))
			.collect(Collectors.joining("; "));
		totals(report.execution(), byReason.isEmpty() ? "" : " (" + byReason + ")", counts(report.skippedByReason()),
				counts(report.driftByKind()));
	}

	/**
	 * What an execution restored, skipped and repaired, each total with its breakdown if
	 * known.
	 */
	private void totals(ExecutionSummary execution, String restoredByReason, String skippedByReason,
			String driftByKind) {
		this.out.printf("%srestored: %d orders, %d units%s%n", INDENT, execution.restoredOrders(),
				execution.restoredUnits(), restoredByReason);
		this.out.printf("%sskipped items: %d%s%n", INDENT, execution.skippedItems(), skippedByReason);
		this.out.printf("%sdrift: %d found, %d repaired%s%n", INDENT, execution.driftFound(), execution.driftRepaired(),
				driftByKind);
	}

	/** Counts as words and numbers: {@code " (cancelled: 6, deleted: 4)"}, or nothing. */
	static String counts(List<ExecutionReport.CountBy> counts) {
		return counts.isEmpty() ? ""
				: counts.stream()
					.map((count) -> count.label() + ": " + count.count())
					.collect(Collectors.joining(", ", " (", ")"));
	}

	private static String orDash(Object value) {
		return (value != null) ? value.toString() : "-";
	}

}
