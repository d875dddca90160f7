package io.stockrecon.audit;

import java.util.Map;

/**
 * What one execution found and did about drift, from {@code stockrecon_drift_audit}.
 *
 * @param byKindAndAction counts keyed by kind, then by action
 */
public record DriftTotals(Map<String, Map<String, Long>> byKindAndAction) {

	/** Drift confirmed by the second look: repaired, or reported by a dry run. */
	public long confirmedDrift() {
		return this.byKindAndAction.entrySet()
			.stream()
			.filter((kind) -> !kind.getKey().equals("orphan"))
			.flatMap((kind) -> kind.getValue().entrySet().stream())
			.filter((action) -> action.getKey().equals("repaired") || action.getKey().equals("reported"))
			.mapToLong(Map.Entry::getValue)
			.sum();
	}

	public long count(String action) {
		return this.byKindAndAction.values().stream().mapToLong((actions) -> actions.getOrDefault(action, 0L)).sum();
	}

	public long findings() {
		return this.byKindAndAction.values()
			.stream()
			.flatMap((actions) -> actions.values().stream())
			.mapToLong(Long::longValue)
			.sum();
	}

}
