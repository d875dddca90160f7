package io.stockrecon.restore;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
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

import io.stockrecon.StockreconProperties;
import io.stockrecon.shop.ShopMapping;

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
 * transactions must use too) and check the claimed items: a bad item (unknown product,
 * quantity not positive, stock that would overflow its column) is rare, and sends the
 * chunk down the item-by-item path that skips it into
 * {@code stockrecon_skipped_items};</li>
 * <li>otherwise, in one set-based statement: add the units relatively, queue them per
 * product for Redis in {@code stockrecon_counter_outbox}, record each order's units in
 * the ledger, and delete the handled events from the queue.</li>
 * </ol>
 * All of it commits together or not at all, so a crash or a relaunch can neither lose nor
 * repeat a restoration. Redis is written later from the outbox, see
 * {@link io.stockrecon.stock.CounterOutboxPublisher}.
 */
public class RestorationWriter implements ItemWriter<OrderEvent>, StepExecutionListener {

	private static final String ORDERS_NOW = """
			SELECT ${orders.id}::text AS id, ${orders.status}::text AS status, ${orders.soft_deleted} AS soft_deleted
			FROM ${orders} WHERE ${orders.id} = ANY(CAST(:orderIds AS ${order_id_type}[])) FOR SHARE
			""";

	private static final String CLAIM = """
			INSERT INTO stock_restorations (order_id, reason, job_execution_id)
			SELECT claim.order_id, claim.reason, :jobExecutionId
			FROM unnest(CAST(:orderIds AS ${order_id_type}[]), CAST(:reasons AS text[])) AS claim(order_id, reason)
			ORDER BY claim.order_id
			ON CONFLICT (order_id) DO NOTHING
			RETURNING order_id::text
			""";

	/**
	 * The items of the claimed orders, by the rules of {@link #ITEMS_OF_CANCELLED_ORDERS}
	 * and {@link #ITEMS_OF_DELETED_ORDERS}, keyed as the stock is: the first part of both
	 * set-based statements.
	 */
	private static final String CLAIMED_ITEMS = """
			WITH claimed AS (
			    SELECT c.order_id, c.event_id, c.deletion
			    FROM unnest(CAST(:orderIds AS ${order_id_type}[]), CAST(:eventIds AS bigint[]), CAST(:deletions AS boolean[]))
			         AS c(order_id, event_id, deletion)
			), items AS (
			    SELECT c.order_id, CAST(i.${items.key} AS ${stock_key_type}) AS product_id, i.${items.quantity}::bigint AS quantity
			    FROM claimed c JOIN ${items} i ON i.${items.order} = c.order_id
			    WHERE NOT c.deletion
			    UNION ALL
			    SELECT c.order_id, d.product_id, d.quantity
			    FROM claimed c JOIN stockrecon_deleted_order_items d ON d.event_id = c.event_id
			    WHERE c.deletion
			)
			""";

	/**
	 * Locks the stock rows of the claimed items in key order and counts the items that
	 * cannot be restored as they are: quantity not positive, unknown product, or a
	 * product whose stock the chunk would push over the column's maximum.
	 */
	private static final String LOCK_AND_COUNT_BAD_ITEMS = CLAIMED_ITEMS + """
			, locked AS (
			    SELECT s.${stock.key} AS product_id, s.${stock.quantity}::bigint AS stock FROM ${stock} s
			    WHERE s.${stock.key} IN (SELECT product_id FROM items)
			    ORDER BY s.${stock.key}
			    FOR UPDATE
			)
			SELECT (SELECT count(*) FROM items i
			        WHERE i.quantity <= 0 OR NOT EXISTS (SELECT 1 FROM locked l WHERE l.product_id = i.product_id))
			     + (SELECT count(*) FROM (
			            SELECT l.product_id FROM locked l JOIN items i ON i.product_id = l.product_id
			            GROUP BY l.product_id, l.stock
			            HAVING sum(i.quantity) > :maxStock - l.stock) AS overflowing)
			""";

	/**
	 * The whole restore of a chunk whose items are all good, in one statement: stock,
	 * outbox (one row per product), units in the ledger, and the handled events.
	 */
	private static final String RESTORE_ALL = CLAIMED_ITEMS + """
			, units AS (
			    UPDATE stock_restorations AS r SET units = u.units
			    FROM (SELECT c.order_id, coalesce(sum(i.quantity), 0)::bigint AS units
			          FROM claimed c LEFT JOIN items i ON i.order_id = c.order_id GROUP BY c.order_id) AS u
			    WHERE r.order_id = u.order_id
			), deltas AS (
			    SELECT product_id, sum(quantity)::bigint AS delta FROM items GROUP BY product_id
			), stocked AS (
			    UPDATE ${stock} AS s SET ${stock.quantity} = s.${stock.quantity} + d.delta
			    FROM deltas d WHERE s.${stock.key} = d.product_id
			), queued AS (
			    INSERT INTO stockrecon_counter_outbox (product_id, delta, job_execution_id)
			    SELECT product_id, delta, :jobExecutionId FROM deltas ORDER BY product_id
			)
			DELETE FROM stockrecon_order_events WHERE id = ANY(:handledEventIds)
			""";

	private static final String ITEMS_OF_CANCELLED_ORDERS = """
			SELECT ${items.order}::text AS order_id, ${items.key}::text AS product_id, ${items.quantity} AS quantity
			FROM ${items} WHERE ${items.order} = ANY(CAST(:orderIds AS ${order_id_type}[]))
			""";

	private static final String ITEMS_OF_DELETED_ORDERS = """
			SELECT e.order_id::text AS order_id, d.product_id::text AS product_id, d.quantity
			FROM stockrecon_deleted_order_items d JOIN stockrecon_order_events e ON e.id = d.event_id
			WHERE d.event_id = ANY(:eventIds)
			""";

	private static final String LOCK_STOCK = """
			SELECT ${stock.key}::text AS product_id, ${stock.quantity} AS stock FROM ${stock}
			WHERE ${stock.key} = ANY(CAST(:productIds AS ${stock_key_type}[]))
			ORDER BY ${stock.key}
			FOR UPDATE
			""";

	private static final String ADD_STOCK = """
			UPDATE ${stock} AS s SET ${stock.quantity} = s.${stock.quantity} + d.delta
			FROM unnest(CAST(:productIds AS ${stock_key_type}[]), CAST(:deltas AS bigint[])) AS d(product_id, delta)
			WHERE s.${stock.key} = d.product_id
			""";

	private static final String QUEUE_FOR_REDIS = """
			INSERT INTO stockrecon_counter_outbox (product_id, delta, job_execution_id)
			SELECT d.product_id, d.delta, :jobExecutionId
			FROM unnest(CAST(:productIds AS ${stock_key_type}[]), CAST(:deltas AS bigint[])) AS d(product_id, delta)
			ORDER BY d.product_id
			""";

	private static final String RECORD_UNITS = """
			UPDATE stock_restorations AS r SET units = u.units
			FROM unnest(CAST(:orderIds AS ${order_id_type}[]), CAST(:units AS bigint[])) AS u(order_id, units)
			WHERE r.order_id = u.order_id
			""";

	private static final String RECORD_SKIPS = """
			INSERT INTO stockrecon_skipped_items (job_execution_id, order_id, product_id, quantity, reason)
			SELECT :jobExecutionId, s.order_id, s.product_id, s.quantity, s.reason
			FROM unnest(CAST(:orderIds AS ${order_id_type}[]), CAST(:productIds AS ${stock_key_type}[]),
			            CAST(:quantities AS bigint[]), CAST(:reasons AS text[]))
			     AS s(order_id, product_id, quantity, reason)
			""";

	private static final String SKIPS_SO_FAR = """
			SELECT count(*) FROM stockrecon_skipped_items WHERE job_execution_id = :jobExecutionId
			""";

	/**
	 * Lines kept for an order deletion that may follow in the same transaction: once that
	 * transaction has ended, its order was either deleted (and took its lines) or kept
	 * (and the lines were only edited away).
	 */
	private static final String FORGET_LINES_OF_ENDED_TRANSACTIONS = """
			DELETE FROM stockrecon_removed_lines WHERE xid < txid_snapshot_xmin(txid_current_snapshot())
			""";

	private static final String DISMISS_EVENTS = """
			DELETE FROM stockrecon_order_events WHERE id = ANY(:eventIds)
			""";

	/**
	 * Mapped by hand: a mapper that guesses column names pays an exception per miss, per
	 * row.
	 */
	private static final RowMapper<OrderItem> ITEM = (rs, row) -> new OrderItem(rs.getString("order_id"),
			rs.getString("product_id"), rs.getLong("quantity"));

	private final JdbcClient jdbc;

	private final ShopMapping shop;

	private final StockreconProperties.Restore settings;

	private final Sql sql;

	private long jobExecutionId;

	public RestorationWriter(JdbcClient jdbc, ShopMapping shop, StockreconProperties.Restore settings) {
		this.jdbc = jdbc;
		this.shop = shop;
		this.settings = settings;
		this.sql = new Sql(shop.sql(ORDERS_NOW), shop.sql(CLAIM), shop.sql(LOCK_AND_COUNT_BAD_ITEMS),
				shop.sql(RESTORE_ALL), shop.sql(ITEMS_OF_CANCELLED_ORDERS), shop.sql(LOCK_STOCK), shop.sql(ADD_STOCK),
				shop.sql(QUEUE_FOR_REDIS), shop.sql(RECORD_UNITS), shop.sql(RECORD_SKIPS));
	}

	@Override
	public void beforeStep(StepExecution stepExecution) {
		this.jobExecutionId = stepExecution.getJobExecutionId();
		this.jdbc.sql(FORGET_LINES_OF_ENDED_TRANSACTIONS).update();
	}

	@Override
	public void write(Chunk<? extends OrderEvent> chunk) {
		List<? extends OrderEvent> events = chunk.getItems();
		Map<String, OrderEvent> due = dueOrders(events);
		Map<String, OrderEvent> claimed = claim(due);
		long[] handled = longs(events.stream().map(OrderEvent::eventId).toList());
		if (!claimed.isEmpty() && badItems(claimed) == 0) {
			claimedOrders(this.jdbc.sql(this.sql.restoreAll()), claimed).param("jobExecutionId", this.jobExecutionId)
				.param("handledEventIds", handled)
				.update();
			return;
		}
		if (!claimed.isEmpty()) {
			restoreItemByItem(claimed);
		}
		this.jdbc.sql(DISMISS_EVENTS).param("eventIds", handled).update();
	}

	/**
	 * Locks the stock of the claimed items and counts those that would need a skip.
	 */
	private long badItems(Map<String, OrderEvent> claimed) {
		return claimedOrders(this.jdbc.sql(this.sql.lockAndCountBadItems()), claimed)
			.param("maxStock", this.shop.maxStock())
			.query(Long.class)
			.single();
	}

	private static JdbcClient.StatementSpec claimedOrders(JdbcClient.StatementSpec statement,
			Map<String, OrderEvent> claimed) {
		boolean[] deletions = new boolean[claimed.size()];
		int i = 0;
		for (OrderEvent event : claimed.values()) {
			deletions[i++] = event.isDeletion();
		}
		return statement.param("orderIds", texts(claimed.keySet()))
			.param("eventIds", longs(claimed.values().stream().map(OrderEvent::eventId).toList()))
			.param("deletions", deletions);
	}

	/**
	 * The orders of this chunk that have earned a restore, by order id, with the event
	 * that earned it: see {@link RestoreDecision#isDue}.
	 */
	private Map<String, OrderEvent> dueOrders(List<? extends OrderEvent> events) {
		Map<String, RestoreDecision.OrderNow> now = new HashMap<>();
		this.jdbc.sql(this.sql.ordersNow())
			.param("orderIds", texts(events.stream().map(OrderEvent::orderId).toList()))
			.query((rs) -> {
				now.put(rs.getString("id"),
						new RestoreDecision.OrderNow(rs.getString("status"), rs.getBoolean("soft_deleted")));
			});
		Map<String, OrderEvent> due = new LinkedHashMap<>();
		for (OrderEvent event : events) {
			if (RestoreDecision.isDue(event, now.get(event.orderId()), this.shop::isCancelled, this.settings)) {
				due.putIfAbsent(event.orderId(), event);
			}
		}
		return due;
	}

	private Map<String, OrderEvent> claim(Map<String, OrderEvent> due) {
		if (due.isEmpty()) {
			return Map.of();
		}
		List<String> reasons = due.values().stream().map(OrderEvent::kind).toList();
		List<String> won = this.jdbc.sql(this.sql.claim())
			.param("jobExecutionId", this.jobExecutionId)
			.param("orderIds", texts(due.keySet()))
			.param("reasons", reasons.toArray(String[]::new))
			.query(String.class)
			.list();
		Map<String, OrderEvent> claimed = new LinkedHashMap<>();
		won.forEach((orderId) -> claimed.put(orderId, due.get(orderId)));
		return claimed;
	}

	/**
	 * The path of a chunk with a bad item: every item is validated in a stable order with
	 * {@link RestoreDecision#validate}, and the bad ones are recorded as skipped.
	 */
	private void restoreItemByItem(Map<String, OrderEvent> claimed) {
		List<OrderItem> items = itemsOf(claimed.values());
		Map<String, Long> stock = lockStock(items);
		Map<String, Long> deltas = new TreeMap<>(this.shop.stockKeyType().order());
		Map<String, Long> units = new LinkedHashMap<>();
		claimed.keySet().forEach((orderId) -> units.put(orderId, 0L));
		List<OrderItem> skipped = new ArrayList<>();
		List<SkipReason> reasons = new ArrayList<>();
		for (OrderItem item : items) {
			SkipReason reason = RestoreDecision.validate(item, stock, deltas, this.shop.maxStock());
			if (reason != null) {
				skipped.add(item);
				reasons.add(reason);
				continue;
			}
			deltas.merge(item.productId(), item.quantity(), Long::sum);
			units.merge(item.orderId(), item.quantity(), Long::sum);
		}
		if (!deltas.isEmpty()) {
			String[] productIds = texts(deltas.keySet());
			long[] productDeltas = longs(deltas.values());
			this.jdbc.sql(this.sql.addStock()).param("productIds", productIds).param("deltas", productDeltas).update();
			this.jdbc.sql(this.sql.queueForRedis())
				.param("jobExecutionId", this.jobExecutionId)
				.param("productIds", productIds)
				.param("deltas", productDeltas)
				.update();
		}
		this.jdbc.sql(this.sql.recordUnits())
			.param("orderIds", texts(units.keySet()))
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
			items.addAll(this.jdbc.sql(this.sql.itemsOfCancelledOrders())
				.param("orderIds", texts(byKind.get(false).stream().map(OrderEvent::orderId).toList()))
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
		items.sort(Comparator.comparing(OrderItem::orderId, this.shop.orderIdType().order())
			.thenComparing(OrderItem::productId, this.shop.stockKeyType().order()));
		return items;
	}

	private Map<String, Long> lockStock(List<OrderItem> items) {
		Set<String> productIds = items.stream().map(OrderItem::productId).collect(Collectors.toSet());
		Map<String, Long> stock = new HashMap<>();
		if (!productIds.isEmpty()) {
			this.jdbc.sql(this.sql.lockStock()).param("productIds", texts(productIds)).query((rs) -> {
				stock.put(rs.getString("product_id"), rs.getLong("stock"));
			});
		}
		return stock;
	}

	private void recordSkips(List<OrderItem> skipped, List<SkipReason> reasons) {
		this.jdbc.sql(this.sql.recordSkips())
			.param("jobExecutionId", this.jobExecutionId)
			.param("orderIds", texts(skipped.stream().map(OrderItem::orderId).toList()))
			.param("productIds", texts(skipped.stream().map(OrderItem::productId).toList()))
			.param("quantities", skipped.stream().mapToLong(OrderItem::quantity).toArray())
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

	private static String[] texts(Collection<String> values) {
		return values.toArray(String[]::new);
	}

	/** The statements, rendered once for the mapping. */
	private record Sql(String ordersNow, String claim, String lockAndCountBadItems, String restoreAll,
			String itemsOfCancelledOrders, String lockStock, String addStock, String queueForRedis, String recordUnits,
			String recordSkips) {

	}

}
