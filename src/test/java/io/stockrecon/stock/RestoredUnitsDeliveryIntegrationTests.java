package io.stockrecon.stock;

import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import io.stockrecon.job.LaunchOutcome;
import io.stockrecon.restore.RestoreStepsConfiguration;
import io.stockrecon.support.Shop;
import io.stockrecon.support.StoresIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Restored units reach Redis once, even when a run dies between Redis and PostgreSQL.
 * Batches are asked smaller than an outbox row here, and rows larger than one script
 * call: a publish must still deliver every counter of every row once.
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
				INSERT INTO stockrecon_counter_outbox (job_execution_id, product_ids, deltas, products)
				VALUES (0, '{1}', '{10}', 1) RETURNING id
				""").query(Long.class).single();
		this.jdbc.sql("UPDATE stockrecon_counter_outbox SET delivery = id").update();
		// the earlier run planned and delivered the row, then died before deleting it
		assertThat(this.counters
			.deliverLater(outboxId, List.of(QueuedUnits.ofChunk(outboxId, 0, List.of("1"), List.of(10L))))
			.outcomes()).containsExactly(DeliveryOutcome.APPLIED);

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

	/**
	 * The plan commits before anything is sent: a delivery that reached Redis, then
	 * failed in PostgreSQL, keeps its rows and their plan, and the relaunch sends the
	 * same sums under the same markers (a plan made again could cut the rows otherwise,
	 * with a publish-batch-size changed in between).
	 */
	@Test
	void shouldKeepThePlanOfADeliveryThatFailedAfterRedisHadIt() {
		this.shop.product(1, 104).setCounter(1, "100");
		this.jdbc.sql("""
				INSERT INTO stockrecon_counter_outbox (job_execution_id, product_ids, deltas, products)
				VALUES (0, '{1}', '{1}', 1), (0, '{1}', '{3}', 1)
				""").update();
		JobExecution failed = runRefusingTheDeleteOfDeliveredRows(LocalDate.of(2026, 11, 27));

		assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
		assertThat(this.shop.counter(1)).isEqualTo("104");
		assertThat(this.shop.count("SELECT count(*) FROM stockrecon_counter_outbox WHERE delivery IS NOT NULL"))
			.isEqualTo(2);

		JobExecution restarted = ((LaunchOutcome.Ran) this.launcher.restart()).execution();

		assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(this.shop.counter(1)).isEqualTo("104");
		assertThat(this.shop.count("SELECT count(*) FROM stockrecon_counter_outbox")).isZero();
		assertThat(this.shop.count(
				"SELECT count(*) FROM stockrecon_drift_audit WHERE job_execution_id = %d".formatted(restarted.getId())))
			.isZero();
		assertThat(this.redis.keys("{" + this.shop.counterKey(1) + "}:stockrecon-delivered:*")).isEmpty();
	}

	/**
	 * A chunk queues at most 8,192 products a row, on the set-based path and on the
	 * item-by-item path a bad item sends it to: a delivery holds a bounded number of
	 * counters whatever the chunk size.
	 */
	@ParameterizedTest(name = "with a bad item: {0}")
	@ValueSource(booleans = { false, true })
	void shouldQueueAChunksProductsInRowsOfAtMost8192(boolean withABadItem) {
		this.jdbc.sql("INSERT INTO inventory (product_id, stock) SELECT g, 9 FROM generate_series(1, 8193) AS g")
			.update();
		for (long productId = 1; productId <= 8193; productId++) {
			this.shop.setCounter(productId, "9");
		}
		this.jdbc.sql("INSERT INTO orders (id, status, updated_at) VALUES (70, 'paid', now())").update();
		this.jdbc.sql("""
				INSERT INTO order_items (order_id, product_id, quantity)
				SELECT 70, g, 1 FROM generate_series(1, 8193) AS g
				""").update();
		if (withABadItem) {
			// a product without a stock row: the chunk is restored item by item
			this.jdbc.sql("INSERT INTO order_items (order_id, product_id, quantity) VALUES (70, 99999, 1)").update();
		}
		this.shop.cancel(70);

		JobExecution failed = runRefusingTheDeleteOfDeliveredRows(LocalDate.of(2026, 11, 28));

		assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
		assertThat(
				this.jdbc.sql("SELECT string_agg(products::text, ',' ORDER BY products) FROM stockrecon_counter_outbox")
					.query(String.class)
					.single())
			.isEqualTo("1,8192");

		JobExecution restarted = ((LaunchOutcome.Ran) this.launcher.restart()).execution();

		assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(List.of(this.shop.stock(1), this.shop.stock(8192), this.shop.stock(8193))).containsExactly(10, 10,
				10);
		assertThat(List.of(this.shop.counter(1), this.shop.counter(8192), this.shop.counter(8193)))
			.containsExactly("10", "10", "10");
		assertThat(this.shop.count("SELECT count(*) FROM stockrecon_skipped_items")).isEqualTo(withABadItem ? 1 : 0);
		assertThat(this.shop.count("SELECT count(*) FROM stockrecon_counter_outbox")).isZero();
		assertThat(this.shop.count(
				"SELECT count(*) FROM stockrecon_drift_audit WHERE job_execution_id = %d".formatted(restarted.getId())))
			.isZero();
	}

	/**
	 * Runs the nightly job while PostgreSQL refuses to delete outbox rows: the publish
	 * step fails after Redis received its first delivery.
	 */
	private JobExecution runRefusingTheDeleteOfDeliveredRows(LocalDate runDate) {
		this.jdbc.sql("""
				CREATE FUNCTION refuse_delivered_rows() RETURNS trigger LANGUAGE plpgsql
				AS $$ BEGIN RAISE EXCEPTION 'the test refuses the delete'; END $$;
				CREATE TRIGGER refuse_delivered_rows BEFORE DELETE ON stockrecon_counter_outbox
				FOR EACH STATEMENT EXECUTE FUNCTION refuse_delivered_rows();
				""").update();
		try {
			return ((LaunchOutcome.Ran) this.launcher.run(runDate, false, true)).execution();
		}
		finally {
			this.jdbc.sql("DROP TRIGGER refuse_delivered_rows ON stockrecon_counter_outbox").update();
			this.jdbc.sql("DROP FUNCTION refuse_delivered_rows()").update();
		}
	}

	/**
	 * A row of 1,500 counters is two script calls under two markers, and more than a
	 * batch of 1,000: the first call's marker must not stand for the second's counters,
	 * and the next row must still be delivered.
	 */
	@Test
	void shouldDeliverEveryCounterOfRowsLargerThanABatchAndThanAScriptCall() {
		this.jdbc.sql("INSERT INTO inventory (product_id, stock) SELECT g, 101 FROM generate_series(1, 1500) AS g")
			.update();
		this.jdbc.sql("UPDATE inventory SET stock = 103 WHERE product_id = 1500").update();
		for (long productId = 1; productId <= 1500; productId++) {
			this.shop.setCounter(productId, "100");
		}
		this.jdbc.sql("""
				INSERT INTO stockrecon_counter_outbox (job_execution_id, product_ids, deltas, products)
				SELECT 0, array_agg(g::text ORDER BY g), array_agg(1::bigint), 1500 FROM generate_series(1, 1500) AS g
				UNION ALL SELECT 0, '{1500}', '{2}', 1
				""").update();

		JobExecution run = ((LaunchOutcome.Ran) this.launcher.run(LocalDate.of(2026, 11, 25), false, true)).execution();

		assertThat(run.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(this.shop.counter(1)).isEqualTo("101");
		assertThat(this.shop.counter(1024)).isEqualTo("101");
		assertThat(this.shop.counter(1499)).isEqualTo("101");
		assertThat(this.shop.counter(1500)).isEqualTo("103");
		// the verify found nothing to repair: publish alone brought every counter there
		assertThat(this.shop
			.count("SELECT count(*) FROM stockrecon_drift_audit WHERE job_execution_id = %d".formatted(run.getId())))
			.isZero();
		assertThat(this.shop.count("SELECT count(*) FROM stockrecon_counter_outbox")).isZero();
		assertThat(this.redis.keys("{" + this.properties.redis().keyPrefix() + "*}:stockrecon-delivered:*")).isEmpty();
	}

	/**
	 * Chunks of one execution that restored the same products make one delivery, summed
	 * per counter; a row of another execution is delivered apart.
	 */
	@Test
	void shouldSumTheRowsOfOneDeliveryPerCounter() {
		this.shop.product(1, 103).product(2, 101).product(3, 104).product(4, 100);
		this.shop.setCounter(1, "100").setCounter(2, "100").setCounter(3, "100").setCounter(4, "90");
		this.jdbc.sql("""
				INSERT INTO stockrecon_counter_outbox (job_execution_id, product_ids, deltas, products)
				VALUES (0, '{1,2}', '{1,1}', 2), (0, '{1}', '{2}', 1), (0, '{3}', '{4}', 1), (1, '{4}', '{10}', 1)
				""").update();

		JobExecution run = ((LaunchOutcome.Ran) this.launcher.run(LocalDate.of(2026, 11, 26), false, true)).execution();

		assertThat(run.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(List.of(this.shop.counter(1), this.shop.counter(2), this.shop.counter(3), this.shop.counter(4)))
			.containsExactly("103", "101", "104", "100");
		// four counters delivered, not five: product 1 once for the execution's two rows
		assertThat(this.shop.count("""
				SELECT read_count * 100 + write_count FROM batch_step_execution
				WHERE job_execution_id = %d AND step_name = '%s'
				""".formatted(run.getId(), RestoreStepsConfiguration.PUBLISH_STEP))).isEqualTo(404);
		assertThat(this.shop
			.count("SELECT count(*) FROM stockrecon_drift_audit WHERE job_execution_id = %d".formatted(run.getId())))
			.isZero();
	}

	/**
	 * A marker left behind (its removal after the commit failed) belongs to its row and
	 * execution: the next run's rows are still delivered.
	 */
	@Test
	void shouldDeliverTheNextExecutionsRowsWhenAnEarlierMarkerRemains() {
		this.shop.product(1, 117).setCounter(1, "100");
		List<QueuedUnits> earlier = List.of(QueuedUnits.ofChunk(5, 1, List.of("1"), List.of(10L)));
		List<QueuedUnits> later = List.of(QueuedUnits.ofChunk(6, 2, List.of("1"), List.of(7L)));

		RedisStockCounters.PendingDelivery first = this.counters.deliverLater(5, earlier);
		assertThat(first.outcomes()).containsExactly(DeliveryOutcome.APPLIED);
		RedisStockCounters.PendingDelivery second = this.counters.deliverLater(6, later);
		assertThat(second.outcomes()).containsExactly(DeliveryOutcome.APPLIED);

		assertThat(this.shop.counter(1)).isEqualTo("117");
		first.forgetMarkers();
		second.forgetMarkers();
		assertThat(this.redis.keys("{" + this.shop.counterKey(1) + "}:stockrecon-delivered:*")).isEmpty();
	}

	@Test
	void shouldReportEachDeliveryOutcome() {
		this.shop.product(1, 100).product(2, 100).product(3, 100).product(4, 100).setCounter(3, "x").deleteCounter(2);
		// a key of another type: no value for MGET, yet not missing
		String listKey = this.shop.counterKey(4);
		this.redis.delete(listKey);
		this.redis.opsForList().leftPush(listKey, "100");
		List<QueuedUnits> row = List
			.of(QueuedUnits.ofChunk(9001, 7, List.of("1", "2", "3", "4"), List.of(5L, 5L, 5L, 5L)));

		List<DeliveryOutcome> first = this.counters.deliverLater(9001, row).outcomes();
		RedisStockCounters.PendingDelivery again = this.counters.deliverLater(9001, row);
		List<DeliveryOutcome> second = again.outcomes();

		assertThat(first).containsExactly(DeliveryOutcome.APPLIED, DeliveryOutcome.COUNTER_MISSING,
				DeliveryOutcome.COUNTER_INVALID, DeliveryOutcome.COUNTER_INVALID);
		assertThat(this.redis.opsForList().range(listKey, 0, -1)).containsExactly("100");
		assertThat(second).containsOnly(DeliveryOutcome.ALREADY_APPLIED);
		assertThat(this.shop.counter(1)).isEqualTo("105");
		assertThat(this.shop.counter(2)).isNull();
		again.forgetMarkers();
	}

}
