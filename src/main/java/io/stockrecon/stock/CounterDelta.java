package io.stockrecon.stock;

/**
 * Units to add to one product's Redis counter, as queued in
 * {@code stockrecon_counter_outbox}.
 *
 * @param outboxId the outbox row
 * @param jobExecutionId the execution that queued it
 * @param productId the product
 * @param delta the units to add
 */
public record CounterDelta(long outboxId, long jobExecutionId, String productId, long delta) {

	/**
	 * Outbox rows are delivered in blocks of consecutive ids, one delivery marker per
	 * block and execution (and per hash slot on a cluster), not one per row. The block is
	 * fixed by the row's id alone, so a redelivery after a crash groups the rows exactly
	 * as the first delivery did, whatever the batch size is then.
	 */
	public static final int DELIVERY_BLOCK = 1024;

	/** The delivery this row belongs to: its execution and its block of ids. */
	Delivery delivery() {
		return new Delivery(this.jobExecutionId, Math.floorDiv(this.outboxId, DELIVERY_BLOCK));
	}

	/**
	 * Rows of one execution in one block of ids: written together by the restore steps of
	 * that execution, delivered together under one marker.
	 */
	record Delivery(long jobExecutionId, long block) {

	}

}
