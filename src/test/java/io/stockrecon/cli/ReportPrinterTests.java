package io.stockrecon.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import io.stockrecon.audit.ExecutionReport;
import io.stockrecon.audit.ExecutionReport.CountBy;
import io.stockrecon.audit.ExecutionReport.ReasonTotal;
import io.stockrecon.audit.ExecutionSummary;
import io.stockrecon.audit.ExecutionSummary.StepSummary;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The run summary, {@code history} and {@code report} print an execution in one layout:
 * aligned columns, partitions indented under their step or folded into it, counts in
 * words and numbers.
 */
class ReportPrinterTests {

	static final ExecutionSummary EXECUTION = new ExecutionSummary(12, "stockrecon", "2026-11-24", "COMPLETED",
			"COMPLETED", "2026-11-25 02:30:00", "2026-11-25 02:31:05", 65.0,
			List.of(step("queueCancelledHistory", 0), step("restoreCancelledOrders", 1200),
					step("restoreCancelledOrdersPartition:partition0", 600),
					step("restoreCancelledOrdersPartition:partition1", 600), step("restoreDeletedOrders", 4),
					step("restoreDeletedOrdersPartition:partition0", 4), step("publishRestoredUnits", 1204),
					step("findDrift", 123456789), step("findDriftPartition:partition0", 61728394),
					step("findDriftPartition:partition1", 61728395), step("repairDrift", 3)),
			1204, 3900, 1, 3, 2);

	static final ExecutionReport REPORT = new ExecutionReport(EXECUTION,
			List.of(new ReasonTotal("cancelled", 1200, 3880), new ReasonTotal("deleted", 4, 20)),
			List.of(new CountBy("unknown-product", 1)),
			List.of(new ExecutionReport.SkippedItem("22", "9999", 2, "unknown-product")),
			List.of(new CountBy("key-missing repaired", 1), new CountBy("orphan reported", 1),
					new CountBy("redis-higher repaired", 1)),
			List.of(), List.of("SELECT * FROM stockrecon_drift_audit WHERE job_execution_id = 12"));

	@Test
	void shouldAlignEveryStepAndIndentPartitionsUnderTheirStep() {
		String summary = print((printer) -> printer.summary(REPORT, 0, List.of()));

		List<String> table = summary.lines().skip(1).limit(11).toList();
		assertThat(table.get(0)).startsWith("  step ").endsWith("duration");
		int statusColumn = table.get(0).indexOf("status");
		int durationEnd = table.get(0).length();
		assertThat(table).allSatisfy((line) -> {
			assertThat(line.indexOf("COMPLETED") < 0 || line.indexOf("COMPLETED") == statusColumn).as(line).isTrue();
			assertThat(line).hasSize(durationEnd);
		});
		assertThat(table).map((line) -> line.substring(2, statusColumn).stripTrailing())
			.containsExactly("step", "queueCancelledHistory", "restoreCancelledOrders", "  partition0", "  partition1",
					"restoreDeletedOrders", "publishRestoredUnits", "findDrift", "  partition0", "  partition1",
					"repairDrift");
	}

	@Test
	void shouldFoldASinglePartitionIntoItsStep() {
		String summary = print((printer) -> printer.summary(REPORT, 0, List.of()));

		assertThat(summary).contains("  restoreDeletedOrders ")
			.doesNotContain("restoreDeletedOrdersPartition")
			.doesNotContain("Partition:");
	}

	@Test
	void shouldCountByReasonKindAndActionInWordsNeverAsAMap() {
		String summary = print((printer) -> printer.summary(REPORT, 7, List.of("Redis went away")));

		assertThat(summary)
			.contains("  restored: 1204 orders, 3900 units (cancelled: 1200 orders, 3880 units; "
					+ "deleted: 4 orders, 20 units)")
			.contains("  skipped items: 1 (unknown-product: 1)")
			.contains("  drift: 3 found, 2 repaired (key-missing repaired: 1, orphan reported: 1, "
					+ "redis-higher repaired: 1)")
			.contains("  waiting for Redis: 7")
			.contains("  failure: Redis went away")
			.doesNotContain("{")
			.doesNotContain("=");
	}

	@Test
	void shouldPrintHistoryAndReportInTheLayoutOfTheSummary() {
		String summary = print((printer) -> printer.summary(REPORT, 0, List.of()));
		String history = print((printer) -> printer.history(List.of(EXECUTION)));
		String report = print((printer) -> printer.report(REPORT));

		String steps = summary.lines().limit(12).reduce("", (a, b) -> a + b + "\n");
		assertThat(history).startsWith(steps).contains("  restored: 1204 orders, 3900 units\n");
		assertThat(report).startsWith(steps)
			.contains("order 22, product 9999, quantity 2: unknown-product")
			.contains("SELECT * FROM stockrecon_drift_audit WHERE job_execution_id = 12");
	}

	@Test
	void shouldKeepEveryStepAndPartitionInTheJson() throws Exception {
		JsonNode json = new ObjectMapper().readTree(print((printer) -> printer.json(List.of(EXECUTION))));

		assertThat(json.get(0).get("steps").findValuesAsText("name")).hasSize(11)
			.contains("restoreDeletedOrdersPartition:partition0", "findDriftPartition:partition1");
		assertThat(json.get(0).get("restoredUnits").asLong()).isEqualTo(3900);
	}

	private static StepSummary step(String name, long read) {
		return new StepSummary(name, "COMPLETED", read, read, 0, 0, 1.5);
	}

	private static String print(Consumer<ReportPrinter> printing) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		printing.accept(new ReportPrinter(new PrintStream(out, true, StandardCharsets.UTF_8)));
		return out.toString(StandardCharsets.UTF_8);
	}

}
