package io.stockrecon.stock;

/**
 * What happened in Redis to the units of one counter in one delivery (summed over its
 * {@link QueuedUnits outbox rows}).
 */
public enum DeliveryOutcome {

	/** The units were added to the counter now. */
	APPLIED,

	/**
	 * An earlier attempt added them already (its marker is still there): nothing done.
	 */
	ALREADY_APPLIED,

	/**
	 * The counter does not exist. It is not created from a partial value; the verify step
	 * sets it from PostgreSQL.
	 */
	COUNTER_MISSING,

	/** The counter holds no integer (or would overflow): left to the verify step. */
	COUNTER_INVALID;

	static DeliveryOutcome fromScriptResult(long code) {
		return switch ((int) code) {
			case 0 -> ALREADY_APPLIED;
			case 1 -> APPLIED;
			case 2 -> COUNTER_MISSING;
			default -> COUNTER_INVALID;
		};
	}

}
