package io.stockrecon.stock;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.stockrecon.StockreconProperties;
import io.stockrecon.job.LaunchOutcome;
import io.stockrecon.job.NightlyJobLauncher;
import io.stockrecon.support.PrivateRedisServer;
import io.stockrecon.support.RequiresStores;
import io.stockrecon.support.Shop;
import io.stockrecon.support.StoresIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redis goes down mid-run: PostgreSQL stays restored, the units wait in the outbox, the
 * run fails fast, and {@code restart} delivers them once Redis is back.
 */
@ExtendWith(RequiresStores.class)
@SpringBootTest
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class RedisOutageIntegrationTests {

	@AutoClose
	static final PrivateRedisServer privateRedis = PrivateRedisServer.start();

	@Autowired
	JdbcClient jdbc;

	@Autowired
	StringRedisTemplate redis;

	@Autowired
	StockreconProperties properties;

	@Autowired
	NightlyJobLauncher launcher;

	@Autowired
	RedisStockCounters counters;

	@DynamicPropertySource
	static void privateRedis(DynamicPropertyRegistry registry) {
		StoresIntegrationTest.registerDatabase(registry);
		privateRedis.register(registry);
		// one order a chunk: both chunks queue units of product 1
		registry.add("stockrecon.restore.chunk-size", () -> "1");
	}

	@Test
	void shouldFailFastKeepTheUnitsAndDeliverThemOnRestart() {
		Shop shop = new Shop(this.jdbc, this.redis, this.properties.redis().keyPrefix());
		shop.product(1, 100).product(2, 100).order(1, "paid", 1, 3, 2, 4).order(2, "paid", 1, 5);
		shop.cancel(1, 2);
		privateRedis.kill();

		Instant start = Instant.now();
		JobExecution failed = ((LaunchOutcome.Ran) this.launcher.run(LocalDate.of(2026, 11, 24), false, false))
			.execution();

		assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
		assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(60));
		assertThat(shop.stock(1)).isEqualTo(100);
		// one row per chunk
		assertThat(shop.count("SELECT count(*) FROM stockrecon_counter_outbox")).isEqualTo(2);
		assertThat(queuedUnits()).containsExactly("1:8", "2:4");

		// Redis comes back empty; the shop reloads its counters from what they were
		privateRedis.restartAndAwait(this.redis, this.counters);
		shop.setCounter(1, "92").setCounter(2, "96");
		JobExecution restarted = ((LaunchOutcome.Ran) this.launcher.restart()).execution();

		assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(restarted.getJobInstanceId()).isEqualTo(failed.getJobInstanceId());
		assertThat(shop.counter(1)).isEqualTo("100");
		assertThat(shop.counter(2)).isEqualTo("100");
		assertThat(shop.count("SELECT count(*) FROM stockrecon_counter_outbox")).isZero();
	}

	/**
	 * Redis answers, but refuses every script of the delivery: the outbox rows of the
	 * batch were already deleted in the step's transaction when the refusals come back,
	 * and that transaction must not commit.
	 */
	@Test
	void shouldKeepTheOutboxRowsWhenRedisRefusesTheDeliveryAfterTheirDeleteWasSent() {
		Shop shop = new Shop(this.jdbc, this.redis, this.properties.redis().keyPrefix());
		shop.product(11, 100).product(12, 100).order(11, "paid", 11, 3, 12, 4);
		shop.setCounter(11, "97").setCounter(12, "96");
		shop.cancel(11);
		// every write is refused with an OOM error, inside a script too; reads still work
		maxMemory("1");
		JobExecution failed;
		try {
			failed = ((LaunchOutcome.Ran) this.launcher.run(LocalDate.of(2026, 11, 25), false, false)).execution();
		}
		finally {
			maxMemory("0");
		}

		assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
		assertThat(shop.stock(11)).isEqualTo(100);
		assertThat(shop.counter(11)).isEqualTo("97");
		assertThat(queuedUnits()).containsExactly("11:3", "12:4");

		JobExecution restarted = ((LaunchOutcome.Ran) this.launcher.restart()).execution();

		assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(shop.counter(11)).isEqualTo("100");
		assertThat(shop.counter(12)).isEqualTo("100");
		assertThat(shop.count("SELECT count(*) FROM stockrecon_counter_outbox")).isZero();
		// nothing was left for the verify to mend: the restart delivered the units once
		assertThat(shop.count(
				"SELECT count(*) FROM stockrecon_drift_audit WHERE job_execution_id = %d".formatted(restarted.getId())))
			.isZero();
	}

	private void maxMemory(String bytes) {
		this.redis.execute((RedisCallback<Void>) (connection) -> {
			connection.serverCommands().setConfig("maxmemory", bytes);
			return null;
		});
	}

	/** The units the outbox holds, summed per product: {@code product:units}. */
	private List<String> queuedUnits() {
		return this.jdbc.sql("""
				SELECT u.product_id, sum(u.delta) FROM stockrecon_counter_outbox o,
				     unnest(o.product_ids, o.deltas) AS u(product_id, delta)
				GROUP BY u.product_id ORDER BY u.product_id::bigint
				""").query((rs, row) -> rs.getString(1) + ":" + rs.getLong(2)).list();
	}

}
