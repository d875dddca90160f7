package io.stockrecon.drift;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import io.stockrecon.job.LaunchOutcome;
import io.stockrecon.support.Checkouts;
import io.stockrecon.support.Shop;
import io.stockrecon.support.StoresIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verify repairs in a loop while checkouts run as a shop runs them: Redis {@code DECRBY}
 * first, then a PostgreSQL transaction that waits a little before it commits the order
 * and the stock. When the traffic stops, Redis must equal PostgreSQL for every product
 * without one more verify: a verifier that handed a reservation back would leave a
 * counter too high.
 */
@TestPropertySource(properties = { "stockrecon.verify.settle-interval=300ms", "stockrecon.verify.chunk-size=16",
		"stockrecon.verify.first-look-chunk-size=16" })
class VerifyUnderLiveTrafficIntegrationTests extends StoresIntegrationTest {

	private static final int TRAFFIC_PRODUCTS = 40;

	private static final int DRIFTED_PRODUCTS = 10;

	private static final Duration TRAFFIC = Duration.ofSeconds(8);

	@Autowired
	DataSource dataSource;

	@Test
	void shouldLeaveRedisEqualToPostgresWithNoReservationLostOrHandedBack() throws Exception {
		Shop shop = shop();
		for (long id = 1; id <= TRAFFIC_PRODUCTS + DRIFTED_PRODUCTS; id++) {
			shop.product(id, 100_000);
		}
		for (long id = TRAFFIC_PRODUCTS + 1; id <= TRAFFIC_PRODUCTS + DRIFTED_PRODUCTS; id++) {
			shop.setCounter(id, Long.toString(100_000 + id));
		}
		Checkouts checkouts = new Checkouts(this.dataSource::getConnection, this.redis, shop::counterKey,
				new Checkouts.Shape(TRAFFIC_PRODUCTS, 1, 3, 10, 59), new AtomicLong());
		Instant end = Instant.now().plus(TRAFFIC);
		ExecutorService threads = Executors.newFixedThreadPool(3);
		List<Future<Long>> checkoutThreads = new ArrayList<>();
		for (int i = 0; i < 2; i++) {
			checkoutThreads.add(threads.submit(() -> checkouts.whileOn(() -> Instant.now().isBefore(end))));
		}
		Future<List<JobExecution>> verifies = threads.submit(() -> {
			List<JobExecution> executions = new ArrayList<>();
			while (Instant.now().isBefore(end)) {
				executions.add(((LaunchOutcome.Ran) this.launcher.verify(new VerifyMode(false, false))).execution());
			}
			return executions;
		});
		long orders = 0;
		for (Future<Long> checkout : checkoutThreads) {
			orders += checkout.get();
		}
		List<JobExecution> executions = verifies.get();
		threads.shutdown();

		assertThat(orders).isGreaterThan(50);
		assertThat(executions).isNotEmpty()
			.allSatisfy((execution) -> assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED));
		Map<Long, Integer> postgres = shop.allStock();
		for (long id = 1; id <= TRAFFIC_PRODUCTS + DRIFTED_PRODUCTS; id++) {
			long sold = this.jdbc.sql("SELECT coalesce(sum(quantity), 0) FROM order_items WHERE product_id = :id")
				.param("id", id)
				.query(Long.class)
				.single();
			assertThat(postgres.get(id)).as("PostgreSQL stock of %d", id).isEqualTo((int) (100_000 - sold));
			assertThat(shop.counter(id)).as("Redis counter of %d", id).isEqualTo(Integer.toString(postgres.get(id)));
		}
		// the race was really exercised: first looks caught checkouts in flight
		assertThat(shop.count("""
				SELECT count(*) FROM stockrecon_drift_audit
				WHERE action IN ('resolved', 'unsettled') AND product_id <= 40
				""")).isPositive();
	}

}
