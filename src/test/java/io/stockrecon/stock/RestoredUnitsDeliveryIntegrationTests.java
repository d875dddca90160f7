package io.stockrecon.stock;

import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.annotation.Autowired;

import io.stockrecon.job.LaunchOutcome;
import io.stockrecon.support.Shop;
import io.stockrecon.support.StoresIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Restored units reach Redis once, even when a run dies between Redis and PostgreSQL.
 */
class RestoredUnitsDeliveryIntegrationTests extends StoresIntegrationTest {

	@Autowired
	RedisStockCounters counters;

	Shop shop;

	@BeforeEach
	void startFromAnEmptyShop() {
		this.shop = emptyShop();
	}

	@Test
	void shouldNotAddUnitsTwiceWhenTheRunDiedAfterRedisHadThem() {
		this.shop.product(1, 100).setCounter(1, "90");
		long outboxId = this.jdbc.sql("""
				INSERT INTO stockrecon_counter_outbox (product_id, delta, job_execution_id)
				VALUES (1, 10, 0) RETURNING id
				""").query(Long.class).single();
		// the earlier run delivered the row, then died before deleting it from the outbox
		assertThat(this.counters.deliver(List.of(new CounterDelta(outboxId, 0, "1", 10))))
			.containsExactly(DeliveryOutcome.APPLIED);

		JobExecution relaunch = ((LaunchOutcome.Ran) this.launcher.run(LocalDate.of(2026, 11, 24), false, true))
			.execution();

		assertThat(relaunch.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(this.shop.counter(1)).isEqualTo("100");
		assertThat(this.shop.count("SELECT count(*) FROM stockrecon_counter_outbox")).isZero();
		assertThat(this.redis.keys("{" + this.shop.counterKey(1) + "}:stockrecon-delivered:*")).isEmpty();
	}

	@Test
	void shouldReportEachDeliveryOutcome() {
		this.shop.product(1, 100).product(2, 100).product(3, 100).setCounter(3, "x").deleteCounter(2);
		List<CounterDelta> deltas = List.of(new CounterDelta(9001, 7, "1", 5), new CounterDelta(9002, 7, "2", 5),
				new CounterDelta(9003, 7, "3", 5));

		List<DeliveryOutcome> first = this.counters.deliver(deltas);
		List<DeliveryOutcome> second = this.counters.deliver(deltas);

		assertThat(first).containsExactly(DeliveryOutcome.APPLIED, DeliveryOutcome.COUNTER_MISSING,
				DeliveryOutcome.COUNTER_INVALID);
		assertThat(second).containsOnly(DeliveryOutcome.ALREADY_APPLIED);
		assertThat(this.shop.counter(1)).isEqualTo("105");
		assertThat(this.shop.counter(2)).isNull();
		this.counters.forgetDeliveries(deltas);
	}

}
