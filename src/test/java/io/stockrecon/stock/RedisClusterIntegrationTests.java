package io.stockrecon.stock;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.Map;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.stockrecon.cli.ExitCode;
import io.stockrecon.drift.VerifyStepsConfiguration;
import io.stockrecon.job.LaunchOutcome;
import io.stockrecon.support.JobSteps;
import io.stockrecon.support.MappedShop;
import io.stockrecon.support.PrivateRedisCluster;
import io.stockrecon.support.Shop;
import io.stockrecon.support.StockreconJar;
import io.stockrecon.support.StoresIntegrationTest;
import io.stockrecon.support.TestStores;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The restore and verify paths against a three-master Redis Cluster: every multi-key
 * script stays in one hash slot, and the orphan scan covers every master.
 */
class RedisClusterIntegrationTests extends StoresIntegrationTest {

	@AutoClose
	static final PrivateRedisCluster cluster = PrivateRedisCluster.start();

	@DynamicPropertySource
	static void cluster(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.cluster.nodes", cluster::nodes);
		registry.add("stockrecon.verify.settle-interval", () -> "100ms");
	}

	@Test
	void shouldRestoreAndVerifyExactlyAcrossSlots() {
		Shop shop = shop();
		for (long id = 1; id <= 60; id++) {
			shop.product(id, 1_000);
		}
		for (long id = 1; id <= 60; id++) {
			shop.order(id, "paid", id, 1 + id % 4, 1 + (id + 7) % 60, 2);
		}
		for (long id = 1; id <= 60; id += 3) {
			shop.cancel(id);
		}
		shop.delete(2, 5, 8);
		shop.setCounter(10, "7").deleteCounter(20).setCounter(30, "x");
		for (long orphan = 1001; orphan <= 1030; orphan++) {
			this.redis.opsForValue().set(this.properties.redis().keyPrefix() + orphan, "1");
		}

		JobExecution execution = ((LaunchOutcome.Ran) this.launcher.run(LocalDate.of(2026, 11, 24), false, true))
			.execution();

		assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		shop.allStock()
			.forEach((productId, stock) -> assertThat(shop.counter(productId)).as("counter of %d", productId)
				.isEqualTo(Integer.toString(stock)));
		long expectedSold = this.jdbc.sql("""
				SELECT coalesce(sum(i.quantity), 0) FROM order_items i JOIN orders o ON o.id = i.order_id
				WHERE o.status <> 'cancelled'
				""").query(Long.class).single();
		assertThat(shop.count("SELECT sum(stock) FROM inventory")).isEqualTo(60 * 1_000 - expectedSold);
		assertThat(shop.count("""
				SELECT count(*) FROM stockrecon_drift_audit WHERE kind = 'orphan' AND job_execution_id = %d
				""".formatted(execution.getId()))).isEqualTo(30);
	}

	/**
	 * After the cluster lost its counters: one {@code EXISTS} over a read's missing keys
	 * spans every slot, and the compare-and-set calls go per slot, each counter decided
	 * on its own. The cluster then holds only counters, so the orphan scan counts its
	 * keys on every master instead of walking them.
	 */
	@Test
	void shouldRefillEveryCounterAcrossSlots() {
		Shop shop = emptyShop();
		// the class's own cluster: the other tests' keys go too (a hash, markers)
		this.redis.execute((RedisCallback<Void>) (connection) -> {
			connection.serverCommands().flushDb();
			return null;
		});
		try {
			for (long id = 1; id <= 700; id++) {
				shop.product(id, (int) id);
			}
			for (long id = 1; id <= 700; id++) {
				if (id % 3 == 0) {
					shop.setCounter(id, "0");
				}
				else {
					shop.deleteCounter(id);
				}
			}

			JobExecution execution = ((LaunchOutcome.Ran) this.launcher.run(LocalDate.of(2026, 11, 25), false, true))
				.execution();

			assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
			for (long id = 1; id <= 700; id++) {
				assertThat(shop.counter(id)).as("counter of %d", id).isEqualTo(Long.toString(id));
			}
			assertThat(shop.count("""
					SELECT count(*) FROM stockrecon_drift_audit WHERE action = 'repaired' AND job_execution_id = %d
					""".formatted(execution.getId()))).isEqualTo(700);
			StepExecution orphanScan = JobSteps.named(execution, VerifyStepsConfiguration.ORPHANS_STEP);
			assertThat(orphanScan.getExecutionContext().getString(VerifyStepsConfiguration.ORPHAN_CHECK))
				.as("DBSIZE summed over the three masters")
				.startsWith("counted: 233 keys where the counters live");
		}
		finally {
			for (long id = 1; id <= 700; id++) {
				shop.deleteCounter(id);
			}
			emptyShop();
		}
	}

	/**
	 * A uuid-keyed shop whose counters are fields of one hash: the hash and every
	 * delivery marker (hash-tagged with the hash's name) live in one slot.
	 */
	@Test
	void shouldRestoreAndVerifyHashFieldCountersOnACluster() {
		String hash = TestStores.newKeyPrefix() + "inventory";
		MappedShop uuidShop = MappedShop.create(
				"""
						CREATE TABLE products (id uuid PRIMARY KEY, stock_quantity bigint NOT NULL);
						CREATE TABLE "order" (id uuid PRIMARY KEY, order_status text NOT NULL);
						CREATE TABLE order_line (
						    order_id   uuid NOT NULL REFERENCES "order" (id) ON DELETE CASCADE,
						    product_id uuid NOT NULL,
						    qty        integer NOT NULL
						);
						INSERT INTO products SELECT md5('p' || g)::uuid, 1000 FROM generate_series(1, 40) g;
						INSERT INTO "order" SELECT md5('o' || g)::uuid, 'paid' FROM generate_series(1, 80) g;
						INSERT INTO order_line SELECT md5('o' || g)::uuid, md5('p' || (1 + g % 40))::uuid, 1 + g % 3
						FROM generate_series(1, 80) g;
						UPDATE products p SET stock_quantity = stock_quantity - s.units
						FROM (SELECT product_id, sum(qty) AS units FROM order_line GROUP BY product_id) s WHERE p.id = s.product_id;
						""",
				Map.of("stockrecon.shop.stock.table", "products", "stockrecon.shop.stock.key-column", "id",
						"stockrecon.shop.stock.quantity-column", "stock_quantity", "stockrecon.shop.orders.table",
						"order", "stockrecon.shop.orders.status-column", "order_status", "stockrecon.shop.items.table",
						"order_line", "stockrecon.shop.items.quantity-column", "qty", "stockrecon.redis.key-template",
						hash, "stockrecon.redis.hash-field-template", "<id>", "stockrecon.verify.settle-interval",
						"100ms"));
		StockreconJar jar = uuidShop.jar().env("SPRING_DATA_REDIS_CLUSTER_NODES", cluster.nodes());
		assertThat(jar.run("run", "--run-date=2026-01-01").exitCode()).isEqualTo(ExitCode.COMPLETED);
		uuidShop.jdbc().sql("SELECT id::text, stock_quantity FROM products").query((rs) -> {
			this.redis.opsForHash().put(hash, rs.getString(1), Long.toString(rs.getLong(2)));
		});
		uuidShop.jdbc()
			.sql("UPDATE \"order\" SET order_status = 'cancelled' WHERE id IN (SELECT md5('o' || g)::uuid FROM generate_series(1, 80, 4) g)")
			.update();
		uuidShop.jdbc()
			.sql("DELETE FROM \"order\" WHERE id IN (SELECT md5('o' || g)::uuid FROM generate_series(2, 80, 9) g)")
			.update();
		this.redis.opsForHash().put(hash, md5Uuid("p7"), "3");
		this.redis.opsForHash().put(hash, "no-such-product", "1");

		StockreconJar.Finished finished = jar.run("run", "--run-date=2026-01-02");

		assertThat(finished.exitCode()).as(finished.output()).isEqualTo(ExitCode.COMPLETED);
		Map<Object, Object> counters = this.redis.opsForHash().entries(hash);
		uuidShop.jdbc().sql("SELECT id::text, stock_quantity FROM products").query((rs) -> {
			assertThat(counters.get(rs.getString(1))).as("field %s", rs.getString(1))
				.isEqualTo(Long.toString(rs.getLong(2)));
		});
		assertThat(uuidShop.jdbc().sql("""
				SELECT sum(stock_quantity) + (SELECT coalesce(sum(l.qty), 0) FROM order_line l
				                              JOIN "order" o ON o.id = l.order_id WHERE o.order_status = 'paid')
				FROM products
				""").query(Long.class).single()).isEqualTo(40 * 1000);
		this.redis.delete(hash);
	}

	private static String md5Uuid(String text) {
		try {
			String hex = HexFormat.of()
				.formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
			return hex.replaceFirst("(.{8})(.{4})(.{4})(.{4})(.{12})", "$1-$2-$3-$4-$5");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
