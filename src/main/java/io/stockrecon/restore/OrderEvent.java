package io.stockrecon.restore;

import io.stockrecon.shop.EventKinds;

/**
 * One captured change of an order, read from the {@code stockrecon_order_events} queue.
 *
 * @param eventId the queue row, deleted when the event is handled
 * @param orderId the order concerned
 * @param kind one of the {@link EventKinds}
 * @param status the order's status when the change was captured
 */
public record OrderEvent(long eventId, String orderId, String kind, String status) {

	boolean isDeletion() {
		return EventKinds.DELETED.equals(this.kind);
	}

}
