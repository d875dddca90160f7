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

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.stockrecon.StockreconProperties;
import io.stockrecon.shop.ShopMapping;
import io.stockrecon.stock.CounterOutboxPublisher;

/**
 * The one place that decides an order's units come back to stock, and that it happens
 * exactly once.
 * <p>
 * Each chunk of captured events is handled in one short transaction (the step's):
 * <ol>
 * <li>decide which orders are due ({@link RestoreDecision#isDue}): a cancellation whose
 * order is still cancelled, a deletion whose order is really gone and whose status gives
 * stock back;</li>
 * <li>in one set-based statement ({@link #RESTORE_DUE_ORDERS}): claim them in the
 * {@code stock_restorations} ledger with {@code INSERT ... ON CONFLICT DO NOTHING}, so
 * that only the orders this insert returns are restored and an order already restored by
 * an earlier run, by the other step or by the application itself is left alone; lock the
 * stock rows of their items in key order (the order checkout transactions must use too);
 * add the units relatively; queue the chunk's units per product for Redis in rows of its
 * own in {@code stockrecon_counter_outbox}; delete the handled events from the
 * queue;</li>
 * <li>only when a claimed item cannot be restored as it is (unknown product, quantity not
 * positive, stock that would overflow its column), which is rare, restore the claimed
 * orders item by item instead, skipping the bad items into
 * {@code stockrecon_skipped_items}, then delete the events.</li>
 * </ol>
 * All of it commits together or not at all, so a crash or a relaunch can neither lose nor
 * repeat a restoration. Redis is written later from the outbox, see
 * {@link io.stockrecon.stock.CounterOutboxPublisher}.
 */
public class RestorationWriter implements ItemWriter<OrderEvent>, StepExecutionListener {

	/**
	 * The rule the publish step relies on: outbox rows are only added while their
	 * execution's restore steps run, never while a publish step reads and deletes them. A
	 * partition of an execution that has ended (a remote worker that takes a queued
	 * request after its manager timed out or died, and after a relaunch recovered it), or
	 * that runs again once its execution has begun to publish (a request delivered a
	 * second time), must not restore and queue anything. The share lock makes the end of
	 * the execution (its completion, or {@code recover}) and the start of its publish
	 * step ({@link io.stockrecon.stock.CounterOutboxPublisher}) wait for the chunks that
	 * passed this check.
	 */
	private static final String EXECUTION_STATUS = """
			SELECT status FROM batch_job_execution WHERE job_execution_id = :jobExecutionId FOR SHARE
			""";

	/**
	 * Asked after {@link #EXECUTION_STATUS}, in a statement of its own: its snapshot is
	 * taken once the share lock is held, so a chunk that waited for the publish step's
	 * lock sees the publish step that made it wait (a sub-query of the locking statement
	 * would answer from before the wait).
	 */
	private static final String PUBLISHING = """
			SELECT EXISTS (SELECT FROM batch_step_execution WHERE job_execution_id = :jobExecutionId AND step_name = :publishStep)
			""";

	private static final String ORDERS_NOW = """
			SELECT ${orders.id}::text AS id, ${orders.status}::text AS status, ${orders.soft_deleted} AS soft_deleted
			FROM ${orders} WHERE ${orders.id} = ANY(CAST(:orderIds AS ${order_id_type}[])) FOR SHARE
			""";

	/**
	 * The whole restore of a chunk's due orders in one statement, in this order:
	 * <ol>
	 * <li>the items of the due orders (the lines of a cancelled order, or the lines kept
	 * with a deletion's event);</li>
	 * <li>the claim in the ledger, with each order's units,
	 * {@code ON CONFLICT DO NOTHING}: only the orders it returns go on;</li>
	 * <li>the units per product, and the stock rows of those products, locked in key
	 * order with the units beside them: the lock probes the stock in that order, and the
	 * verdict reads the locked rows instead of joining them with the items again (by
	 * hand, on the benchmark's 1 M-product shop, the chunks' statements went from 26-34 s
	 * to 26-28 s in the same rounds);</li>
	 * <li>the verdict, non-zero when anything cannot be restored as it is (an item whose
	 * quantity is not positive, a product without a stock row, stock the chunk would push
	 * over the column's maximum); the units stay numeric until it has spoken, so that a
	 * sum past the range of {@code bigint} is an overflow to skip, not an error that
	 * fails the chunk on every relaunch;</li>
	 * <li>when there are none: the stock added relatively, the units per product queued
	 * for Redis in outbox rows of the chunk's own (one per
	 * {@link CounterOutboxPublisher#PRODUCTS_PER_ROW} products: adding them to a row per
	 * product and execution instead was 7 to 10 s of the 26 to 28 s that the chunks'
	 * statements took over 1 M products, by hand), and the handled events deleted from
	 * the queue, with the lines kept for the deletions among them.</li>
	 * </ol>
	 * It answers the claimed orders with the verdict. A bad item is rare; the writer then
	 * restores those orders item by item, in the same transaction, and deletes the events
	 * after (a deletion's lines are kept with its event, and go with it).
	 */
	private static final String RESTORE_DUE_ORDERS = """
			WITH due AS (
			    SELECT d.order_id, d.reason, d.event_id, d.deletion
			    FROM unnest(CAST(:orderIds AS ${order_id_type}[]), CAST(:reasons AS text[]),
			                CAST(:eventIds AS bigint[]), CAST(:deletions AS boolean[]))
			         AS d(order_id, reason, event_id, deletion)
			), items AS (
			    SELECT d.order_id, CAST(i.${items.key} AS ${stock_key_type}) AS product_id, i.${items.quantity}::bigint AS quantity
			    FROM due d JOIN ${items} i ON i.${items.order} = d.order_id
			    WHERE NOT d.deletion
			    UNION ALL
			    SELECT d.order_id, x.product_id, x.quantity
			    FROM due d JOIN stockrecon_deleted_order_items x ON x.event_id = d.event_id
			    WHERE d.deletion
			), claimed AS (
			    INSERT INTO stock_restorations (order_id, reason, job_execution_id, units)
			    SELECT d.order_id, d.reason, :jobExecutionId, coalesce(u.units, 0)
			    FROM due d LEFT JOIN (SELECT order_id, sum(quantity)::bigint AS units FROM items GROUP BY order_id) AS u
			         ON u.order_id = d.order_id
			    ORDER BY d.order_id
			    ON CONFLICT (order_id) DO NOTHING
			    RETURNING order_id
			), won AS (
			    SELECT i.order_id, i.product_id, i.quantity FROM items i JOIN claimed c ON c.order_id = i.order_id
			), deltas AS (
			    SELECT product_id, sum(quantity) AS delta FROM won GROUP BY product_id ORDER BY product_id
			), locked AS (
			    SELECT s.${stock.key} AS product_id, s.${stock.quantity}::bigint AS stock, d.delta
			    FROM deltas d JOIN ${stock} s ON s.${stock.key} = d.product_id
			    ORDER BY s.${stock.key}
			    FOR UPDATE OF s
			), verdict AS (
			    SELECT (SELECT count(*) FROM won WHERE quantity <= 0)
			         + (SELECT count(*) FROM deltas) - (SELECT count(*) FROM locked)
			         + (SELECT count(*) FROM locked WHERE delta > CAST(:maxStock AS numeric) - stock) AS bad_items
			), stocked AS (
			    UPDATE ${stock} AS s SET ${stock.quantity} = s.${stock.quantity} + CAST(l.delta AS bigint)
			    FROM locked l WHERE s.${stock.key} = l.product_id AND (SELECT bad_items FROM verdict) = 0
			), queued AS (
			    INSERT INTO stockrecon_counter_outbox (job_execution_id, product_ids, deltas, products)
			    SELECT :jobExecutionId, array_agg(CAST(product_id AS text)), array_agg(CAST(delta AS bigint)), count(*)
			    FROM (SELECT product_id, delta, (row_number() OVER (ORDER BY product_id) - 1) / :productsPerRow AS part
			          FROM deltas WHERE (SELECT bad_items FROM verdict) = 0) AS d
			    GROUP BY part
			), dismissed AS (
			    DELETE FROM stockrecon_order_events
			    WHERE id = ANY(:handledEventIds) AND (SELECT bad_items FROM verdict) = 0
			), dismissed_lines AS (
			    DELETE FROM stockrecon_deleted_order_items
			    WHERE event_id = ANY(:handledDeletionIds) AND (SELECT bad_items FROM verdict) = 0
			)
			SELECT c.order_id::text AS order_id, (SELECT bad_items FROM verdict) AS bad_items FROM claimed c
			""";

	/**
	 * For {@link #RESTORE_DUE_ORDERS}, in the chunk's transaction only. A plan made for
	 * the values of the parameters sees arrays of 10 k elements and joins them to the
	 * lines, the queue and the stock with merge joins and sequential scans (2.1 s for a
	 * chunk, measured by hand); the generic plan, made without the values, keeps to the
	 * indexes (0.65 s).
	 */
	private static final String GENERIC_PLAN = """
			SET LOCAL plan_cache_mode = force_generic_plan
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

	/**
	 * As the set-based statement queues them: the stock keys in their canonical text, a
	 * row per {@link CounterOutboxPublisher#PRODUCTS_PER_ROW} products.
	 */
	private static final String QUEUE_FOR_REDIS = """
			INSERT INTO stockrecon_counter_outbox (job_execution_id, product_ids, deltas, products)
			SELECT :jobExecutionId, array_agg(CAST(product_id AS text)), array_agg(delta), count(*)
			FROM (SELECT d.product_id, d.delta, (row_number() OVER (ORDER BY d.product_id) - 1) / :productsPerRow AS part
			      FROM unnest(CAST(:productIds AS ${stock_key_type}[]), CAST(:deltas AS bigint[])) AS d(product_id, delta)) AS d
			GROUP BY part
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

	/**
	 * Taken before a chunk records its skips, until it commits: the restore partitions'
	 * chunks run at once, and a count of the skips that sees only the committed ones
	 * could let two chunks each stay within the limit and together pass it. A chunk that
	 * waits here holds no lock the holder needs (its stock rows are locked, and the
	 * holder's were locked before it got here), and it counts once the holder has
	 * committed.
	 */
	private static final String SKIPS_ONE_CHUNK_AT_A_TIME = """
			SELECT pg_advisory_xact_lock(hashtextextended('stockrecon.skips.' || CAST(:jobExecutionId AS text), 0))
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

	/** The events, and the lines kept with the deletions among them. */
	private static final String DISMISS_EVENTS = """
			WITH lines AS (
			    DELETE FROM stockrecon_deleted_order_items WHERE event_id = ANY(:deletionIds)
			)
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
		this.sql = new Sql(shop.sql(ORDERS_NOW), shop.sql(RESTORE_DUE_ORDERS), shop.sql(ITEMS_OF_CANCELLED_ORDERS),
				shop.sql(LOCK_STOCK), shop.sql(ADD_STOCK), shop.sql(QUEUE_FOR_REDIS), shop.sql(RECORD_UNITS),
				shop.sql(RECORD_SKIPS));
	}

	@Override
	public void beforeStep(StepExecution stepExecution) {
		this.jobExecutionId = stepExecution.getJobExecutionId();
		this.jdbc.sql(FORGET_LINES_OF_ENDED_TRANSACTIONS).update();
	}

	@Override
	public void write(Chunk<? extends OrderEvent> chunk) {
		requireRunningExecution();
		List<? extends OrderEvent> events = chunk.getItems();
		Map<String, OrderEvent> due = dueOrders(events);
		long[] handled = longs(events.stream().map(OrderEvent::eventId).toList());
		long[] handledDeletions = longs(
				events.stream().filter(OrderEvent::isDeletion).map(OrderEvent::eventId).toList());
		if (due.isEmpty()) {
			dismiss(handled, handledDeletions);
			return;
		}
		Map<String, OrderEvent> claimed = new LinkedHashMap<>();
		long[] badItems = { 0 };
		this.jdbc.sql(GENERIC_PLAN).update();
		restoreDueOrders(due, handled, handledDeletions).query((rs) -> {
			claimed.put(rs.getString("order_id"), due.get(rs.getString("order_id")));
			badItems[0] = rs.getLong("bad_items");
		});
		if (badItems[0] > 0) {
			// the events go after the items: a deletion's lines are kept with its event
			restoreItemByItem(claimed);
			dismiss(handled, handledDeletions);
		}
	}

	private void dismiss(long[] events, long[] deletions) {
		this.jdbc.sql(DISMISS_EVENTS).param("eventIds", events).param("deletionIds", deletions).update();
	}

	private void requireRunningExecution() {
		String status = this.jdbc.sql(EXECUTION_STATUS)
			.param("jobExecutionId", this.jobExecutionId)
			.query(String.class)
			.optional()
			.orElse(null);
		String refused = null;
		if (status == null || !BatchStatus.valueOf(status).isRunning()) {
			refused = (status != null) ? status : "gone";
		}
		else if (this.jdbc.sql(PUBLISHING)
			.param("jobExecutionId", this.jobExecutionId)
			.param("publishStep", RestoreStepsConfiguration.PUBLISH_STEP)
			.query(Boolean.class)
			.single()) {
			refused = "publishing its restored units already";
		}
		if (refused != null) {
			throw new IllegalStateException(("Job execution %d is %s: a partition of it that runs late restores "
					+ "nothing (its orders are still queued for the next run)")
				.formatted(this.jobExecutionId, refused));
		}
	}

	private JdbcClient.StatementSpec restoreDueOrders(Map<String, OrderEvent> due, long[] handled,
			long[] handledDeletions) {
		boolean[] deletions = new boolean[due.size()];
		int i = 0;
		for (OrderEvent event : due.values()) {
			deletions[i++] = event.isDeletion();
		}
		return this.jdbc.sql(this.sql.restoreDueOrders())
			.param("jobExecutionId", this.jobExecutionId)
			.param("orderIds", texts(due.keySet()))
			.param("reasons", due.values().stream().map(OrderEvent::kind).toArray(String[]::new))
			.param("eventIds", longs(due.values().stream().map(OrderEvent::eventId).toList()))
			.param("deletions", deletions)
			.param("maxStock", this.shop.maxStock())
			.param("productsPerRow", CounterOutboxPublisher.PRODUCTS_PER_ROW)
			.param("handledEventIds", handled)
			.param("handledDeletionIds", handledDeletions);
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
				.param("productsPerRow", CounterOutboxPublisher.PRODUCTS_PER_ROW)
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
		this.jdbc.sql(SKIPS_ONE_CHUNK_AT_A_TIME).param("jobExecutionId", this.jobExecutionId).query().listOfRows();
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
	private record Sql(String ordersNow, String restoreDueOrders, String itemsOfCancelledOrders, String lockStock,
			String addStock, String queueForRedis, String recordUnits, String recordSkips) {

	}

}
