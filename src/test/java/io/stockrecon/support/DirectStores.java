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

	private final String redisHost;

	private final int redisPort;

	private final TestShop shop;

	private DirectStores(TestStores.TestDatabase database, String keyPrefix, String redisHost, int redisPort,
			String redisPassword, ShopKind shopKind) {
		this.database = database;
		this.keyPrefix = keyPrefix;
		this.redisHost = redisHost;
		this.redisPort = redisPort;
		this.jdbc = JdbcClient
			.create(new DriverManagerDataSource(database.url(), database.username(), database.password()));
		RedisStandaloneConfiguration redisConfiguration = new RedisStandaloneConfiguration(redisHost, redisPort);
		if (redisPassword != null) {
			redisConfiguration.setPassword(redisPassword);
		}
		this.redisConnections = new LettuceConnectionFactory(redisConfiguration);
		this.redisConnections.afterPropertiesSet();
		this.redisConnections.start();
		this.redis = new StringRedisTemplate(this.redisConnections);
		this.shop = shopKind.open(this.jdbc, this.redis, keyPrefix);
		this.shop.createTables();
	}

	/** A fresh database and key prefix, with clients for both. */
	public static DirectStores fresh() {
		return new DirectStores(TestStores.newDatabase(), TestStores.newKeyPrefix(), TestStores.redisHost(),
				TestStores.redisPort(), null, ShopKind.DEFAULT);
	}

	/** A fresh database and key prefix, with the counters in a private redis-server. */
	public static DirectStores fresh(PrivateRedisServer redis) {
		return fresh(redis, ShopKind.DEFAULT);
	}

	/**
	 * A fresh database holding the tables of a shop of that kind (empty), and a fresh key
	 * prefix, with the counters in a private redis-server.
	 */
	public static DirectStores fresh(PrivateRedisServer redis, ShopKind shopKind) {
		return new DirectStores(TestStores.newDatabase(), TestStores.newKeyPrefix(), "127.0.0.1", redis.port(),
				redis.password(), shopKind);
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

	/** The shop in this database, and its counters. */
	public TestShop shop() {
		return this.shop;
	}

	/** The jar, pointed at this database, its shop and its counters. */
	public StockreconJar jar() {
		return new StockreconJar(this.database, this.shop.settings(), this.redisHost, this.redisPort);
	}

	public TestStores.TestDatabase database() {
		return this.database;
	}

	@Override
	public void close() {
		this.redisConnections.destroy();
	}

}
