package io.stockrecon.shop;

/**
 * The kinds of change the capture triggers write to {@code stockrecon_order_events.kind}
 * (and the restore records as its reason in {@code stock_restorations}). The triggers are
 * generated with these values ({@link CaptureTriggers}); the restore steps read them from
 * here.
 */
public final class EventKinds {

	/** A status that became one of the cancelled statuses. */
	public static final String CANCELLED = "cancelled";

	/** An order deleted, or soft-deleted. */
	public static final String DELETED = "deleted";

	private EventKinds() {
	}

}
