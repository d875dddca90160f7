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
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Sends restored units from {@code stockrecon_counter_outbox} to the Redis counters.
 * <p>
 * Each batch is sent with {@link RedisStockCounters#deliverLater} (at most once per block
 * of outbox rows, thanks to the delivery markers) and deleted from the outbox in the
 * tasklet's transaction while Redis runs the scripts; that transaction commits only once
 * every script has answered. A crash between the two leaves the rows in the outbox and
 * their markers in Redis, so the relaunch delivers nothing twice. If Redis is down the
 * step fails and the rows wait, visibly, for {@code restart} or the next run: PostgreSQL
 * is never left restored with Redis silently behind.
 */
public class CounterOutboxPublisher implements Tasklet {

	private static final Logger logger = LoggerFactory.getLogger(CounterOutboxPublisher.class);

	/**
	 * Whole delivery blocks (see {@link CounterDelta#DELIVERY_BLOCK}) from the oldest row
	 * on: a block is never split between two batches, since its marker stands for all of
	 * its rows.
	 */
	private static final String NEXT_BATCH = """
			SELECT id AS outbox_id, job_execution_id, product_id::text AS product_id, delta
			FROM stockrecon_counter_outbox
			WHERE id >= :oldest AND id < :end
			ORDER BY id
			""";

	/**
	 * Asked apart from {@link #NEXT_BATCH} so that the batch's bound is a value: with a
	 * subquery for a bound the planner cannot tell a range scan of a few blocks from a
	 * scan of the whole outbox, and chose the second. From where the last batch ended:
	 * the index still holds the entries of the rows delivered before, until a vacuum, and
	 * a plain {@code min(id)} walked them all again for every batch.
	 */
	private static final String OLDEST = """
			SELECT min(id) FROM stockrecon_counter_outbox WHERE id >= :from
			""";

	/**
	 * The batch's rows, as a range of the primary key (an array of every id took three
	 * times as long). No row of it can be missing from the batch: rows are only added by
	 * the restore steps, which end before this step starts.
	 */
	private static final String DELETE_DELIVERED = """
			DELETE FROM stockrecon_counter_outbox WHERE id >= :first AND id <= :last
			""";

	private final JdbcClient jdbc;

	private final RedisStockCounters counters;

	private final int batchSize;

	/**
	 * Where each running publish step's next batch begins, by step execution: only a
	 * shortcut (a new step execution begins at the start of the outbox again).
	 */
	private final Map<Long, Long> nextIds = new ConcurrentHashMap<>();

	public CounterOutboxPublisher(JdbcClient jdbc, RedisStockCounters counters, int batchSize) {
		this.jdbc = jdbc;
		this.counters = counters;
		this.batchSize = batchSize;
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
		long stepExecutionId = contribution.getStepExecution().getId();
		Long oldest = this.jdbc.sql(OLDEST)
			.param("from", this.nextIds.getOrDefault(stepExecutionId, Long.MIN_VALUE))
			.query(Long.class)
			.list()
			.get(0);
		if (oldest == null) {
			this.nextIds.remove(stepExecutionId);
			return RepeatStatus.FINISHED;
		}
		long blocks = Math.max(1, this.batchSize / CounterDelta.DELIVERY_BLOCK);
		long end = (Math.floorDiv(oldest, CounterDelta.DELIVERY_BLOCK) + blocks) * CounterDelta.DELIVERY_BLOCK;
		List<CounterDelta> batch = this.jdbc.sql(NEXT_BATCH)
			.param("oldest", oldest)
			.param("end", end)
			.query((rs, row) -> new CounterDelta(rs.getLong("outbox_id"), rs.getLong("job_execution_id"),
					rs.getString("product_id"), rs.getLong("delta")))
			.list();
		if (batch.isEmpty()) {
			return RepeatStatus.CONTINUABLE;
		}
		RedisStockCounters.PendingDelivery delivery = this.counters.deliverLater(batch);
		// while Redis runs the scripts; the delete commits only once they have answered
		int deleted = this.jdbc.sql(DELETE_DELIVERED)
			.param("first", batch.get(0).outboxId())
			.param("last", batch.get(batch.size() - 1).outboxId())
			.update();
		if (deleted != batch.size()) {
			throw new IllegalStateException(
					("%d outbox rows between ids %d and %d, where the batch read %d: the outbox "
							+ "changed under the publish step, though only restore steps add rows and they end before it starts")
						.formatted(deleted, batch.get(0).outboxId(), batch.get(batch.size() - 1).outboxId(),
								batch.size()));
		}
		List<DeliveryOutcome> outcomes = delivery.outcomes();
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCommit() {
				CounterOutboxPublisher.this.nextIds.put(stepExecutionId, end);
				CounterOutboxPublisher.this.counters.forgetDeliveries(batch);
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
