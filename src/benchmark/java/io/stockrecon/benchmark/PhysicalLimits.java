package io.stockrecon.benchmark;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;

import io.stockrecon.drift.VerifyStepsConfiguration;

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

	private static final String STOCK_IN_ORDER = """
			COPY (SELECT product_id, stock FROM inventory ORDER BY product_id) TO STDOUT
			""";

	/** {@link #RESTORE_SET_BASED} on the tables of {@link UuidShop}. */
	private static final String UUID_RESTORE_SET_BASED = """
			WITH due AS (
			    SELECT DISTINCT e.order_id
			    FROM stockrecon_order_events e JOIN shop_orders o ON o.id = e.order_id
			    WHERE e.kind = 'cancelled' AND lower(btrim(o.status, E' \\t\\r\\n')) = 'cancelled'
			), items AS (
			    SELECT i.order_id, i.product_id, i.quantity FROM due d JOIN shop_order_items i ON i.order_id = d.order_id
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
			UPDATE shop_products AS p SET stock = p.stock + d.delta
			FROM deltas d
			WHERE p.id = d.product_id
			RETURNING p.id, d.delta
			""";

	private static final String UUID_STOCK_IN_ORDER = """
			COPY (SELECT id, stock FROM shop_products ORDER BY id) TO STDOUT
			""";

	/** The limit's statements on the benchmark's own shop: bigint keys, default names. */
	static final ShopStatements BIGINT_SHOP = new ShopStatements(RESTORE_SET_BASED, STOCK_IN_ORDER);

	/** The limit's statements on {@link UuidShop}: uuid keys, mapped names. */
	static final ShopStatements UUID_SHOP = new ShopStatements(UUID_RESTORE_SET_BASED, UUID_STOCK_IN_ORDER);

	private static final String CONSUME_QUEUE = """
			DELETE FROM stockrecon_order_events WHERE kind = 'cancelled'
			""";

	private final BenchmarkStores stores;

	private final BenchmarkSettings settings;

	private final ShopStatements shop;

	PhysicalLimits(BenchmarkStores stores, BenchmarkSettings settings, ShopStatements shop) {
		this.stores = stores;
		this.settings = settings;
		this.shop = shop;
	}

	/**
	 * One set-based transaction that restores the queued cancelled orders, then pipelined
	 * {@code INCRBY}s of the deltas it returned, in the raw protocol: Redis after the
	 * commit, as exactly-once requires.
	 */
	RestoreLimit restore() throws SQLException {
		Connection connection = this.stores.connection();
		long started = System.nanoTime();
		KeyedLongs deltas = new KeyedLongs();
		connection.setAutoCommit(false);
		try {
			try (Statement statement = connection.createStatement()) {
				// the set-based plan hashes a million groups: let it do so in memory
				statement.execute("SET LOCAL work_mem = '256MB'");
			}
			try (PreparedStatement restore = connection.prepareStatement(this.shop.restore());
					ResultSet rows = restore.executeQuery()) {
				while (rows.next()) {
					deltas.add(rows.getString(1), rows.getLong(2));
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
			RespIncrements.send(this.settings.redisHost(), this.settings.redisPort(), this.stores.redisDatabase(),
					this.stores.keyPrefix(), deltas.keys(), deltas.values(), deltas.size());
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
	 * Keys stay text, so a bigint and a uuid shop cost the same but for the key's length.
	 */
	VerifyLimit verify() throws SQLException {
		String prefix = this.stores.keyPrefix();
		Map<String, RedisStat> before = redisCommands();
		long started = System.nanoTime();
		long[] mismatches = { 0 };
		long products;
		try (RedisPipeline pipeline = new RedisPipeline(this.stores.redis())) {
			RedisAsyncCommands<String, String> redis = pipeline.commands();
			KeyedLongs page = new KeyedLongs();
			products = InventoryCopy.streamKeyed(this.stores.connection(), this.shop.stockInOrder(), (key, stock) -> {
				page.add(key, stock);
				if (page.size() == KEYS_PER_BATCH) {
					compare(pipeline, redis, prefix, page, mismatches);
					page.clear();
				}
			});
			compare(pipeline, redis, prefix, page, mismatches);
		}
		double seconds = seconds(started, System.nanoTime());
		return new VerifyLimit(products, mismatches[0], seconds, redisSeconds(before, "mget"));
	}

	/**
	 * What the orphan scan's walk cannot do without: one {@code SCAN} over the shop's
	 * keys, with the key pattern and in the job's pages, nothing checked. With the verify
	 * limit's {@code MGET}s it is Redis's command time for a verify that walks the
	 * keyspace as the job does when counting cannot rule orphans out.
	 */
	KeyspaceWalk keyspaceWalk() {
		Map<String, RedisStat> before = redisCommands();
		long started = System.nanoTime();
		ScanArgs page = ScanArgs.Builder.matches(this.stores.keyPrefix() + "*")
			.limit(VerifyStepsConfiguration.ORPHAN_SCAN_PAGE);
		RedisCommands<String, String> redis = this.stores.redis().sync();
		// every key of the database costs the walk, the shop's or not
		long databaseKeys = redis.dbsize();
		long keys = 0;
		KeyScanCursor<String> cursor = redis.scan(page);
		keys += cursor.getKeys().size();
		while (!cursor.isFinished()) {
			cursor = redis.scan(cursor, page);
			keys += cursor.getKeys().size();
		}
		double seconds = seconds(started, System.nanoTime());
		return new KeyspaceWalk(keys, databaseKeys, seconds, redisSeconds(before, "scan"));
	}

	private Map<String, RedisStat> redisCommands() {
		return RedisStat.parse(this.stores.redis().sync().info("commandstats"));
	}

	/** Redis's time in one command since the counters given (approximate: shared). */
	private double redisSeconds(Map<String, RedisStat> before, String command) {
		RedisStat stat = RedisStat.delta(before, redisCommands()).get(command);
		return (stat != null) ? stat.microseconds() / 1e6 : 0;
	}

	/**
	 * Sets every counter from PostgreSQL into an empty Redis: a {@code COPY} of the stock
	 * column in product order and pipelined {@code MSET}s, what a verify after a Redis
	 * restart has to do at least.
	 * @return the products set and the seconds it took
	 */
	VerifyLimit refill() throws SQLException {
		String prefix = this.stores.keyPrefix();
		long started = System.nanoTime();
		long products;
		try (RedisPipeline pipeline = new RedisPipeline(this.stores.redis())) {
			RedisAsyncCommands<String, String> redis = pipeline.commands();
			Map<String, String> values = new HashMap<>();
			List<String> none = new ArrayList<>();
			products = InventoryCopy.streamKeyed(this.stores.connection(), this.shop.stockInOrder(), (key, stock) -> {
				values.put(prefix + key, Long.toString(stock));
				if (values.size() == KEYS_PER_BATCH) {
					BenchmarkShop.send(pipeline, redis, values, none);
				}
			});
			BenchmarkShop.send(pipeline, redis, values, none);
		}
		return new VerifyLimit(products, 0, seconds(started, System.nanoTime()), 0);
	}

	private static void compare(RedisPipeline pipeline, RedisAsyncCommands<String, String> redis, String prefix,
			KeyedLongs page, long[] mismatches) {
		if (page.size() == 0) {
			return;
		}
		String[] keys = new String[page.size()];
		long[] stock = new long[page.size()];
		for (int i = 0; i < keys.length; i++) {
			keys[i] = prefix + page.key(i);
			stock[i] = page.value(i);
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
	 * @param redisSeconds Redis's time in its {@code MGET}s (0 where not measured)
	 */
	record VerifyLimit(long products, long mismatches, double seconds, double redisSeconds) {

	}

	/**
	 * @param keys the shop's keys the walk found
	 * @param databaseKeys the keys in the database it walked, the shop's and any other
	 * @param seconds the whole walk
	 * @param redisSeconds Redis's time in its {@code SCAN}s
	 */
	record KeyspaceWalk(long keys, long databaseKeys, double seconds, double redisSeconds) {

	}

	/**
	 * The limit's SQL on one shop's tables.
	 *
	 * @param restore the set-based restore, returning each product's key and delta
	 * @param stockInOrder a {@code COPY} of each product's key and stock, in key order
	 */
	record ShopStatements(String restore, String stockInOrder) {

	}

	/** A growable column of keys and one of longs, without boxing a million rows. */
	private static final class KeyedLongs {

		private String[] keys = new String[1024];

		private long[] values = new long[1024];

		private int size;

		void add(String key, long value) {
			if (this.size == this.keys.length) {
				this.keys = Arrays.copyOf(this.keys, this.size * 2);
				this.values = Arrays.copyOf(this.values, this.size * 2);
			}
			this.keys[this.size] = key;
			this.values[this.size] = value;
			this.size++;
		}

		String key(int i) {
			return this.keys[i];
		}

		long value(int i) {
			return this.values[i];
		}

		int size() {
			return this.size;
		}

		/** The keys' backing array: valid up to {@link #size()}. */
		String[] keys() {
			return this.keys;
		}

		/** The values' backing array: valid up to {@link #size()}. */
		long[] values() {
			return this.values;
		}

		void clear() {
			this.size = 0;
		}

	}

}
