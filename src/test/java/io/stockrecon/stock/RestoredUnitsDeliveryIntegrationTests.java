package io.stockrecon.stock;

import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import io.stockrecon.job.LaunchOutcome;
import io.stockrecon.support.Shop;
import io.stockrecon.support.StoresIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Restored units reach Redis once, even when a run dies between Redis and PostgreSQL.
 * Batches are asked smaller than a delivery block here: a publish of several blocks must
 * still deliver every row once.
 */
@TestPropertySource(properties = "stockrecon.restore.publish-batch-size=1000")
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
		assertThat(this.counters.deliverLater(List.of(new CounterDelta(outboxId, 0, "1", 10))).outcomes())
			.containsExactly(DeliveryOutcome.APPLIED);

		JobExecution relaunch = ((LaunchOutcome.Ran) this.launcher.run(LocalDate.of(2026, 11, 24), false, true))
			.execution();

		assertThat(relaunch.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(this.shop.counter(1)).isEqualTo("100");
		// the verify found nothing to repair: the counter was never pushed past 100
		assertThat(this.shop.count(
				"SELECT count(*) FROM stockrecon_drift_audit WHERE job_execution_id = %d".formatted(relaunch.getId())))
			.isZero();
		assertThat(this.shop.count("SELECT count(*) FROM stockrecon_counter_outbox")).isZero();
		assertThat(this.redis.keys("{" + this.shop.counterKey(1) + "}:stockrecon-delivered:*")).isEmpty();
	}

	@Test
	void shouldDeliverEveryRowOfABlockWhenBatchesAreSmallerThanBlocks() {
		this.shop.product(1, 1_600).setCounter(1, "100");
		this.jdbc.sql("""
				INSERT INTO stockrecon_counter_outbox (product_id, delta, job_execution_id)
				SELECT 1, 1, 0 FROM generate_series(1, 1500)
				""").update();

		JobExecution run = ((LaunchOutcome.Ran) this.launcher.run(LocalDate.of(2026, 11, 25), false, true)).execution();

		assertThat(run.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(this.shop.counter(1)).isEqualTo("1600");
		// the verify found nothing to repair: publish alone brought the counter there
		assertThat(this.shop
			.count("SELECT count(*) FROM stockrecon_drift_audit WHERE job_execution_id = %d".formatted(run.getId())))
			.isZero();
	}

	/**
	 * A marker left behind (its removal after the commit failed) belongs to its
	 * execution: the next run's rows in the same block of ids are still delivered.
	 */
	@Test
	void shouldDeliverTheNextExecutionsRowsInABlockWhoseMarkerRemains() {
		this.shop.product(1, 117).setCounter(1, "100");
		List<CounterDelta> earlier = List.of(new CounterDelta(5, 1, "1", 10));
		List<CounterDelta> later = List.of(new CounterDelta(6, 2, "1", 7));

		assertThat(this.counters.deliverLater(earlier).outcomes()).containsExactly(DeliveryOutcome.APPLIED);
		assertThat(this.counters.deliverLater(later).outcomes()).containsExactly(DeliveryOutcome.APPLIED);

		assertThat(this.shop.counter(1)).isEqualTo("117");
		this.counters.forgetDeliveries(earlier);
		this.counters.forgetDeliveries(later);
	}

	@Test
	void shouldReportEachDeliveryOutcome() {
		this.shop.product(1, 100).product(2, 100).product(3, 100).product(4, 100).setCounter(3, "x").deleteCounter(2);
		// a key of another type: no value for MGET, yet not missing
		String listKey = this.shop.counterKey(4);
		this.redis.delete(listKey);
		this.redis.opsForList().leftPush(listKey, "100");
		List<CounterDelta> deltas = List.of(new CounterDelta(9001, 7, "1", 5), new CounterDelta(9002, 7, "2", 5),
				new CounterDelta(9003, 7, "3", 5), new CounterDelta(9004, 7, "4", 5));

		List<DeliveryOutcome> first = this.counters.deliverLater(deltas).outcomes();
		List<DeliveryOutcome> second = this.counters.deliverLater(deltas).outcomes();

		assertThat(first).containsExactly(DeliveryOutcome.APPLIED, DeliveryOutcome.COUNTER_MISSING,
				DeliveryOutcome.COUNTER_INVALID, DeliveryOutcome.COUNTER_INVALID);
		assertThat(this.redis.opsForList().range(listKey, 0, -1)).containsExactly("100");
		assertThat(second).containsOnly(DeliveryOutcome.ALREADY_APPLIED);
		assertThat(this.shop.counter(1)).isEqualTo("105");
		assertThat(this.shop.counter(2)).isNull();
		this.counters.forgetDeliveries(deltas);
	}

}
