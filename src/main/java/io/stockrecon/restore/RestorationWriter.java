package io.stockrecon.restore;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.stockrecon.OrderStatus;
import io.stockrecon.StockreconProperties;

/**
 * The one place that decides an order's units come back to stock, and that it happens
 * exactly once.
 * <p>
 * Each chunk of captured events is handled in one short transaction (the step's):
 * <ol>
 * <li>decide which orders are due: a cancellation whose order is still cancelled, a
 * deletion whose order is really gone and whose status gives stock back;</li>
 * <li>claim them in the {@code stock_restorations} ledger with
 * {@code INSERT ... ON CONFLICT DO NOTHING}; only the rows this insert returns are
 * restored, so an order already restored by an earlier run, by the other step or by the
 * application itself is left alone;</li>
 * <li>lock the products' {@code inventory} rows in product id order (the order checkout
 * transactions must use too), add the units relatively, and skip bad items into
 * {@code stockrecon_skipped_items};</li>
 * <li>queue the same units for Redis in {@code stockrecon_counter_outbox};</li>
 * <li>delete the handled events from the queue.</li>
 * </ol>
 * All of it commits together or not at all, so a crash or a relaunch can neither lose nor
 * repeat a restoration. Redis is written later from the outbox, see
 * {@link io.stockrecon.stock.CounterOutboxPublisher}.
 */
public class RestorationWriter implements ItemWriter<OrderEvent>, StepExecutionListener {

	private static final String ORDERS_NOW = """
			SELECT id, status FROM orders WHERE id = ANY(:orderIds) FOR SHARE
			""";

	private static final String CLAIM = """
			INSERT INTO stock_restorations (order_id, reason, job_execution_id)
			SELECT claim.order_id, claim.reason, :jobExecutionId
			FROM unnest(:orderIds, :reasons) AS claim(order_id, reason)
			ORDER BY claim.order_id
			ON CONFLICT (order_id) DO NOTHING
			RETURNING order_id
			""";

	private static final String ITEMS_OF_CANCELLED_ORDERS = """
			SELECT order_id, product_id, quantity FROM order_items WHERE order_id = ANY(:orderIds)
			""";

	private static final String ITEMS_OF_DELETED_ORDERS = """
			SELECT e.order_id, d.product_id, d.quantity
			FROM stockrecon_deleted_order_items d JOIN stockrecon_order_events e ON e.id = d.event_id
			WHERE d.event_id = ANY(:eventIds)
			""";

	private static final String LOCK_INVENTORY = """
			SELECT product_id, stock FROM inventory
			WHERE product_id = ANY(:productIds)
			ORDER BY product_id
			FOR UPDATE
			""";

	private static final String ADD_STOCK = """
			UPDATE inventory AS i SET stock = i.stock + d.delta
			FROM unnest(:productIds, :deltas) AS d(product_id, delta)
			WHERE i.product_id = d.product_id
			""";

	private static final String QUEUE_FOR_REDIS = """
			INSERT INTO stockrecon_counter_outbox (product_id, delta, job_execution_id)
			SELECT d.product_id, d.delta, :jobExecutionId FROM unnest(:productIds, :deltas) AS d(product_id, delta)
			ORDER BY d.product_id
			""";

	private static final String RECORD_UNITS = """
			UPDATE stock_restorations AS r SET units = u.units
			FROM unnest(:orderIds, :units) AS u(order_id, units)
			WHERE r.order_id = u.order_id
			""";

	private static final String RECORD_SKIPS = """
			INSERT INTO stockrecon_skipped_items (job_execution_id, order_id, product_id, quantity, reason)
			SELECT :jobExecutionId, s.order_id, s.product_id, s.quantity, s.reason
			FROM unnest(:orderIds, :productIds, :quantities, :reasons) AS s(order_id, product_id, quantity, reason)
			""";

	private static final String SKIPS_SO_FAR = """
			SELECT count(*) FROM stockrecon_skipped_items WHERE job_execution_id = :jobExecutionId
			""";

	private static final String DISMISS_EVENTS = """
			DELETE FROM stockrecon_order_events WHERE id = ANY(:eventIds)
			""";

	/**
	 * Mapped by hand: a mapper that guesses column names pays an exception per miss, per
	 * row.
	 */
	private static final RowMapper<OrderItem> ITEM = (rs, row) -> new OrderItem(rs.getLong("order_id"),
			rs.getLong("product_id"), rs.getInt("quantity"));

	private final JdbcClient jdbc;

	private final StockreconProperties.Restore settings;

	private long jobExecutionId;

	public RestorationWriter(JdbcClient jdbc, StockreconProperties.Restore settings) {
		this.jdbc = jdbc;
		this.settings = settings;
	}

	@Override
	public void beforeStep(StepExecution stepExecution) {
		this.jobExecutionId = stepExecution.getJobExecutionId();
	}

	@Override
	public void write(Chunk<? extends OrderEvent> chunk) {
		List<? extends OrderEvent> events = chunk.getItems();
		Map<Long, OrderEvent> due = dueOrders(events);
		Map<Long, OrderEvent> claimed = claim(due);
		if (!claimed.isEmpty()) {
			restore(claimed);
		}
		this.jdbc.sql(DISMISS_EVENTS)
			.param("eventIds", longs(events.stream().map(OrderEvent::eventId).toList()))
			.update();
	}

	/**
	 * The orders of this chunk that have earned a restore, by order id, with the event
	 * that earned it. A cancellation counts only while the order is still cancelled (an
	 * order cancelled and then deleted is handled by its deletion); a deletion counts
	 * only when the row is really gone.
	 */
	private Map<Long, OrderEvent> dueOrders(List<? extends OrderEvent> events) {
		Map<Long, String> statusNow = new HashMap<>();
		this.jdbc.sql(ORDERS_NOW)
			.param("orderIds", longs(events.stream().map(OrderEvent::orderId).toList()))
			.query((rs) -> {
				statusNow.put(rs.getLong("id"), rs.getString("status"));
			});
		Map<Long, OrderEvent> due = new TreeMap<>();
		for (OrderEvent event : events) {
			boolean earned = event.isDeletion()
					? !statusNow.containsKey(event.orderId()) && this.settings.restoresOnDelete(event.status())
					: OrderStatus.isCancelled(statusNow.get(event.orderId()));
			if (earned) {
				due.putIfAbsent(event.orderId(), event);
			}
		}
		return due;
	}

	private Map<Long, OrderEvent> claim(Map<Long, OrderEvent> due) {
		if (due.isEmpty()) {
			return Map.of();
		}
		List<String> reasons = due.values().stream().map(OrderEvent::kind).toList();
		List<Long> won = this.jdbc.sql(CLAIM)
			.param("jobExecutionId", this.jobExecutionId)
			.param("orderIds", longs(due.keySet()))
			.param("reasons", reasons.toArray(String[]::new))
			.query(Long.class)
			.list();
		Map<Long, OrderEvent> claimed = new TreeMap<>();
		won.forEach((orderId) -> claimed.put(orderId, due.get(orderId)));
		return claimed;
	}

	private void restore(Map<Long, OrderEvent> claimed) {
		List<OrderItem> items = itemsOf(claimed.values());
		Map<Long, Integer> stock = lockInventory(items);
		Map<Long, Long> deltas = new TreeMap<>();
		Map<Long, Long> units = new LinkedHashMap<>();
		claimed.keySet().forEach((orderId) -> units.put(orderId, 0L));
		List<OrderItem> skipped = new ArrayList<>();
		List<SkipReason> reasons = new ArrayList<>();
		for (OrderItem item : items) {
			SkipReason reason = validate(item, stock, deltas);
			if (reason != null) {
				skipped.add(item);
				reasons.add(reason);
				continue;
			}
			deltas.merge(item.productId(), (long) item.quantity(), Long::sum);
			units.merge(item.orderId(), (long) item.quantity(), Long::sum);
		}
		if (!deltas.isEmpty()) {
			long[] productIds = longs(deltas.keySet());
			long[] productDeltas = longs(deltas.values());
			this.jdbc.sql(ADD_STOCK).param("productIds", productIds).param("deltas", productDeltas).update();
			this.jdbc.sql(QUEUE_FOR_REDIS)
				.param("jobExecutionId", this.jobExecutionId)
				.param("productIds", productIds)
				.param("deltas", productDeltas)
				.update();
		}
		this.jdbc.sql(RECORD_UNITS)
			.param("orderIds", longs(units.keySet()))
			.param("units", longs(units.values()))
			.update();
		if (!skipped.isEmpty()) {
			recordSkips(skipped, reasons);
		}
	}

	private List<OrderItem> itemsOf(Collection<OrderEvent> claimed) {
		Map<Boolean, List<OrderEvent>> byKind = claimed.stream()
			.collect(Collectors.partitioningBy(OrderEvent::isDeletion));
		List<OrderItem> items = new ArrayList<>();
		if (!byKind.get(false).isEmpty()) {
			items.addAll(this.jdbc.sql(ITEMS_OF_CANCELLED_ORDERS)
				.param("orderIds", longs(byKind.get(false).stream().map(OrderEvent::orderId).toList()))
				.query(ITEM)
				.list());
		}
		if (!byKind.get(true).isEmpty()) {
			items.addAll(this.jdbc.sql(ITEMS_OF_DELETED_ORDERS)
				.param("eventIds", longs(byKind.get(true).stream().map(OrderEvent::eventId).toList()))
				.query(ITEM)
				.list());
		}
		// a stable order makes the skip decisions (overflow) the same on every relaunch
		items.sort((a, b) -> (a.orderId() != b.orderId()) ? Long.compare(a.orderId(), b.orderId())
				: Long.compare(a.productId(), b.productId()));
		return items;
	}

	private Map<Long, Integer> lockInventory(List<OrderItem> items) {
		Set<Long> productIds = items.stream().map(OrderItem::productId).collect(Collectors.toSet());
		Map<Long, Integer> stock = new HashMap<>();
		if (!productIds.isEmpty()) {
			this.jdbc.sql(LOCK_INVENTORY).param("productIds", longs(productIds)).query((rs) -> {
				stock.put(rs.getLong("product_id"), rs.getInt("stock"));
			});
		}
		return stock;
	}

	private static SkipReason validate(OrderItem item, Map<Long, Integer> stock, Map<Long, Long> deltas) {
		if (item.quantity() <= 0) {
			return SkipReason.NON_POSITIVE_QUANTITY;
		}
		Integer current = stock.get(item.productId());
		if (current == null) {
			return SkipReason.UNKNOWN_PRODUCT;
		}
		long after = current + deltas.getOrDefault(item.productId(), 0L) + item.quantity();
		return (after > Integer.MAX_VALUE) ? SkipReason.STOCK_OVERFLOW : null;
	}

	private void recordSkips(List<OrderItem> skipped, List<SkipReason> reasons) {
		this.jdbc.sql(RECORD_SKIPS)
			.param("jobExecutionId", this.jobExecutionId)
			.param("orderIds", longs(skipped.stream().map(OrderItem::orderId).toList()))
			.param("productIds", longs(skipped.stream().map(OrderItem::productId).toList()))
			.param("quantities", skipped.stream().mapToInt(OrderItem::quantity).toArray())
			.param("reasons", reasons.stream().map(SkipReason::code).toArray(String[]::new))
			.update();
		long skippedSoFar = this.jdbc.sql(SKIPS_SO_FAR)
			.param("jobExecutionId", this.jobExecutionId)
			.query(Long.class)
			.single();
		if (skippedSoFar > this.settings.skipLimit()) {
			throw new SkipLimitExceededException(skippedSoFar, this.settings.skipLimit());
		}
	}

	private static long[] longs(Collection<Long> values) {
		return values.stream().mapToLong(Long::longValue).toArray();
	}

}
