package io.stockrecon.drift;

import java.util.ArrayList;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;

import io.stockrecon.shop.ShopMapping;

/**
 * Streams one partition's range of the stock table by key, a page at a time (keyset
 * pagination): memory stays flat however many products there are, and each page is a
 * fresh read, so a counter is compared with stock read a moment before it, not at the
 * start of the step.
 * <p>
 * A page is one query and one list, not an item at a time: the first look reads a million
 * rows. It keeps no position across restarts: a restart looks at the whole range again,
 * because the counters seen before the failure may have changed since (Redis restarted
 * empty), and a first look is cheap.
 */
class StockPages {

	/*
	 * The stock table under stockrecon's column names; PostgreSQL flattens the subquery,
	 * so the pages still walk the key's index. One statement per kind of bound, all
	 * constant text.
	 */

	private static final String WHOLE_TABLE = """
			SELECT product_id, stock
			FROM (SELECT ${stock.key} AS product_id, ${stock.quantity} AS stock FROM ${stock}) AS stock
			ORDER BY product_id
			LIMIT :pageSize
			""";

	private static final String AFTER = """
			SELECT product_id, stock
			FROM (SELECT ${stock.key} AS product_id, ${stock.quantity} AS stock FROM ${stock}) AS stock
			WHERE product_id > CAST(:after AS ${stock_key_type})
			ORDER BY product_id
			LIMIT :pageSize
			""";

	private static final String UP_TO = """
			SELECT product_id, stock
			FROM (SELECT ${stock.key} AS product_id, ${stock.quantity} AS stock FROM ${stock}) AS stock
			WHERE product_id <= CAST(:upTo AS ${stock_key_type})
			ORDER BY product_id
			LIMIT :pageSize
			""";

	private static final String BETWEEN = """
			SELECT product_id, stock
			FROM (SELECT ${stock.key} AS product_id, ${stock.quantity} AS stock FROM ${stock}) AS stock
			WHERE product_id > CAST(:after AS ${stock_key_type}) AND product_id <= CAST(:upTo AS ${stock_key_type})
			ORDER BY product_id
			LIMIT :pageSize
			""";

	private static final String ESTIMATED_ROWS = """
			SELECT greatest(reltuples, 0)::bigint FROM pg_class WHERE oid = to_regclass(:stockTable)
			""";

	private final JdbcClient jdbc;

	private final int pageSize;

	private final String lowerBound;

	private final String upTo;

	private final boolean empty;

	/** The page from the range's start, when it has no lower bound. */
	private final String fromStart;

	/** A page after a key. */
	private final String fromKey;

	/** The last key read, {@code null} before the first page of an unbounded range. */
	private String after;

	private boolean exhausted;

	/**
	 * @param after the range's exclusive lower bound, {@code null} for none
	 * @param upTo its inclusive upper bound, {@code null} for none
	 * @param empty whether the range holds nothing at all
	 */
	StockPages(JdbcClient jdbc, ShopMapping shop, int pageSize, String after, String upTo, boolean empty) {
		this.jdbc = jdbc;
		this.pageSize = pageSize;
		this.lowerBound = after;
		this.upTo = upTo;
		this.empty = empty;
		this.fromStart = shop.sql((upTo != null) ? UP_TO : WHOLE_TABLE);
		this.fromKey = shop.sql((upTo != null) ? BETWEEN : AFTER);
		rewind();
	}

	/**
	 * The stock table's rows as PostgreSQL last estimated them: cheap, 0 when unknown.
	 */
	static long estimatedProducts(JdbcClient jdbc, ShopMapping shop) {
		return jdbc.sql(ESTIMATED_ROWS).param("stockTable", shop.stockTable()).query(Long.class).single();
	}

	/** Back to the start of the range. */
	void rewind() {
		this.after = this.lowerBound;
		this.exhausted = this.empty;
	}

	/** The next page, in key order; empty at the end of the range. */
	List<InventoryStock> next() {
		if (this.exhausted) {
			return List.of();
		}
		JdbcClient.StatementSpec page = this.jdbc.sql((this.after != null) ? this.fromKey : this.fromStart)
			.param("pageSize", this.pageSize);
		if (this.after != null) {
			page = page.param("after", this.after);
		}
		if (this.upTo != null) {
			page = page.param("upTo", this.upTo);
		}
		List<InventoryStock> products = new ArrayList<>(this.pageSize);
		page.query((rs) -> {
			products.add(new InventoryStock(rs.getString(1), rs.getLong(2)));
		});
		if (products.size() < this.pageSize) {
			this.exhausted = true;
		}
		if (!products.isEmpty()) {
			this.after = products.get(products.size() - 1).productId();
		}
		return products;
	}

}
