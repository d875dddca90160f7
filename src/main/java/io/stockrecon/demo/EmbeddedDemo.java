package io.stockrecon.demo;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.ClassUtils;

import io.stockrecon.stock.RedisStockCounters;

/**
 * The demo's world: embedded PostgreSQL and Redis, the application started on them, and a
 * small shop seeded with a day of trouble. The command line runs the commands in it and
 * closes it, which stops the application and both stores.
 * <p>
 * The embedded binaries ship in {@code stockrecon-demo.jar} only: {@link #available()}
 * says whether this jar has them.
 */
public final class EmbeddedDemo implements AutoCloseable {

	private final EmbeddedStores stores;

	private final ConfigurableApplicationContext context;

	private EmbeddedDemo(EmbeddedStores stores, ConfigurableApplicationContext context) {
		this.stores = stores;
		this.context = context;
	}

	/** Whether the embedded stores are on the class path (the demo jar). */
	public static boolean available() {
		return ClassUtils.isPresent("io.zonky.test.db.postgres.embedded.EmbeddedPostgres", null)
				&& ClassUtils.isPresent("redis.embedded.RedisServer", null);
	}

	/**
	 * Starts the stores, the application on them (with {@code arguments} after the
	 * stores' connection settings) and seeds the shop.
	 */
	public static EmbeddedDemo start(Class<?> application, List<String> arguments, boolean debug) {
		if (!debug) {
			// the embedded PostgreSQL logs its start before Spring configures logging
			((Logger) LoggerFactory.getLogger("io.zonky")).setLevel(Level.WARN);
		}
		EmbeddedStores stores;
		try {
			stores = EmbeddedStores.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException("The embedded stores could not start: " + ex.getMessage(), ex);
		}
		try {
			List<String> all = new ArrayList<>(stores.springArguments());
			all.add("--stockrecon.verify.settle-interval=500ms");
			all.addAll(arguments);
			ConfigurableApplicationContext context = new SpringApplicationBuilder(application)
				.run(all.toArray(String[]::new));
			DemoShop.seed(context.getBean(JdbcClient.class), context.getBean(StringRedisTemplate.class),
					context.getBean(RedisStockCounters.class).keys());
			return new EmbeddedDemo(stores, context);
		}
		catch (RuntimeException ex) {
			closeQuietly(stores);
			throw ex;
		}
	}

	/** The application, running on the embedded stores. */
	public ConfigurableApplicationContext context() {
		return this.context;
	}

	/** What happened in the shop today, for the reader. */
	public List<String> story() {
		return DemoShop.story();
	}

	@Override
	public void close() {
		try {
			this.context.close();
		}
		finally {
			try {
				this.stores.close();
			}
			catch (IOException ex) {
				throw new IllegalStateException("The embedded stores could not stop: " + ex.getMessage(), ex);
			}
		}
	}

	private static void closeQuietly(EmbeddedStores stores) {
		try {
			stores.close();
		}
		catch (IOException ex) {
			// the start failed already: that is the error to report
		}
	}

}
