package io.stockrecon.stock;

import java.util.ArrayList;
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
 * Each row (one per restore chunk) is sent with {@link RedisStockCounters#deliverLater}
 * (at most once, thanks to the delivery markers), a batch of whole rows at a time, and
 * the batch is deleted from the outbox in the tasklet's transaction while Redis runs the
 * scripts; that transaction commits only once every script has answered. A crash between
 * the two leaves the rows in the outbox and their markers in Redis, so the relaunch
 * delivers nothing twice. If Redis is down the step fails and the rows wait, visibly, for
 * {@code restart} or the next run: PostgreSQL is never left restored with Redis silently
 * behind.
 */
public class CounterOutboxPublisher implements Tasklet {

	private static final Logger logger = LoggerFactory.getLogger(CounterOutboxPublisher.class);

	/**
	 * From where the last batch ended: the index still holds the entries of the rows
	 * delivered before, until a vacuum, and starting from the lowest id walked them all
	 * again for every row.
	 */
	private static final String NEXT_ROW = """
			SELECT id, job_execution_id, legacy_block, product_ids, deltas
			FROM stockrecon_counter_outbox
			WHERE id >= :from
			ORDER BY id
			LIMIT 1
			""";

	/**
	 * The batch's rows, as a range of the primary key. No row of it can be missing from
	 * the batch: rows are only added by the restore steps, which end before this step
	 * starts.
	 */
	private static final String DELETE_DELIVERED = """
			DELETE FROM stockrecon_counter_outbox WHERE id >= :first AND id <= :last
			""";

	private static final RowMapper<QueuedUnits> ROW = (rs, row) -> new QueuedUnits(rs.getLong("id"),
			rs.getLong("job_execution_id"), rs.getObject("legacy_block", Long.class),
			List.of((String[]) rs.getArray("product_ids").getArray()),
			List.of((Long[]) rs.getArray("deltas").getArray()));

	private final JdbcClient jdbc;

	private final RedisStockCounters counters;

	private final int batchSize;

	/**
	 * Where each running publish step's next batch begins, by step execution: only a
	 * shortcut (a new step execution begins at the start of the outbox again).
	 */
	private final Map<Long, Long> nextIds = new ConcurrentHashMap<>();

	/**
	 * @param batchSize how many counters a batch adds to, at the least one whole row
	 */
	public CounterOutboxPublisher(JdbcClient jdbc, RedisStockCounters counters, int batchSize) {
		this.jdbc = jdbc;
		this.counters = counters;
		this.batchSize = batchSize;
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
		long stepExecutionId = contribution.getStepExecution().getId();
		long from = this.nextIds.getOrDefault(stepExecutionId, Long.MIN_VALUE);
		List<QueuedUnits> batch = new ArrayList<>();
		List<RedisStockCounters.PendingDelivery> deliveries = new ArrayList<>();
		int size = 0;
		while (size < this.batchSize) {
			QueuedUnits row = this.jdbc.sql(NEXT_ROW).param("from", from).query(ROW).optional().orElse(null);
			if (row == null) {
				break;
			}
			// Redis adds one row's units while the next row is read
			deliveries.add(this.counters.deliverLater(List.of(row)));
			batch.add(row);
			size += row.size();
			from = row.outboxId() + 1;
		}
		if (batch.isEmpty()) {
			this.nextIds.remove(stepExecutionId);
			return RepeatStatus.FINISHED;
		}
		long first = batch.get(0).outboxId();
		long last = batch.get(batch.size() - 1).outboxId();
		// while Redis runs the scripts; the delete commits only once they have answered
		int deleted = this.jdbc.sql(DELETE_DELIVERED).param("first", first).param("last", last).update();
		if (deleted != batch.size()) {
			throw new IllegalStateException(
					("%d outbox rows between ids %d and %d, where the batch read %d: the outbox "
							+ "changed under the publish step, though only restore steps add rows and they end before it starts")
						.formatted(deleted, first, last, batch.size()));
		}
		List<DeliveryOutcome> outcomes = new ArrayList<>(size);
		deliveries.forEach((delivery) -> outcomes.addAll(delivery.outcomes()));
		long next = last + 1;
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCommit() {
				CounterOutboxPublisher.this.nextIds.put(stepExecutionId, next);
				deliveries.forEach(RedisStockCounters.PendingDelivery::forgetMarkers);
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
