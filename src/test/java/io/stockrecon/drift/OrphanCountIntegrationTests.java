package io.stockrecon.drift;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
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
import io.stockrecon.stock.RedisStockCounters;
import io.stockrecon.support.JobSteps;
import io.stockrecon.support.PrivateRedisServer;
import io.stockrecon.support.RequiresStores;
import io.stockrecon.support.Shop;
import io.stockrecon.support.StoresIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The orphan scan rules orphans out by counting when the counters' database holds nothing
 * else, and walks the keyspace when the count cannot tell. A Redis of the class's own:
 * the count is of every key in the database, and {@code INFO commandstats} shows whether
 * {@code SCAN} ran.
 */
@ExtendWith(RequiresStores.class)
@SpringBootTest(properties = { "stockrecon.verify.settle-interval=100ms", "stockrecon.verify.first-look-chunk-size=5",
		"stockrecon.scale.partitions=3", "stockrecon.scale.threads=2" })
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class OrphanCountIntegrationTests {

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

	@Autowired
	DataSource dataSource;

	Shop shop;

	@DynamicPropertySource
	static void privateRedis(DynamicPropertyRegistry registry) {
		StoresIntegrationTest.registerDatabase(registry);
		privateRedis.register(registry);
	}

	/** Twenty products, each with its counter, and no other key in the database. */
	@BeforeEach
	void twentyProductsAndTheirCountersAlone() {
		StoresIntegrationTest.emptyTables(this.jdbc);
		this.redis.execute((RedisCallback<Void>) (connection) -> {
			// the class's own redis-server
			connection.serverCommands().flushDb();
			connection.serverCommands().resetConfigStats();
			return null;
		});
		this.shop = new Shop(this.jdbc, this.redis, this.properties.redis().keyPrefix());
		for (long id = 1; id <= 20; id++) {
			this.shop.product(id, 100);
		}
	}

	@Test
	void shouldRuleOrphansOutByCountingWhenEveryKeyIsTheCounterOfAProduct() {
		this.shop.setCounter(2, "130").setCounter(5, "lots").deleteCounter(4);
		this.redis.delete(this.shop.counterKey(8));
		this.redis.opsForHash().put(this.shop.counterKey(8), "units", "100");

		JobExecution execution = verify();

		assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(orphanCheck(execution)).startsWith("counted: 19 keys where the counters live");
		assertThat(scans()).as("SCAN calls").isZero();
		for (long id = 1; id <= 20; id++) {
			assertThat(this.shop.counter(id)).as("counter of product %d", id).isEqualTo("100");
		}
		assertThat(auditedOrphans(execution)).isEmpty();
	}

	@Test
	void shouldWalkWhenAnOrphanStandsBesideAMissingCounter() {
		// as many keys as products: only the first look's count tells them apart
		this.shop.deleteCounter(4);
		this.redis.opsForValue().set(this.properties.redis().keyPrefix() + "404", "7");

		JobExecution execution = verify();

		assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(orphanCheck(execution)).startsWith(
				"walked: 20 keys where the counters live before the first look and 20 after it, 19 counters found by it");
		assertThat(scans()).as("SCAN calls").isPositive();
		assertThat(auditedOrphans(execution)).containsExactly("404 reported");
		assertThat(this.shop.counter(4)).isEqualTo("100");
	}

	@Test
	void shouldWalkAtOnceWhenTheDatabaseHoldsMoreKeysThanProducts() {
		this.redis.opsForValue().set("session:1", "someone");
		this.redis.opsForValue().set(this.properties.redis().keyPrefix() + "404", "7");

		JobExecution execution = verify();

		assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(orphanCheck(execution)).isEqualTo("walked: 22 keys where the counters live, 20 products");
		assertThat(auditedOrphans(execution)).containsExactly("404 reported");
		assertThat(this.redis.opsForValue().get("session:1")).isEqualTo("someone");
	}

	/**
	 * A key that appears while the first look runs changes the count after it: the scan
	 * walks, and finds it. The first look is held at its first write (the suspects table,
	 * share-locked here) until the scan has decided to wait for it.
	 */
	@Test
	void shouldWalkWhenAKeyAppearsDuringTheFirstLook() throws Exception {
		this.shop.setCounter(3, "90");
		try (Connection gate = this.dataSource.getConnection()) {
			gate.setAutoCommit(false);
			try (Statement lock = gate.createStatement()) {
				lock.execute("LOCK TABLE stockrecon_drift_suspects IN SHARE MODE");
			}
			CompletableFuture<JobExecution> running = CompletableFuture.supplyAsync(this::verify);
			await().atMost(Duration.ofSeconds(60)).until(() -> this.jdbc.sql("""
					SELECT count(*) FROM batch_step_execution
					WHERE step_name = :scan AND status = 'STARTED' AND commit_count > 0
					""").param("scan", VerifyStepsConfiguration.ORPHANS_STEP).query(Long.class).single() > 0);
			this.redis.opsForValue().set(this.properties.redis().keyPrefix() + "404", "7");
			gate.rollback();

			JobExecution execution = running.get(60, TimeUnit.SECONDS);

			assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
			assertThat(orphanCheck(execution)).isEqualTo(
					"walked: 20 keys where the counters live before the first look and 21 after it, 20 counters found by it");
			assertThat(auditedOrphans(execution)).containsExactly("404 reported");
			assertThat(this.shop.counter(3)).isEqualTo("100");
		}
	}

	/**
	 * A relaunch's first look may take ranges copied from the failed run beside ranges
	 * computed again, and count a key twice: it walks, whatever the counts say.
	 */
	@Test
	void shouldWalkOnARelaunch() {
		privateRedis.kill();
		JobExecution failed = verify();
		assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
		// Redis comes back empty, and the shop sets its counters again
		privateRedis.restartAndAwait(this.redis, this.counters);
		for (long id = 1; id <= 20; id++) {
			this.shop.setCounter(id, "100");
		}

		JobExecution relaunched = ((LaunchOutcome.Ran) this.launcher.restart()).execution();

		assertThat(relaunched.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(relaunched.getJobInstanceId()).isEqualTo(failed.getJobInstanceId());
		assertThat(orphanCheck(relaunched)).isEqualTo("walked: a relaunch");
		assertThat(scans()).as("SCAN calls").isPositive();
	}

	private JobExecution verify() {
		return ((LaunchOutcome.Ran) this.launcher.verify(new VerifyMode(false, false))).execution();
	}

	private static String orphanCheck(JobExecution execution) {
		return JobSteps.named(execution, VerifyStepsConfiguration.ORPHANS_STEP)
			.getExecutionContext()
			.getString(VerifyStepsConfiguration.ORPHAN_CHECK);
	}

	private long scans() {
		Properties stats = this.redis
			.execute((RedisCallback<Properties>) (connection) -> connection.serverCommands().info("commandstats"));
		String scan = stats.getProperty("cmdstat_scan");
		return (scan != null) ? Long.parseLong(scan.replaceAll("^calls=(\\d+),.*$", "$1")) : 0;
	}

	private List<String> auditedOrphans(JobExecution execution) {
		return this.jdbc.sql("""
				SELECT product_id::text || ' ' || action FROM stockrecon_drift_audit
				WHERE job_execution_id = :id AND kind = 'orphan' ORDER BY product_id
				""").param("id", execution.getId()).query(String.class).list();
	}

}
