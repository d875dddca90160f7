package io.stockrecon.benchmark;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.async.RedisAsyncCommands;

import org.springframework.jdbc.core.simple.JdbcClient;

import io.stockrecon.benchmark.BenchmarkSettings.OrderRange;

/**
 * Generates the benchmark's shop with set-based SQL and pipelined Redis writes, and puts
 * it back into the same state before each measured run, so that the job and the limit
 * work on the same data.
 * <p>
 * Everything is deterministic: an order's status, items and quantities, a product's stock
 * and drift all follow from their ids.
 */
final class BenchmarkShop {

	/** Orders per generating statement: keeps each transaction and its WAL moderate. */
	private static final long ORDERS_PER_STATEMENT = 1_000_000;

	private static final int COUNTERS_PER_BATCH = 1_000;

	private static final String PRODUCTS = """
			INSERT INTO inventory (product_id, stock)
			SELECT p, 1000 + mod(p, 500)::int FROM generate_series(1::bigint, :products) AS p
			""";

	// multiplying by a prime coprime to 1000 spreads the cancelled orders evenly
	private static final String ORDERS = """
			INSERT INTO orders (id, status, updated_at)
			SELECT o, CASE WHEN mod(o * 7919, 1000) < :cancelledPerMille THEN 'cancelled' ELSE 'paid' END,
			       timestamptz '2030-01-01 00:00:00+00' - make_interval(secs => mod(o, 86400)::int)
			FROM generate_series(:first::bigint, :last) AS o
			""";

	// LATERAL keeps an order's items together, as an application inserts them
	private static final String ITEMS = """
			INSERT INTO order_items (order_id, product_id, quantity)
			SELECT o, 1 + mod(o * 2654435761 + k * 104729, :products), 1 + mod(o + k, 5)::int
			FROM generate_series(:first::bigint, :last) AS o, LATERAL generate_series(1, :itemsPerOrder) AS k
			""";

	/** What the cancellation trigger writes, for many orders in one statement. */
	private static final String QUEUE_CANCELLATIONS = """
			INSERT INTO stockrecon_order_events (order_id, kind, status)
			SELECT id, 'cancelled', status FROM orders
			WHERE id BETWEEN :first AND :last AND status = 'cancelled'
			ORDER BY id
			""";

	/** History: cancellations that earlier nights restored. */
	private static final String RESTORED_BEFORE = """
			INSERT INTO stock_restorations (order_id, reason, restored_at, units)
			SELECT o.id, 'cancelled', o.updated_at, (SELECT sum(1 + mod(o.id + k, 5)) FROM generate_series(1, :itemsPerOrder) AS k)
			FROM orders o
			WHERE o.id BETWEEN :first AND :last AND o.status = 'cancelled'
			""";

	/**
	 * The products whose counter {@link #counter} drifts. COPY takes no bind parameter:
	 * the share is a number from the settings.
	 */
	private static final String DRIFTED_STOCK = """
			COPY (SELECT product_id, stock FROM inventory WHERE mod(product_id * 7919, 1000000) < :driftPerMillion)
			TO STDOUT
			""";

	private static final String CHECKSUM = """
			SELECT count(*) AS products, sum(stock::bigint) AS units, sum(stock::bigint * mod(product_id, 9973)) AS weighted
			FROM inventory
			""";

	private final BenchmarkSettings settings;

	private final BenchmarkStores stores;

	private final JdbcClient jdbc;

	BenchmarkShop(BenchmarkSettings settings, BenchmarkStores stores) {
		this.settings = settings;
		this.stores = stores;
		this.jdbc = stores.jdbc();
	}

	void products() {
		this.jdbc.sql(PRODUCTS).param("products", this.settings.products()).update();
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

	/** Queues the range's cancelled orders, as the trigger would have. */
	long queueCancellations(OrderRange range) {
		return this.jdbc.sql(QUEUE_CANCELLATIONS).param("first", range.first()).param("last", range.last()).update();
	}

	/** Forgets that the range's orders were restored, so that a night can run again. */
	void forgetRestorations(OrderRange range) {
		this.jdbc.sql("DELETE FROM stock_restorations WHERE order_id BETWEEN :first AND :last")
			.param("first", range.first())
			.param("last", range.last())
			.update();
	}

	/** Records the range's cancelled orders as restored by earlier nights. */
	void restoredBefore(OrderRange range) {
		for (long first = range.first(); first <= range.last(); first += ORDERS_PER_STATEMENT) {
			this.jdbc.sql(RESTORED_BEFORE)
				.param("first", first)
				.param("last", Math.min(range.last(), first + ORDERS_PER_STATEMENT - 1))
				.param("itemsPerOrder", this.settings.itemsPerOrder())
				.update();
		}
	}

	/**
	 * Vacuums and analyzes the shop, as a production database would be, so that no
	 * autovacuum of the freshly generated rows runs during a measurement.
	 */
	void vacuum() throws SQLException {
		execute("VACUUM (ANALYZE) inventory, orders, order_items, stock_restorations, stockrecon_order_events");
	}

	/**
	 * Rewrites {@code inventory} in key order, as a fresh load leaves it. The incremental
	 * nights compare history with none, and the first look walks the key's index: a stock
	 * table that the restore scenario left scattered (most of its rows updated) would
	 * count against the nights with history, which run after it.
	 */
	void compactInventory() throws SQLException {
		execute("CLUSTER inventory USING inventory_pkey");
	}

	/** Remembers the state before the restore, for {@link #reset}. */
	void snapshot() throws SQLException {
		execute("CREATE TABLE bench_inventory_before AS SELECT product_id, stock FROM inventory");
		execute("CREATE TABLE bench_restorations_before AS SELECT * FROM stock_restorations");
	}

	/**
	 * Puts PostgreSQL and Redis back into the snapshot's state, with fresh tables, so
	 * that the limit and the job start from the same data in the same physical shape.
	 * @return the number of drifted counters
	 */
	long reset(OrderRange restoreOrders) throws SQLException {
		execute("""
				TRUNCATE inventory, stock_restorations, stockrecon_order_events, stockrecon_deleted_order_items,
				         stockrecon_counter_outbox, stockrecon_drift_suspects""");
		execute("INSERT INTO inventory SELECT product_id, stock FROM bench_inventory_before ORDER BY product_id");
		execute("INSERT INTO stock_restorations SELECT * FROM bench_restorations_before ORDER BY order_id");
		queueCancellations(restoreOrders);
		execute("VACUUM (ANALYZE) inventory, stock_restorations, stockrecon_order_events");
		long drifted = loadCounters();
		checkpoint();
		return drifted;
	}

	/**
	 * Sets every counter from {@code inventory}, then drifts a deterministic share of
	 * them: a third too high, a third too low, a third missing.
	 * @return the number of drifted counters
	 */
	long loadCounters() throws SQLException {
		return writeCounters("COPY (SELECT product_id, stock FROM inventory) TO STDOUT");
	}

	/**
	 * Drifts the same counters as {@link #loadCounters} again, and only those: after a
	 * verify repaired them, the next run finds the same work.
	 * @return the number of drifted counters
	 */
	long driftCountersAgain() throws SQLException {
		return writeCounters(
				DRIFTED_STOCK.replace(":driftPerMillion", Integer.toString(this.settings.driftPerMillion())));
	}

	/** Sets the counter of every product the COPY returns, as {@link #counter} says. */
	private long writeCounters(String copy) throws SQLException {
		String prefix = this.stores.keyPrefix();
		long[] drifted = { 0 };
		try (RedisPipeline pipeline = new RedisPipeline(this.stores.redis())) {
			RedisAsyncCommands<String, String> redis = pipeline.commands();
			Map<String, String> values = new HashMap<>();
			List<String> missing = new ArrayList<>();
			InventoryCopy.stream(this.stores.connection(), copy, (productId, stock) -> {
				String key = prefix + productId;
				String value = counter(productId, stock, this.settings.driftPerMillion());
				if (value == null) {
					missing.add(key);
				}
				else {
					values.put(key, value);
				}
				drifted[0] += (value == null || !value.equals(Long.toString(stock))) ? 1 : 0;
				if (values.size() + missing.size() >= COUNTERS_PER_BATCH) {
					send(pipeline, redis, values, missing);
				}
			});
			send(pipeline, redis, values, missing);
		}
		return drifted[0];
	}

	/** Sets the batch's counters and removes the missing ones, pipelined. */
	static void send(RedisPipeline pipeline, RedisAsyncCommands<String, String> redis, Map<String, String> values,
			List<String> missing) {
		List<RedisFuture<?>> replies = new ArrayList<>(2);
		if (!values.isEmpty()) {
			replies.add(redis.mset(Map.copyOf(values)));
		}
		if (!missing.isEmpty()) {
			replies.add(redis.unlink(missing.toArray(String[]::new)));
		}
		values.clear();
		missing.clear();
		pipeline.send(() -> replies.forEach(RedisPipeline::await));
	}

	/** A product's counter before the night: its stock, drifted for a few products. */
	static String counter(long productId, long stock, int driftPerMillion) {
		if (Math.floorMod(productId * 7919, 1_000_000) >= driftPerMillion) {
			return Long.toString(stock);
		}
		return switch ((int) Math.floorMod(productId, 3L)) {
			case 0 -> Long.toString(stock + 5);
			case 1 -> Long.toString(stock - 3);
			default -> null;
		};
	}

	/** A fingerprint of {@code inventory}, to check that the job and the limit agree. */
	Checksum checksum() {
		return this.jdbc.sql(CHECKSUM).query(Checksum.class).single();
	}

	long cancelledOrders(OrderRange range) {
		return this.jdbc.sql("SELECT count(*) FROM orders WHERE id BETWEEN :first AND :last AND status = 'cancelled'")
			.param("first", range.first())
			.param("last", range.last())
			.query(Long.class)
			.single();
	}

	long count(String sql) {
		return this.jdbc.sql(sql).query(Long.class).single();
	}

	/** Starts a measurement without the dirty pages of the generation behind it. */
	void checkpoint() throws SQLException {
		execute("CHECKPOINT");
	}

	private void execute(String sql) throws SQLException {
		try (Statement statement = this.stores.connection().createStatement()) {
			statement.execute(sql);
		}
	}

	/**
	 * @param products rows of {@code inventory}
	 * @param units their stock added up
	 * @param weighted their stock weighted by product id, to catch units moved between
	 * products
	 */
	record Checksum(long products, long units, long weighted) {

	}

}
