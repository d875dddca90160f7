package io.stockrecon.stock;

import java.time.LocalDate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.stockrecon.job.LaunchOutcome;
import io.stockrecon.support.PrivateRedisCluster;
import io.stockrecon.support.Shop;
import io.stockrecon.support.StoresIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The restore and verify paths against a three-master Redis Cluster: every multi-key
 * script stays in one hash slot, and the orphan scan covers every master.
 */
class RedisClusterIntegrationTests extends StoresIntegrationTest {

	static final PrivateRedisCluster cluster = PrivateRedisCluster.start();

	@DynamicPropertySource
	static void cluster(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.cluster.nodes", cluster::nodes);
		registry.add("stockrecon.verify.settle-interval", () -> "100ms");
	}

	@AfterAll
	static void stopCluster() {
		cluster.close();
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

}
