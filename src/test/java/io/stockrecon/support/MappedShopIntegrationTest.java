package io.stockrecon.support;

import java.sql.Types;
import java.time.LocalDate;

import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;

import io.stockrecon.StockreconProperties;
import io.stockrecon.drift.VerifyMode;
import io.stockrecon.job.LaunchOutcome;
import io.stockrecon.job.NightlyJobLauncher;
import io.stockrecon.shop.CounterKeys;
import io.stockrecon.shop.ShopMapping;

/**
 * The fixture of a test class that runs the job in its own application context on a
 * {@link MappedShop}: the subclass builds its shop and registers it from a
 * {@code @DynamicPropertySource} method, before the context starts (and so before
 * stockrecon installs itself), as in a real shop.
 * <p>
 * Products and orders are written as the shop's own code would, through the names of the
 * context's {@link ShopMapping} and {@link CounterKeys}: the same helpers serve every
 * schema, and a key is whatever the shop's key column holds (an integer, a uuid, text).
 */
@ExtendWith(RequiresStores.class)
@SpringBootTest
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
public abstract class MappedShopIntegrationTest {

	@Autowired
	protected JdbcClient jdbc;

	@Autowired
	protected StringRedisTemplate redis;

	@Autowired
	protected NightlyJobLauncher launcher;

	@Autowired
	private ShopMapping mapping;

	@Autowired
	private StockreconProperties properties;

	/** The nightly job, forced so that every test can run it again. */
	protected JobExecution runNightly() {
		return runNightly(false);
	}

	protected JobExecution runNightly(boolean fullScan) {
		return ((LaunchOutcome.Ran) this.launcher.run(LocalDate.of(2026, 11, 24), fullScan, true)).execution();
	}

	protected JobExecution verify(VerifyMode mode) {
		return ((LaunchOutcome.Ran) this.launcher.verify(mode)).execution();
	}

	/** A product with {@code stock} units, in PostgreSQL and in its counter. */
	protected void product(Object key, long stock) {
		this.jdbc.sql(this.mapping.sql("INSERT INTO ${stock} (${stock.key}, ${stock.quantity}) VALUES (:key, :stock)"))
			.param("key", key)
			.param("stock", stock)
			.update();
		CounterKeys keys = counterKeys();
		if (keys.inHash()) {
			this.redis.opsForHash().put(keys.hash(), keys.field(key.toString()), Long.toString(stock));
		}
		else {
			this.redis.opsForValue().set(keys.key(key.toString()), Long.toString(stock));
		}
	}

	/**
	 * An order with lines given as stock key, quantity pairs, that took its units from
	 * stock in both stores as a checkout does.
	 * @param status the status as the shop spells it, also a value of an enum type
	 */
	protected void order(Object id, String status, Object... keyQuantityPairs) {
		this.jdbc.sql(this.mapping.sql("INSERT INTO ${orders} (${orders.id}, ${orders.status}) VALUES (:id, :status)"))
			.param("id", id)
			.param("status", new SqlParameterValue(Types.OTHER, status))
			.update();
		CounterKeys keys = counterKeys();
		for (int i = 0; i < keyQuantityPairs.length; i += 2) {
			Object key = keyQuantityPairs[i];
			int quantity = (Integer) keyQuantityPairs[i + 1];
			this.jdbc.sql(this.mapping.sql(
					"INSERT INTO ${items} (${items.order}, ${items.key}, ${items.quantity}) VALUES (:id, :key, :quantity)"))
				.param("id", id)
				.param("key", key)
				.param("quantity", quantity)
				.update();
			this.jdbc.sql(this.mapping
				.sql("UPDATE ${stock} SET ${stock.quantity} = ${stock.quantity} - :quantity WHERE ${stock.key} = :key"))
				.param("quantity", quantity)
				.param("key", key)
				.update();
			if (keys.inHash()) {
				this.redis.opsForHash().increment(keys.hash(), keys.field(key.toString()), -quantity);
			}
			else {
				this.redis.opsForValue().decrement(keys.key(key.toString()), quantity);
			}
		}
	}

	/** A product's stock in PostgreSQL. */
	protected long stock(Object key) {
		return this.jdbc.sql(this.mapping.sql("SELECT ${stock.quantity} FROM ${stock} WHERE ${stock.key} = :key"))
			.param("key", key)
			.query(Long.class)
			.single();
	}

	/** A product's counter in Redis, {@code null} when it has none. */
	protected String counter(Object key) {
		CounterKeys keys = counterKeys();
		return keys.inHash() ? (String) this.redis.opsForHash().get(keys.hash(), keys.field(key.toString()))
				: this.redis.opsForValue().get(keys.key(key.toString()));
	}

	private CounterKeys counterKeys() {
		return CounterKeys.of(this.properties.redis());
	}

}
