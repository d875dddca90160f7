package io.stockrecon.stock;

import java.util.List;

/**
 * One row of {@code stockrecon_counter_outbox}: units one restore chunk gave back, per
 * product (a chunk writes a row per {@link CounterOutboxPublisher#PRODUCTS_PER_ROW}
 * products), on their way to the Redis counters.
 *
 * @param outboxId the outbox row
 * @param jobExecutionId the execution whose chunk queued it
 * @param legacyBlock for a row migration V9 made of an earlier release's rows, their
 * block of ids (which names the delivery marker that release used); else {@code null}
 * @param productIds the products, each once
 * @param deltas the units to add to each product's counter, in the same order
 */
public record QueuedUnits(long outboxId, long jobExecutionId, Long legacyBlock, List<String> productIds,
		List<Long> deltas) {

	public QueuedUnits {
		if (productIds.size() != deltas.size()) {
			throw new IllegalArgumentException("outbox row %d holds %d products and %d deltas".formatted(outboxId,
					productIds.size(), deltas.size()));
		}
	}

	/** A row as a restore chunk queues it. */
	public static QueuedUnits ofChunk(long outboxId, long jobExecutionId, List<String> productIds, List<Long> deltas) {
		return new QueuedUnits(outboxId, jobExecutionId, null, productIds, deltas);
	}

	/** How many counters the row adds to. */
	public int size() {
		return this.productIds.size();
	}

}
