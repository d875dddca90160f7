package io.stockrecon.audit;

import java.util.List;

/**
 * What one execution did, as {@code report} shows it.
 *
 * @param execution the execution's summary
 * @param restored restored orders and units by reason
 * @param skippedByReason skipped items by reason
 * @param skippedItems the first skipped items
 * @param driftByKind drift findings by kind and action
 * @param driftFindings the first drift findings
 * @param queries SQL that lists all of it, for when the first rows are not enough
 */
public record ExecutionReport(ExecutionSummary execution, List<ReasonTotal> restored, List<CountBy> skippedByReason,
		List<SkippedItem> skippedItems, List<CountBy> driftByKind, List<DriftFinding> driftFindings,
		List<String> queries) {

	/**
	 * Restored orders and units of one ledger reason.
	 */
	public record ReasonTotal(String reason, long orders, long units) {

	}

	/**
	 * A count under a label.
	 */
	public record CountBy(String label, long count) {

	}

	/**
	 * An item that was not restored.
	 */
	public record SkippedItem(String orderId, String productId, long quantity, String reason) {

	}

	/**
	 * A drift finding from the audit table.
	 */
	public record DriftFinding(String productId, String redisKey, String kind, String redisBefore, Long postgresValue,
			String redisAfter, String action) {

	}

}
