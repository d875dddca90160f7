package io.stockrecon.restore;

/**
 * Why an item was not restored. The names are what the audit table and the reports show.
 */
enum SkipReason {

	/** The item names a product that {@code inventory} does not have. */
	UNKNOWN_PRODUCT("unknown-product"),

	/** A quantity of zero or less would take stock away instead of giving it back. */
	NON_POSITIVE_QUANTITY("non-positive-quantity"),

	/** Adding the units would push {@code inventory.stock} past the integer range. */
	STOCK_OVERFLOW("stock-overflow");

	private final String code;

	SkipReason(String code) {
		this.code = code;
	}

	String code() {
		return this.code;
	}

}
