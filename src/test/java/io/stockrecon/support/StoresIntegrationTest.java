package io.stockrecon.support;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.stockrecon.StockreconProperties;
import io.stockrecon.job.NightlyJobLauncher;

/**
 * Base of the integration tests that run the application in-process against real stores.
 * <p>
 * Each test class gets its own database and Redis key prefix; its context is closed after
 * the class ({@code DirtiesContext}) because the database is the class's alone, and a
 * cached context would hold connections to a database nobody uses any more.
 */
@ExtendWith(RequiresStores.class)
@SpringBootTest
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
public abstract class StoresIntegrationTest {

	private static final String EMPTY_SHOP = """
			TRUNCATE inventory, orders, order_items, stock_restorations, stockrecon_order_events,
			         stockrecon_deleted_order_items, stockrecon_skipped_items, stockrecon_counter_outbox,
			         stockrecon_drift_suspects, stockrecon_drift_audit
			""";

	@Autowired
	protected JdbcClient jdbc;

	@Autowired
	protected StringRedisTemplate redis;

	@Autowired
	protected StockreconProperties properties;

	@Autowired
	protected NightlyJobLauncher launcher;

	@DynamicPropertySource
	static void realStores(DynamicPropertyRegistry registry) {
		registerDatabase(registry);
		registry.add("spring.data.redis.host", TestStores::redisHost);
		registry.add("spring.data.redis.port", TestStores::redisPort);
		String prefix = TestStores.newKeyPrefix();
		registry.add("stockrecon.redis.key-prefix", () -> prefix);
	}

	/** A fresh database of the class's own, for tests that bring their own Redis. */
	public static void registerDatabase(DynamicPropertyRegistry registry) {
		TestStores.TestDatabase database = TestStores.newDatabase();
		registry.add("spring.datasource.url", database::url);
		registry.add("spring.datasource.username", database::username);
		registry.add("spring.datasource.password", database::password);
	}

	/**
	 * Empties the shop and stockrecon's work tables (the job repository stays), for tests
	 * that bring their own Redis.
	 */
	public static void emptyTables(JdbcClient jdbc) {
		jdbc.sql(EMPTY_SHOP).update();
	}

	/** The test shop over this class's stores. */
	protected Shop shop() {
		return new Shop(this.jdbc, this.redis, this.properties.redis().keyPrefix());
	}

	/**
	 * Empties the shop, stockrecon's work tables (the job repository stays) and the
	 * class's counters and delivery markers in Redis: an earlier test's counter would be
	 * an orphan to this one's verify, its marker a delivery already made.
	 */
	protected Shop emptyShop() {
		emptyTables(this.jdbc);
		String prefix = this.properties.redis().keyPrefix();
		List<String> keys = new ArrayList<>();
		for (String pattern : List.of(prefix + "*", "{" + prefix + "*")) {
			try (Cursor<String> found = this.redis.scan(ScanOptions.scanOptions().match(pattern).count(1000).build())) {
				found.forEachRemaining(keys::add);
			}
		}
		if (!keys.isEmpty()) {
			this.redis.unlink(keys);
		}
		return shop();
	}

}
