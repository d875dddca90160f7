package io.stockrecon.restore;

import java.util.Map;
import java.util.function.Predicate;

import io.stockrecon.StockreconProperties;

/**
 * The restore decisions of {@link RestorationWriter}, free of any store so that each rule
 * is pinned by a table of cases: whether a captured event has earned a restore, and
 * whether one of its items can be restored.
 */
final class RestoreDecision {

	private RestoreDecision() {
	}

	/**
	 * Whether an event has earned a restore. A cancellation counts while the order is
	 * still cancelled (an order cancelled and then deleted is handled by its deletion); a
	 * deletion counts only when the order is really gone, or soft-deleted, and its status
	 * at deletion gives stock back.
	 * @param now the order as it is now, {@code null} when its row is gone
	 * @param isCancelled whether a status means cancelled, as the mapping says
	 */
	static boolean isDue(OrderEvent event, OrderNow now, Predicate<String> isCancelled,
			StockreconProperties.Restore settings) {
		if (event.isDeletion()) {
			boolean gone = (now == null) || now.softDeleted();
			return gone && settings.restoresDeletion(event.status(), isCancelled.test(event.status()));
		}
		return settings.onCancel() && now != null && isCancelled.test(now.status());
	}

	/**
	 * Why an item cannot be restored, or {@code null} when it can.
	 * @param stock the locked stock of the items' keys; a key without stock is unknown
	 * @param deltas the units this chunk already adds per key
	 * @param maxStock the most the stock column holds
	 */
	static SkipReason validate(OrderItem item, Map<String, Long> stock, Map<String, Long> deltas, long maxStock) {
		if (item.quantity() <= 0) {
			return SkipReason.NON_POSITIVE_QUANTITY;
		}
		Long current = stock.get(item.productId());
		if (current == null) {
			return SkipReason.UNKNOWN_PRODUCT;
		}
		long pending = deltas.getOrDefault(item.productId(), 0L);
		// written so that no sum can overflow a long before it is compared
		return (item.quantity() > maxStock - current - pending) ? SkipReason.STOCK_OVERFLOW : null;
	}

	/**
	 * An order as it is when its event is handled.
	 *
	 * @param status its status now
	 * @param softDeleted whether the shop has soft-deleted it
	 */
	record OrderNow(String status, boolean softDeleted) {

	}

}
