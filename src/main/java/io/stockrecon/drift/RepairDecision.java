package io.stockrecon.drift;

import io.stockrecon.stock.CounterValue;

/**
 * The repair decisions of {@link DriftRepairWriter}, free of any store so that each rule
 * is pinned by a table of cases: what the second look makes of a suspect, and what the
 * answer of the compare-and-set makes of a repair.
 */
final class RepairDecision {

	private RepairDecision() {
	}

	/**
	 * What the second look makes of a suspect. {@link DriftAction#REPAIRED} means "repair
	 * it": the counter is then set by compare-and-set, and {@link #afterCompareAndSet}
	 * says what was done.
	 * @param productExists whether the product is still in the stock table
	 * @param stockNow its stock now, {@code null} when a checkout holds the row (skipped
	 * under {@code FOR SHARE SKIP LOCKED})
	 * @param redisNow the counter now
	 * @param dryRun whether the verify only reports
	 */
	static DriftAction secondLook(DriftSuspect suspect, boolean productExists, Long stockNow, CounterValue redisNow,
			boolean dryRun) {
		if (!productExists) {
			return DriftAction.PRODUCT_GONE;
		}
		if (stockNow == null) {
			return DriftAction.UNSETTLED;
		}
		if (DriftKind.classify(stockNow, redisNow) == DriftKind.EQUAL) {
			return DriftAction.RESOLVED;
		}
		// a side that moved between the looks is traffic, not drift: never force it
		if (stockNow != suspect.postgresValue() || !redisNow.equals(suspect.redisValue())) {
			return DriftAction.UNSETTLED;
		}
		return dryRun ? DriftAction.REPORTED : DriftAction.REPAIRED;
	}

	/**
	 * A repair whose compare-and-set found the counter as on the second look was applied;
	 * one a checkout moved in between is left alone.
	 */
	static DriftAction afterCompareAndSet(boolean applied) {
		return applied ? DriftAction.REPAIRED : DriftAction.UNSETTLED;
	}

}
