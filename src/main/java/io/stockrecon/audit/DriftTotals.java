package io.stockrecon.audit;

import java.util.Map;

import io.stockrecon.drift.DriftAction;
import io.stockrecon.drift.DriftKind;

/**
 * What one execution found and did about drift, from {@code stockrecon_drift_audit}.
 *
 * @param byKindAndAction counts keyed by kind, then by action, each by its stored code
 */
public record DriftTotals(Map<String, Map<String, Long>> byKindAndAction) {

	/** Drift confirmed by the second look: repaired, or reported by a dry run. */
	public long confirmedDrift() {
		return this.byKindAndAction.entrySet()
			.stream()
			.filter((kind) -> !kind.getKey().equals(DriftKind.ORPHAN.code()))
			.flatMap((kind) -> kind.getValue().entrySet().stream())
			.filter((action) -> DriftAction.ofCode(action.getKey()).confirmsDrift())
			.mapToLong(Map.Entry::getValue)
			.sum();
	}

	public long count(DriftAction action) {
		return this.byKindAndAction.values()
			.stream()
			.mapToLong((actions) -> actions.getOrDefault(action.code(), 0L))
			.sum();
	}

	public long findings() {
		return this.byKindAndAction.values()
			.stream()
			.flatMap((actions) -> actions.values().stream())
			.mapToLong(Long::longValue)
			.sum();
	}

}
