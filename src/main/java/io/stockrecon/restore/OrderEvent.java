package io.stockrecon.restore;

/**
 * One captured change of an order, read from the {@code stockrecon_order_events} queue.
 *
 * @param eventId the queue row, deleted when the event is handled
 * @param orderId the order concerned
 * @param kind {@code cancelled} or {@code deleted}
 * @param status the order's status when the change was captured
 */
public record OrderEvent(long eventId, String orderId, String kind, String status) {

	public static final String CANCELLED = "cancelled";

	public static final String DELETED = "deleted";

	boolean isDeletion() {
		return DELETED.equals(this.kind);
	}

}
