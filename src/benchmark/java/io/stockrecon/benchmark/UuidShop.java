package io.stockrecon.benchmark;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.lettuce.core.api.async.RedisAsyncCommands;

import org.springframework.jdbc.core.simple.JdbcClient;

import io.stockrecon.benchmark.BenchmarkSettings.OrderRange;
import io.stockrecon.benchmark.BenchmarkShop.Checksum;

/**
 * A shop that does not follow stockrecon's names (issue 11): uuid ids in
 * {@code shop_orders}, {@code shop_order_items} and {@code shop_products}, which the job
 * reaches through {@code stockrecon.shop.*} and a Redis key template. It holds the same
 * data as {@link BenchmarkShop}'s restore scenario: order and product ordinal {@code n}
 * becomes the uuid {@code md5('order-' || n)} or {@code md5('product-' || n)}, and
 * statuses, items, quantities, stock and drift follow from the ordinals by the same
 * rules, so the two shops' figures compare.
 * <p>
 * The tables exist before the job first starts, as a mapped shop's must. The harness
 * keeps each product's ordinal in a table of its own ({@code bench_products_before}, also
 * the snapshot that {@link #reset} restores); the shop's tables hold only what a shop
 * would.
 */
final class UuidShop {

	private static final long ORDERS_PER_STATEMENT = 1_000_000;

	private static final int COUNTERS_PER_BATCH = 1_000;

	private static final String TABLES = """
			CREATE TABLE shop_products (
			    id    uuid PRIMARY KEY,
			    stock integer NOT NULL
			);
			CREATE TABLE shop_orders (
			    id     uuid PRIMARY KEY,
			    status text NOT NULL
			);
			CREATE TABLE shop_order_items (
			    order_id   uuid NOT NULL REFERENCES shop_orders (id) ON DELETE CASCADE,
			    product_id uuid NOT NULL,
			    quantity   integer NOT NULL
			);
			CREATE INDEX shop_order_items_order_id_idx ON shop_order_items (order_id);
			CREATE TABLE bench_products_before (
			    ordinal bigint PRIMARY KEY,
			    id      uuid NOT NULL,
			    stock   integer NOT NULL
			);
			""";

	private static final String PRODUCTS_BEFORE = """
			INSERT INTO bench_products_before (ordinal, id, stock)
			SELECT p, md5('product-' || p)::uuid, 1000 + mod(p, 500)::int FROM generate_series(1::bigint, :products) AS p
			""";

	private static final String PRODUCTS = """
			INSERT INTO shop_products (id, stock) SELECT id, stock FROM bench_products_before ORDER BY id
			""";

	// the same status rule as BenchmarkShop's, on the order's ordinal
	private static final String ORDERS = """
			INSERT INTO shop_orders (id, status)
			SELECT md5('order-' || o)::uuid,
			       CASE WHEN mod(o * 7919, 1000) < :cancelledPerMille THEN 'cancelled' ELSE 'paid' END
			FROM generate_series(:first::bigint, :last) AS o
			""";

	// the same items as BenchmarkShop's, their ordinals turned into uuids
	private static final String ITEMS = """
			INSERT INTO shop_order_items (order_id, product_id, quantity)
			SELECT md5('order-' || o)::uuid, md5('product-' || (1 + mod(o * 2654435761 + k * 104729, :products)))::uuid,
			       1 + mod(o + k, 5)::int
			FROM generate_series(:first::bigint, :last) AS o, LATERAL generate_series(1, :itemsPerOrder) AS k
			""";

	/**
	 * What the cancellation trigger writes, for many orders in one statement, in the
	 * order the orders were placed (their ordinals), as a trigger would have seen them.
	 */
	private static final String QUEUE_CANCELLATIONS = """
			INSERT INTO stockrecon_order_events (order_id, kind, status)
			SELECT o.id, 'cancelled', o.status
			FROM generate_series(:first::bigint, :last) AS n JOIN shop_orders o ON o.id = md5('order-' || n)::uuid
			WHERE o.status = 'cancelled'
			ORDER BY n
			""";

	private static final String COUNTERS = """
			SELECT ordinal, id::text, stock FROM bench_products_before
			""";

	private static final String CHECKSUM = """
			SELECT count(*) AS products, sum(stock::bigint) AS units,
			       sum(stock::bigint * mod(hashtext(id::text)::bigint, 9973)) AS weighted
			FROM shop_products
			""";

	private final BenchmarkSettings settings;

	private final BenchmarkStores stores;

	private final JdbcClient jdbc;

	UuidShop(BenchmarkSettings settings, BenchmarkStores stores) {
		this.settings = settings;
		this.stores = stores;
		this.jdbc = stores.jdbc();
	}

	/**
	 * The settings that fit the job to this shop: every table and column by name, and the
	 * counters under the stores' own prefix by a key template.
	 */
	List<String> jobArguments() {
		return List.of("--stockrecon.shop.stock.table=shop_products", "--stockrecon.shop.stock.key-column=id",
				"--stockrecon.shop.stock.quantity-column=stock", "--stockrecon.shop.orders.table=shop_orders",
				"--stockrecon.shop.orders.id-column=id", "--stockrecon.shop.orders.status-column=status",
				"--stockrecon.shop.items.table=shop_order_items", "--stockrecon.shop.items.order-column=order_id",
				"--stockrecon.shop.items.key-column=product_id", "--stockrecon.shop.items.quantity-column=quantity",
				"--stockrecon.redis.key-template=" + this.stores.keyPrefix() + "<id>");
	}

	/** The shop's tables, empty: they must exist before the job's first start. */
	void tables() throws SQLException {
		execute(TABLES);
	}

	void products() {
		this.jdbc.sql(PRODUCTS_BEFORE).param("products", this.settings.products()).update();
		this.jdbc.sql(PRODUCTS).update();
	}

	/** Orders of the range with their items; a share of them cancelled. */
	void orders(OrderRange range, int cancelledPerMille) {
		for (long first = range.first(); first <= range.last(); first += ORDERS_PER_STATEMENT) {
			long last = Math.min(range.last(), first + ORDERS_PER_STATEMENT - 1);
			this.jdbc.sql(ORDERS)
				.param("first", first)
				.param("last", last)
				.param("cancelledPerMille", cancelledPerMille)
				.update();
			this.jdbc.sql(ITEMS)
				.param("first", first)
				.param("last", last)
				.param("products", this.settings.products())
				.param("itemsPerOrder", this.settings.itemsPerOrder())
				.update();
		}
	}

	/** As {@link BenchmarkShop#vacuum()}: no autovacuum during a measurement. */
	void vacuum() throws SQLException {
		execute("VACUUM (ANALYZE) shop_products, shop_orders, shop_order_items, bench_products_before, "
				+ "stock_restorations, stockrecon_order_events");
	}

	long cancelledOrders() {
		return this.jdbc.sql("SELECT count(*) FROM shop_orders WHERE status = 'cancelled'").query(Long.class).single();
	}

	/**
	 * Puts PostgreSQL and Redis back into the generated state, with fresh tables, so that
	 * the limit and the job start from the same data in the same physical shape: stock
	 * from {@code bench_products_before}, an empty ledger (this shop has no history), the
	 * range's cancellations queued, every counter loaded.
	 * @return the number of drifted counters
	 */
	long reset(OrderRange restoreOrders) throws SQLException {
		execute("""
				TRUNCATE shop_products, stock_restorations, stockrecon_order_events, stockrecon_deleted_order_items,
				         stockrecon_counter_outbox, stockrecon_drift_suspects""");
		this.jdbc.sql(PRODUCTS).update();
		this.jdbc.sql(QUEUE_CANCELLATIONS)
			.param("first", restoreOrders.first())
			.param("last", restoreOrders.last())
			.update();
		execute("VACUUM (ANALYZE) shop_products, stock_restorations, stockrecon_order_events");
		long drifted = loadCounters();
		execute("CHECKPOINT");
		return drifted;
	}

	/**
	 * Sets every counter from the generated stock and drifts the same share as
	 * {@link BenchmarkShop#counter}, by the product's ordinal.
	 */
	private long loadCounters() throws SQLException {
		String prefix = this.stores.keyPrefix();
		long drifted = 0;
		Connection connection = this.stores.connection();
		connection.setAutoCommit(false);
		try (RedisPipeline pipeline = new RedisPipeline(this.stores.redis());
				PreparedStatement select = connection.prepareStatement(COUNTERS)) {
			// a cursor: a million rows stream instead of filling the harness's heap
			select.setFetchSize(10_000);
			RedisAsyncCommands<String, String> redis = pipeline.commands();
			Map<String, String> values = new HashMap<>();
			List<String> missing = new ArrayList<>();
			try (ResultSet rows = select.executeQuery()) {
				while (rows.next()) {
					String key = prefix + rows.getString(2);
					long stock = rows.getLong(3);
					String value = BenchmarkShop.counter(rows.getLong(1), stock, this.settings.driftPerMillion());
					if (value == null) {
						missing.add(key);
					}
					else {
						values.put(key, value);
					}
					drifted += (value == null || !value.equals(Long.toString(stock))) ? 1 : 0;
					if (values.size() + missing.size() >= COUNTERS_PER_BATCH) {
						BenchmarkShop.send(pipeline, redis, values, missing);
					}
				}
			}
			BenchmarkShop.send(pipeline, redis, values, missing);
			connection.commit();
		}
		finally {
			connection.setAutoCommit(true);
		}
		return drifted;
	}

	/**
	 * A fingerprint of {@code shop_products}, to check that the job and the limit agree.
	 */
	Checksum checksum() {
		return this.jdbc.sql(CHECKSUM).query(Checksum.class).single();
	}

	private void execute(String sql) throws SQLException {
		try (Statement statement = this.stores.connection().createStatement()) {
			statement.execute(sql);
		}
	}

}
