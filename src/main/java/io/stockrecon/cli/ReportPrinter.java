package io.stockrecon.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.stockrecon.audit.ExecutionReport;
import io.stockrecon.audit.ExecutionSummary;

/**
 * Prints {@code history} and {@code report} for a person, or as JSON for a machine.
 */
class ReportPrinter {

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

	void history(List<ExecutionSummary> executions) {
		if (executions.isEmpty()) {
			this.out.println("No executions yet.");
			return;
		}
		this.out.printf("%-6s %-18s %-10s %-10s %-19s %9s %8s %9s %8s %7s %8s%n", "id", "job", "run date", "status",
				"started", "duration", "orders", "units", "skipped", "drift", "repaired");
		for (ExecutionSummary execution : executions) {
			this.out.printf("%-6d %-18s %-10s %-10s %-19s %8.1fs %8d %9d %8d %7d %8d%n", execution.executionId(),
					execution.job(), orDash(execution.runDate()), execution.status(), orDash(execution.startTime()),
					execution.durationSeconds(), execution.restoredOrders(), execution.restoredUnits(),
					execution.skippedItems(), execution.driftFound(), execution.driftRepaired());
			for (ExecutionSummary.StepSummary step : execution.steps()) {
				this.out.printf("       %-24s %-10s read %d, written %d, filtered %d, skipped %d, %.1fs%n", step.name(),
						step.status(), step.read(), step.written(), step.filtered(), step.skipped(),
						step.durationSeconds());
			}
		}
	}

	void report(ExecutionReport report) {
		history(List.of(report.execution()));
		this.out.println();
		this.out.println("Restored, by reason:");
		if (report.restored().isEmpty()) {
			this.out.println("  nothing");
		}
		report.restored()
			.forEach((total) -> this.out.printf("  %-16s %8d orders %10d units%n", total.reason(), total.orders(),
					total.units()));
		this.out.println("Skipped items, by reason:");
		counts(report.skippedByReason());
		report.skippedItems()
			.forEach((item) -> this.out.printf("  order %d, product %d, quantity %d: %s%n", item.orderId(),
					item.productId(), item.quantity(), item.reason()));
		this.out.println("Drift, by kind and action:");
		counts(report.driftByKind());
		report.driftFindings()
			.forEach((finding) -> this.out.printf("  %s (product %s): %s, Redis %s, PostgreSQL %s, now %s: %s%n",
					finding.redisKey(), orDash(finding.productId()), finding.kind(), orDash(finding.redisBefore()),
					orDash(finding.postgresValue()), orDash(finding.redisAfter()), finding.action()));
		this.out.println("All rows:");
		report.queries().forEach((query) -> this.out.println("  " + query));
	}

	void pruned(Map<String, Integer> removed) {
		this.out.println("Removed rows:");
		removed.forEach((table, rows) -> this.out.printf("  %-30s %8d%n", table, rows));
		this.out.println("The stock_restorations ledger is kept whole: exactly-once depends on it.");
	}

	private void counts(List<ExecutionReport.CountBy> counts) {
		if (counts.isEmpty()) {
			this.out.println("  none");
		}
		counts.forEach((count) -> this.out.printf("  %-32s %8d%n", count.label(), count.count()));
	}

	private static String orDash(Object value) {
		return (value != null) ? value.toString() : "-";
	}

}
