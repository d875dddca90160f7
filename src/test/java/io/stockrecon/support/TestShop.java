package io.stockrecon.support;

import java.util.List;
import java.util.Map;

/**
 * A generated shop that scenarios drive the way a shop's own code does, with plain SQL
 * and plain Redis commands, whatever its schema: products and orders are numbered from 1
 * by the scenario, and each shop turns a number into its own key. It knows its tables,
 * the settings that map stockrecon onto them, and how to read both stores back for the
 * conservation check.
 */
public interface TestShop {

	/** Units every product starts with, before any order took some. */
	int INITIAL_STOCK = ShopData.INITIAL_STOCK;

	ShopKind kind();

	/**
	 * The launch arguments that point stockrecon at this shop's tables and counters.
	 */
	List<String> settings();

	/**
	 * Creates the shop's tables on an empty database, before stockrecon first starts: the
	 * job never creates a mapped shop's tables. The default shop's are created by the job
	 * itself.
	 */
	void createTables();

	/**
	 * Products with {@link #INITIAL_STOCK} units, and paid orders of three lines each
	 * that took their units from stock in both stores.
	 */
	void generatePaid(int products, int orders);

	/**
	 * Spellings of this shop's cancelled status: as configured, capitalized with spaces
	 * around, and in capitals; each must count as cancelled.
	 */
	List<String> cancelledSpellings();

	/**
	 * Gives the orders of these numbers that are still paid these statuses (one each; for
	 * a number given twice, one of its statuses), with plain SQL.
	 * @return how many orders changed
	 */
	int cancel(long[] orders, String[] statuses);

	/**
	 * Deletes the orders of these numbers, their lines going by cascade.
	 * @return how many orders were deleted
	 */
	int delete(long[] orders);

	/** The stock key of product number {@code product}, as PostgreSQL prints it. */
	String productKey(long product);

	/**
	 * Sets counters by stock key, including keys that name no product (orphans).
	 */
	void setCounters(Map<String, String> valuesByKey);

	/** Removes the counter of a stock key. */
	void deleteCounter(String key);

	/** Every product's stock in PostgreSQL, by stock key, in key order. */
	Map<String, Long> stock();

	/**
	 * Stock conservation: for every product, the initial stock minus the units of every
	 * order that still exists and is not cancelled. Deleted orders went with their lines,
	 * so their units are back too.
	 */
	Map<String, Long> expectedStock();

	/** The counters of these stock keys, {@code null} for a missing one, in order. */
	List<String> counters(List<String> keys);

}
