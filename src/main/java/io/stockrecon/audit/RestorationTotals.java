package io.stockrecon.audit;

import java.util.Map;

/**
 * What one execution restored and skipped, read back from the ledger and the skip table.
 *
 * @param ordersByReason restored orders by ledger reason
 * @param unitsByReason restored units by ledger reason
 * @param skippedByReason skipped items by reason
 * @param pendingForRedis products whose restored units wait in the outbox for Redis,
 * counted once per outbox row (any execution)
 */
public record RestorationTotals(Map<String, Long> ordersByReason, Map<String, Long> unitsByReason,
		Map<String, Long> skippedByReason, long pendingForRedis) {

	public long orders() {
		return this.ordersByReason.values().stream().mapToLong(Long::longValue).sum();
	}

	public long units() {
		return this.unitsByReason.values().stream().mapToLong(Long::longValue).sum();
	}

	public long skipped() {
		return this.skippedByReason.values().stream().mapToLong(Long::longValue).sum();
	}

}
