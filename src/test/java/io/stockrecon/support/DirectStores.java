package io.stockrecon.support;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Plain clients of a test's database and of the test Redis, for tests that drive the
 * packaged jar and so have no application context of their own.
 */
public final class DirectStores implements AutoCloseable {

	private final TestStores.TestDatabase database;

	private final String keyPrefix;

	private final JdbcClient jdbc;

	private final LettuceConnectionFactory redisConnections;

	private final StringRedisTemplate redis;

	private DirectStores(TestStores.TestDatabase database, String keyPrefix) {
		this.database = database;
		this.keyPrefix = keyPrefix;
		this.jdbc = JdbcClient
			.create(new DriverManagerDataSource(database.url(), database.username(), database.password()));
		this.redisConnections = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(TestStores.redisHost(), TestStores.redisPort()));
		this.redisConnections.afterPropertiesSet();
		this.redisConnections.start();
		this.redis = new StringRedisTemplate(this.redisConnections);
	}

	/** A fresh database and key prefix, with clients for both. */
	public static DirectStores fresh() {
		return new DirectStores(TestStores.newDatabase(), TestStores.newKeyPrefix());
	}

	/**
	 * A fresh database migrated by the jar itself (a first run on an empty shop), then
	 * filled with a generated shop.
	 */
	public static DirectStores withShop(int products, int orders) {
		DirectStores stores = fresh();
		StockreconJar.Finished migrate = stores.jar().run("run", "--run-date=2000-01-01");
		if (migrate.exitCode() != 0) {
			throw new IllegalStateException("The first run failed:\n" + migrate.output());
		}
		ShopData.generate(stores.jdbc, stores.redis, stores.keyPrefix, products, orders);
		return stores;
	}

	public JdbcClient jdbc() {
		return this.jdbc;
	}

	public StringRedisTemplate redis() {
		return this.redis;
	}

	public String keyPrefix() {
		return this.keyPrefix;
	}

	public StockreconJar jar() {
		return new StockreconJar(this.database, this.keyPrefix);
	}

	public TestStores.TestDatabase database() {
		return this.database;
	}

	@Override
	public void close() {
		this.redisConnections.destroy();
	}

}
