package io.stockrecon.stock;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Sends restored units from {@code stockrecon_counter_outbox} to the Redis counters.
 * <p>
 * First it plans: consecutive rows (restore chunks write them) of one execution make one
 * delivery, about {@code publish-batch-size} counters' worth, and the plan commits before
 * anything is sent. Then each delivery, in a transaction of its own, is summed per
 * counter and sent with {@link RedisStockCounters#deliverLater} (at most once, thanks to
 * the delivery markers named by the delivery), and its rows are deleted while Redis runs
 * the scripts; that transaction commits only once every script has answered. A crash
 * between the two leaves the rows, their plan and their markers, so the relaunch sends
 * the same sums under the same markers and adds nothing twice. If Redis is down the step
 * fails and the rows wait, visibly, for {@code restart} or the next run: PostgreSQL is
 * never left restored with Redis silently behind.
 */
public class CounterOutboxPublisher implements Tasklet {

	private static final Logger logger = LoggerFactory.getLogger(CounterOutboxPublisher.class);

	/**
	 * The most products a restore chunk queues in one outbox row (a chunk of 50 k orders
	 * can restore 150 k): a delivery holds {@code publish-batch-size} counters and one
	 * row more at most, all in memory while they are sent.
	 */
	public static final int PRODUCTS_PER_ROW = 8192;

	/**
	 * Rows of one execution go to the delivery of the first row whose running count of
	 * products before it falls in the same stretch of {@code :size}: a delivery holds
	 * about that many counters and {@link #PRODUCTS_PER_ROW} more at most (counted before
	 * they are summed), fewer once summed where chunks restored the same products. A row
	 * an earlier release queued (V9) is a delivery of its own. Only rows not planned yet:
	 * a plan, once committed, is never changed, since markers in Redis may already stand
	 * for it.
	 */
	private static final String PLAN = """
			UPDATE stockrecon_counter_outbox AS o SET delivery = p.delivery
			FROM (
			    SELECT id, min(id) OVER (PARTITION BY job_execution_id, stretch) AS delivery
			    FROM (
			        SELECT id, job_execution_id,
			               CASE WHEN legacy_block IS NOT NULL THEN -id
			                    ELSE (sum(products) OVER (PARTITION BY job_execution_id ORDER BY id) - products) / :size
			               END AS stretch
			        FROM stockrecon_counter_outbox
			        WHERE delivery IS NULL
			    ) AS s
			) AS p
			WHERE o.id = p.id AND o.delivery IS NULL
			""";

	/**
	 * Waits for the restore chunks of this execution that are still running (a partition
	 * that runs late holds a share lock on its execution while it restores): once they
	 * have committed, no chunk adds to the outbox, since each one refuses to restore once
	 * this step exists (see {@link io.stockrecon.restore.RestorationWriter}).
	 */
	private static final String AFTER_THE_LAST_CHUNK = """
			SELECT job_execution_id FROM batch_job_execution WHERE job_execution_id = :jobExecutionId
			FOR NO KEY UPDATE
			""";

	/**
	 * Asked before {@link #PLAN}: a query passes where the update would wait for a lock
	 * on the table (the kill suite's gate), and there is nothing to plan after the step's
	 * first call.
	 */
	private static final String UNPLANNED = """
			SELECT EXISTS (SELECT FROM stockrecon_counter_outbox WHERE delivery IS NULL)
			""";

	/**
	 * From where the last delivery ended: deliveries are taken in the order of their ids.
	 */
	private static final String NEXT_DELIVERY = """
			SELECT min(delivery) FROM stockrecon_counter_outbox WHERE delivery >= :from
			""";

	private static final String ROWS_OF_DELIVERY = """
			SELECT id, job_execution_id, legacy_block, product_ids, deltas
			FROM stockrecon_counter_outbox
			WHERE delivery = :delivery
			ORDER BY id
			""";

	/**
	 * The delivery's rows. No row of it can be missing from what was read: rows are only
	 * added by restore chunks, which refuse to run once this step exists and which
	 * {@link #AFTER_THE_LAST_CHUNK} waits for, and a plan is never changed.
	 */
	private static final String DELETE_DELIVERED = """
			DELETE FROM stockrecon_counter_outbox WHERE delivery = :delivery
			""";

	private static final RowMapper<QueuedUnits> ROW = (rs, row) -> new QueuedUnits(rs.getLong("id"),
			rs.getLong("job_execution_id"), rs.getObject("legacy_block", Long.class),
			List.of((String[]) rs.getArray("product_ids").getArray()),
			List.of((Long[]) rs.getArray("deltas").getArray()));

	private final JdbcClient jdbc;

	private final RedisStockCounters counters;

	private final int deliverySize;

	/**
	 * Where each running publish step's next delivery begins, by step execution: only a
	 * shortcut (a new step execution begins at the start of the outbox again).
	 */
	private final Map<Long, Long> nextIds = new ConcurrentHashMap<>();

	/**
	 * @param deliverySize about how many counters one delivery (one transaction) sends
	 */
	public CounterOutboxPublisher(JdbcClient jdbc, RedisStockCounters counters, int deliverySize) {
		this.jdbc = jdbc;
		this.counters = counters;
		this.deliverySize = deliverySize;
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
		this.jdbc.sql(AFTER_THE_LAST_CHUNK)
			.param("jobExecutionId", contribution.getStepExecution().getJobExecutionId())
			.query()
			.listOfRows();
		if (this.jdbc.sql(UNPLANNED).query(Boolean.class).single()) {
			this.jdbc.sql(PLAN).param("size", this.deliverySize).update();
			// committed before any of it is sent
			return RepeatStatus.CONTINUABLE;
		}
		long stepExecutionId = contribution.getStepExecution().getId();
		Long delivery = this.jdbc.sql(NEXT_DELIVERY)
			.param("from", this.nextIds.getOrDefault(stepExecutionId, Long.MIN_VALUE))
			.query(Long.class)
			.list()
			.get(0);
		if (delivery == null) {
			this.nextIds.remove(stepExecutionId);
			return RepeatStatus.FINISHED;
		}
		List<QueuedUnits> rows = this.jdbc.sql(ROWS_OF_DELIVERY).param("delivery", delivery).query(ROW).list();
		RedisStockCounters.PendingDelivery sent = this.counters.deliverLater(delivery, rows);
		// while Redis runs the scripts; the delete commits only once they have answered
		int deleted = this.jdbc.sql(DELETE_DELIVERED).param("delivery", delivery).update();
		if (deleted != rows.size()) {
			throw new IllegalStateException(("%d outbox rows in delivery %d, where %d were read: the outbox changed "
					+ "under the publish step, though restore chunks add no rows once it has started")
				.formatted(deleted, delivery, rows.size()));
		}
		List<DeliveryOutcome> outcomes = sent.outcomes();
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCommit() {
				CounterOutboxPublisher.this.nextIds.put(stepExecutionId, delivery + 1);
				sent.forgetMarkers();
			}
		});
		count(contribution, outcomes);
		return RepeatStatus.CONTINUABLE;
	}

	private static void count(StepContribution contribution, List<DeliveryOutcome> outcomes) {
		Map<DeliveryOutcome, Integer> byOutcome = new EnumMap<>(DeliveryOutcome.class);
		outcomes.forEach((outcome) -> byOutcome.merge(outcome, 1, Integer::sum));
		for (int i = 0; i < outcomes.size(); i++) {
			contribution.incrementReadCount();
		}
		int written = byOutcome.getOrDefault(DeliveryOutcome.APPLIED, 0)
				+ byOutcome.getOrDefault(DeliveryOutcome.ALREADY_APPLIED, 0);
		int leftToVerify = byOutcome.getOrDefault(DeliveryOutcome.COUNTER_MISSING, 0)
				+ byOutcome.getOrDefault(DeliveryOutcome.COUNTER_INVALID, 0);
		contribution.incrementWriteCount(written);
		contribution.incrementFilterCount(leftToVerify);
		if (leftToVerify > 0) {
			logger.warn(
					"{} restored deltas found no usable counter in Redis ({}); the verify step sets those counters from PostgreSQL",
					leftToVerify, byOutcome);
		}
	}

}
