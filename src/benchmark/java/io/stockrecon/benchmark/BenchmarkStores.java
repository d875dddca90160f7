package io.stockrecon.benchmark;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * The benchmark's own database and Redis key prefix on the shared servers, and its
 * clients of both. Closing drops the database and unlinks every key under the prefix
 * (counters and delivery markers); the shared Redis is never flushed.
 * <p>
 * Each shop keeps its counters in a Redis database of its own ({@link #beside}), as a
 * shop's Redis holds one shop: the orphan scan walks every key of its database, so shops
 * sharing one would each pay for the keys of the shops built before it.
 */
final class BenchmarkStores implements AutoCloseable {

	/** The harness's sessions carry this name, so that samplers can leave them out. */
	static final String APPLICATION_NAME = "stockrecon-benchmark";

	private final BenchmarkSettings settings;

	private final String run;

	private final String database;

	private final String keyPrefix;

	private final int redisDatabase;

	private final Connection connection;

	private final JdbcClient jdbc;

	private final RedisClient redisClient;

	private final StatefulRedisConnection<String, String> redis;

	/** Shops created {@link #beside} this one so far. */
	private int shopsBeside;

	private boolean closed;

	private BenchmarkStores(BenchmarkSettings settings, String run, String database, String keyPrefix,
			int redisDatabase) throws SQLException {
		this.settings = settings;
		this.run = run;
		this.database = database;
		this.keyPrefix = keyPrefix;
		this.redisDatabase = redisDatabase;
		this.connection = connect();
		this.jdbc = JdbcClient.create(new SingleConnectionDataSource(this.connection, true));
		this.redisClient = RedisClient.create(RedisURI.builder()
			.withHost(settings.redisHost())
			.withPort(settings.redisPort())
			.withDatabase(redisDatabase)
			.build());
		this.redis = this.redisClient.connect();
	}

	/** Creates a database and a key prefix that nobody else uses. */
	static BenchmarkStores create(BenchmarkSettings settings) throws SQLException {
		String run = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
		return create(settings, run, "bench_" + run, "bench-" + run + ":stock:", 0);
	}

	/**
	 * A database, a key prefix and a Redis database of the same run for another shop,
	 * such as the uuid one: {@code bench_<run>_<label>}, {@code bench-<run>:<label>:} and
	 * a Redis database after this one's that no other shop of the run uses, apart from
	 * the other shops' keys so that no job takes another's counters for orphans, nor
	 * walks them.
	 */
	BenchmarkStores beside(String label) throws SQLException {
		this.shopsBeside++;
		return create(this.settings, this.run, this.database + "_" + label, "bench-" + this.run + ":" + label + ":",
				this.redisDatabase + this.shopsBeside);
	}

	private static BenchmarkStores create(BenchmarkSettings settings, String run, String database, String keyPrefix,
			int redisDatabase) throws SQLException {
		try (Connection admin = admin(settings); Statement statement = admin.createStatement()) {
			// an identifier cannot be a bind parameter; the name is ours, from hex digits
			statement.execute("CREATE DATABASE " + database);
		}
		return new BenchmarkStores(settings, run, database, keyPrefix, redisDatabase);
	}

	String database() {
		return this.database;
	}

	String keyPrefix() {
		return this.keyPrefix;
	}

	/** The Redis database of this shop's counters and markers. */
	int redisDatabase() {
		return this.redisDatabase;
	}

	/**
	 * The Redis database and the keys it holds besides this shop's (what a kept run or
	 * another user left there: the orphan scan walks them too), for the progress lines.
	 */
	String redisDatabaseAndOtherKeys() {
		return "Redis database %d (%,d keys in it)".formatted(this.redisDatabase, this.redis.sync().dbsize());
	}

	/** The RabbitMQ queue of the benchmark's remote partitions, named like its keys. */
	String queue() {
		return "stockrecon.bench." + this.database;
	}

	String jdbcUrl() {
		return this.settings.postgresUrl() + this.database;
	}

	/** The harness's session on the benchmark database. */
	Connection connection() {
		return this.connection;
	}

	JdbcClient jdbc() {
		return this.jdbc;
	}

	StatefulRedisConnection<String, String> redis() {
		return this.redis;
	}

	/** A further session of the harness, for a sampler thread. */
	Connection connect() throws SQLException {
		Connection session = DriverManager.getConnection(jdbcUrl() + "?ApplicationName=" + APPLICATION_NAME,
				this.settings.postgresUser(), this.settings.postgresPassword());
		session.setAutoCommit(true);
		return session;
	}

	/**
	 * What a Redis restart without persistence leaves of the shop: no counter, no
	 * delivery marker.
	 */
	void forgetCounters() {
		deleteKeys(this.redis.sync(), List.of(this.keyPrefix + "*", "{" + this.keyPrefix + "*"));
	}

	@Override
	public synchronized void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		if (this.settings.keep()) {
			System.out.printf("kept: database %s, Redis keys %s* in Redis database %d%n", this.database, this.keyPrefix,
					this.redisDatabase);
		}
		else {
			forgetCounters();
		}
		this.redis.close();
		this.redisClient.shutdown();
		try {
			this.connection.close();
		}
		catch (SQLException ex) {
			// the drop below ends it anyway
		}
		deleteQueue();
		if (!this.settings.keep()) {
			try (Connection admin = admin(this.settings); Statement statement = admin.createStatement()) {
				statement.execute("DROP DATABASE IF EXISTS " + this.database + " WITH (FORCE)");
			}
			catch (SQLException ex) {
				System.err.printf("could not drop database %s: %s%n", this.database, ex.getMessage());
			}
		}
	}

	/** Only a remote run declared the queue; without one there is nothing to delete. */
	private void deleteQueue() {
		if (!this.settings.scenario().equals(BenchmarkSettings.SCALE_OUT) || this.settings.workers() == 0) {
			return;
		}
		ConnectionFactory factory = new ConnectionFactory();
		factory.setHost(this.settings.rabbitHost());
		try (com.rabbitmq.client.Connection connection = factory.newConnection();
				Channel channel = connection.createChannel()) {
			channel.queueDelete(queue());
		}
		catch (IOException | TimeoutException ex) {
			System.err.printf("could not delete RabbitMQ queue %s: %s%n", queue(), ex.getMessage());
		}
	}

	private static void deleteKeys(RedisCommands<String, String> redis, List<String> patterns) {
		for (String pattern : patterns) {
			ScanCursor cursor = ScanCursor.INITIAL;
			do {
				KeyScanCursor<String> page = redis.scan(cursor, ScanArgs.Builder.matches(pattern).limit(10_000));
				if (!page.getKeys().isEmpty()) {
					redis.unlink(page.getKeys().toArray(String[]::new));
				}
				cursor = page;
			}
			while (!cursor.isFinished());
		}
	}

	private static Connection admin(BenchmarkSettings settings) throws SQLException {
		return DriverManager.getConnection(settings.postgresUrl() + "postgres?ApplicationName=" + APPLICATION_NAME,
				settings.postgresUser(), settings.postgresPassword());
	}

}
