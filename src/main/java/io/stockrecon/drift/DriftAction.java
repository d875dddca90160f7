package io.stockrecon.drift;

/**
 * What the verify did about a finding. The codes are stored in the {@code action} column
 * of {@code stockrecon_drift_audit} and read back by the reports and the metrics, so a
 * code never changes.
 */
public enum DriftAction {

	/**
	 * The second look confirmed the drift and the counter was set to PostgreSQL's stock.
	 */
	REPAIRED("repaired"),

	/** Drift left as it is: confirmed by a dry run, or an orphan that was not deleted. */
	REPORTED("reported"),

	/** The two sides agreed by the second look. */
	RESOLVED("resolved"),

	/**
	 * A side moved between the looks, or a checkout held the stock row: in flight, so
	 * left alone.
	 */
	UNSETTLED("unsettled"),

	/** The product left the stock table between the looks. */
	PRODUCT_GONE("product-gone"),

	/** An orphan counter deleted with {@code --delete-orphans}. */
	DELETED("deleted");

	private final String code;

	DriftAction(String code) {
		this.code = code;
	}

	public String code() {
		return this.code;
	}

	/**
	 * Whether a finding with this action is drift the second look confirmed: repaired, or
	 * reported by a dry run.
	 */
	public boolean confirmsDrift() {
		return this == REPAIRED || this == REPORTED;
	}

	public static DriftAction ofCode(String code) {
		for (DriftAction action : values()) {
			if (action.code.equals(code)) {
				return action;
			}
		}
		throw new IllegalArgumentException("Unknown drift action " + code);
	}

}
