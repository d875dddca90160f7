package io.stockrecon.benchmark;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;

import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.async.RedisAsyncCommands;

/**
 * The physical limit of the job's work on the same data: what it costs to do that work in
 * the fewest round trips the stores allow, with none of the job's per-chunk bookkeeping.
 * The job's time divided by this is the benchmark's ratio.
 */
final class PhysicalLimits {

	private static final int KEYS_PER_BATCH = 1_000;

	/**
	 * The restore as one statement: claim the due orders in the ledger (with their
	 * units), add their items to {@code inventory}, and return the delta of each product
	 * for Redis. Same rules as the job: only orders still cancelled, only orders the
	 * ledger does not know.
	 */
	private static final String RESTORE_SET_BASED = """
			WITH due AS (
			    SELECT DISTINCT e.order_id
			    FROM stockrecon_order_events e JOIN orders o ON o.id = e.order_id
			    WHERE e.kind = 'cancelled' AND lower(btrim(o.status, E' \\t\\r\\n')) = 'cancelled'
			), items AS (
			    SELECT i.order_id, i.product_id, i.quantity FROM due d JOIN order_items i ON i.order_id = d.order_id
			), units AS (
			    SELECT order_id, sum(quantity) AS units FROM items GROUP BY order_id
			), claimed AS (
			    INSERT INTO stock_restorations (order_id, reason, units)
			    SELECT d.order_id, 'cancelled', coalesce(u.units, 0)
			    FROM due d LEFT JOIN units u ON u.order_id = d.order_id
			    ORDER BY d.order_id
			    ON CONFLICT (order_id) DO NOTHING
			    RETURNING order_id
			), deltas AS (
			    SELECT i.product_id, sum(i.quantity)::bigint AS delta
			    FROM items i JOIN claimed c ON c.order_id = i.order_id
			    GROUP BY i.product_id
			)
			UPDATE inventory AS inv SET stock = inv.stock + d.delta
			FROM deltas d
			WHERE inv.product_id = d.product_id
			RETURNING inv.product_id, d.delta
			""";

	private static final String CONSUME_QUEUE = """
			DELETE FROM stockrecon_order_events WHERE kind = 'cancelled'
			""";

	private static final String STOCK_IN_ORDER = """
			COPY (SELECT product_id, stock FROM inventory ORDER BY product_id) TO STDOUT
			""";

	private final BenchmarkStores stores;

	private final BenchmarkSettings settings;

	PhysicalLimits(BenchmarkStores stores, BenchmarkSettings settings) {
		this.stores = stores;
		this.settings = settings;
	}

	/**
	 * One set-based transaction that restores the queued cancelled orders, then pipelined
	 * {@code INCRBY}s of the deltas it returned, in the raw protocol: Redis after the
	 * commit, as exactly-once requires.
	 */
	RestoreLimit restore() throws SQLException {
		Connection connection = this.stores.connection();
		long started = System.nanoTime();
		LongPairs deltas = new LongPairs();
		connection.setAutoCommit(false);
		try {
			try (Statement statement = connection.createStatement()) {
				// the set-based plan hashes a million groups: let it do so in memory
				statement.execute("SET LOCAL work_mem = '256MB'");
			}
			try (PreparedStatement restore = connection.prepareStatement(RESTORE_SET_BASED);
					ResultSet rows = restore.executeQuery()) {
				while (rows.next()) {
					deltas.add(rows.getLong(1), rows.getLong(2));
				}
			}
			try (Statement statement = connection.createStatement()) {
				statement.executeUpdate(CONSUME_QUEUE);
			}
			connection.commit();
		}
		catch (SQLException ex) {
			connection.rollback();
			throw ex;
		}
		finally {
			connection.setAutoCommit(true);
		}
		long committed = System.nanoTime();
		try {
			RespIncrements.send(this.settings.redisHost(), this.settings.redisPort(), this.stores.keyPrefix(),
					deltas.firstColumn(), deltas.secondColumn(), deltas.size());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		long done = System.nanoTime();
		return new RestoreLimit(deltas.size(), seconds(started, committed), seconds(committed, done));
	}

	/**
	 * Reads both sides once: a {@code COPY} of the stock column in product order and
	 * pipelined {@code MGET}s of the same products' counters, compared as they stream.
	 */
	VerifyLimit verify() throws SQLException {
		String prefix = this.stores.keyPrefix();
		long started = System.nanoTime();
		long[] mismatches = { 0 };
		long products;
		try (RedisPipeline pipeline = new RedisPipeline(this.stores.redis())) {
			RedisAsyncCommands<String, String> redis = pipeline.commands();
			LongPairs page = new LongPairs();
			products = InventoryCopy.stream(this.stores.connection(), STOCK_IN_ORDER, (productId, stock) -> {
				page.add(productId, stock);
				if (page.size() == KEYS_PER_BATCH) {
					compare(pipeline, redis, prefix, page, mismatches);
					page.clear();
				}
			});
			compare(pipeline, redis, prefix, page, mismatches);
		}
		return new VerifyLimit(products, mismatches[0], seconds(started, System.nanoTime()));
	}

	private static void compare(RedisPipeline pipeline, RedisAsyncCommands<String, String> redis, String prefix,
			LongPairs page, long[] mismatches) {
		if (page.size() == 0) {
			return;
		}
		String[] keys = new String[page.size()];
		long[] stock = new long[page.size()];
		for (int i = 0; i < keys.length; i++) {
			keys[i] = prefix + page.first(i);
			stock[i] = page.second(i);
		}
		RedisFuture<List<KeyValue<String, String>>> reply = redis.mget(keys);
		pipeline.send(() -> {
			List<KeyValue<String, String>> values = RedisPipeline.await(reply);
			for (int i = 0; i < stock.length; i++) {
				KeyValue<String, String> value = values.get(i);
				if (!value.hasValue() || !value.getValue().equals(Long.toString(stock[i]))) {
					mismatches[0]++;
				}
			}
		});
	}

	private static double seconds(long from, long to) {
		return (to - from) / 1e9;
	}

	/**
	 * @param products products whose stock the restore changed
	 * @param sqlSeconds the transaction, commit included
	 * @param redisSeconds the pipelined increments
	 */
	record RestoreLimit(long products, double sqlSeconds, double redisSeconds) {

		double seconds() {
			return this.sqlSeconds + this.redisSeconds;
		}

	}

	/**
	 * @param products products compared
	 * @param mismatches counters that differ from PostgreSQL or are missing
	 * @param seconds the whole comparison
	 */
	record VerifyLimit(long products, long mismatches, double seconds) {

	}

	/** A growable pair of long columns, without boxing a million rows. */
	private static final class LongPairs {

		private long[] firsts = new long[1024];

		private long[] seconds = new long[1024];

		private int size;

		void add(long first, long second) {
			if (this.size == this.firsts.length) {
				this.firsts = Arrays.copyOf(this.firsts, this.size * 2);
				this.seconds = Arrays.copyOf(this.seconds, this.size * 2);
			}
			this.firsts[this.size] = first;
			this.seconds[this.size] = second;
			this.size++;
		}

		long first(int i) {
			return this.firsts[i];
		}

		long second(int i) {
			return this.seconds[i];
		}

		int size() {
			return this.size;
		}

		/** The first column's backing array: valid up to {@link #size()}. */
		long[] firstColumn() {
			return this.firsts;
		}

		/** The second column's backing array: valid up to {@link #size()}. */
		long[] secondColumn() {
			return this.seconds;
		}

		void clear() {
			this.size = 0;
		}

	}

}
