package io.stockrecon.restore;

import java.util.ArrayList;
import java.util.List;

import org.springframework.batch.infrastructure.item.database.AbstractPagingItemReader;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.util.Assert;

import io.stockrecon.shop.KeyType;
import io.stockrecon.shop.ShopMapping;

/**
 * Pages through one partition's share of the capture queue by event id (keyset
 * pagination), a chunk's worth of events a page. The queue itself is the restart state:
 * handled events are deleted with their restore, so a relaunch simply reads what is left,
 * and the reader keeps no position across runs (within a run, the last event id read).
 * <p>
 * Each page is read inside its chunk's transaction (a page is a chunk: both are
 * {@code stockrecon.restore.chunk-size}) with a plan made without the values of the
 * parameters and without parallel workers ({@link #INDEX_ORDER_PLAN}). PostgreSQL cannot
 * estimate the partition filter (it guesses that 0.5 % of the queue passes), so a plan
 * made for the values expects to walk the whole queue to fill a page: it sorted the whole
 * queue (75 to 140 ms a page on the benchmark's hot shop) or started parallel workers (20
 * to 35 ms on two cores), where walking the queue's key in order reads a page in 3 to 6
 * ms (measured by hand, 7 December).
 */
class CapturedEventPages extends AbstractPagingItemReader<OrderEvent> {

	/*
	 * A numeric order id is split by its value modulo the partitions (made non-negative:
	 * PostgreSQL's mod keeps the sign of a negative id); any other by a hash of its text.
	 * Either way every event of one order lands in the same partition. One statement per
	 * kind of id, all constant text.
	 */

	private static final String PAGE_IN_NUMERIC_PARTITION = """
			SELECT id, order_id::text AS order_id, kind, status FROM stockrecon_order_events
			WHERE kind = :kind AND id > :after AND mod(mod(order_id, :partitions) + :partitions, :partitions) = :partition
			ORDER BY id
			LIMIT :pageSize
			""";

	private static final String PAGE_IN_HASHED_PARTITION = """
			SELECT id, order_id::text AS order_id, kind, status FROM stockrecon_order_events
			WHERE kind = :kind AND id > :after AND mod(hashtext(order_id::text)::bigint + 2147483648, :partitions) = :partition
			ORDER BY id
			LIMIT :pageSize
			""";

	private static final String QUEUED_IN_NUMERIC_PARTITION = """
			SELECT count(*) FROM stockrecon_order_events
			WHERE kind = :kind AND mod(mod(order_id, :partitions) + :partitions, :partitions) = :partition
			""";

	private static final String QUEUED_IN_HASHED_PARTITION = """
			SELECT count(*) FROM stockrecon_order_events
			WHERE kind = :kind AND mod(hashtext(order_id::text)::bigint + 2147483648, :partitions) = :partition
			""";

	/**
	 * For this chunk's transaction only: the generic plan walks the queue's key in order
	 * and stops at a page. Outside a transaction it would last one statement: the reader
	 * refuses to read there.
	 */
	private static final String INDEX_ORDER_PLAN = """
			SELECT set_config('plan_cache_mode', 'force_generic_plan', true),
			       set_config('max_parallel_workers_per_gather', '0', true)
			""";

	/**
	 * After the page, the shop's own statements of the chunk get the plans the shop's
	 * settings give them (a generic plan cannot prune a partitioned orders table by the
	 * chunk's ids). Parallel workers stay off: nothing the chunk does after its page runs
	 * in parallel (row locks and data-modifying statements never do).
	 */
	private static final String SHOPS_PLANS = """
			SET LOCAL plan_cache_mode TO DEFAULT
			""";

	private final JdbcClient jdbc;

	private final String page;

	private final String kind;

	private final int partition;

	private final int partitions;

	/**
	 * The last event id read; event ids are an identity column, so they start above it.
	 */
	private long after = Long.MIN_VALUE;

	CapturedEventPages(JdbcClient jdbc, ShopMapping shop, String kind, int pageSize, int partition, int partitions) {
		this.jdbc = jdbc;
		this.page = numericOrderIds(shop) ? PAGE_IN_NUMERIC_PARTITION : PAGE_IN_HASHED_PARTITION;
		this.kind = kind;
		this.partition = partition;
		this.partitions = partitions;
		setPageSize(pageSize);
		setSaveState(false);
		setName(kind + "Events");
	}

	/** Events of a kind still queued in a partition, for the progress lines. */
	static long queued(JdbcClient jdbc, ShopMapping shop, String kind, int partition, int partitions) {
		return jdbc.sql(numericOrderIds(shop) ? QUEUED_IN_NUMERIC_PARTITION : QUEUED_IN_HASHED_PARTITION)
			.param("kind", kind)
			.param("partition", partition)
			.param("partitions", partitions)
			.query(Long.class)
			.single();
	}

	private static boolean numericOrderIds(ShopMapping shop) {
		return shop.orderIdType() == KeyType.BIGINT;
	}

	@Override
	protected void doOpen() throws Exception {
		super.doOpen();
		this.after = Long.MIN_VALUE;
	}

	@Override
	protected void doReadPage() {
		Assert.state(TransactionSynchronizationManager.isActualTransactionActive(),
				"The capture queue is read in its chunk's transaction");
		this.jdbc.sql(INDEX_ORDER_PLAN).query().singleRow();
		List<OrderEvent> events = new ArrayList<>(getPageSize());
		this.jdbc.sql(this.page)
			.param("kind", this.kind)
			.param("after", this.after)
			.param("partition", this.partition)
			.param("partitions", this.partitions)
			.param("pageSize", getPageSize())
			.query((rs) -> {
				events.add(new OrderEvent(rs.getLong("id"), rs.getString("order_id"), rs.getString("kind"),
						rs.getString("status")));
			});
		this.jdbc.sql(SHOPS_PLANS).update();
		if (!events.isEmpty()) {
			this.after = events.get(events.size() - 1).eventId();
		}
		this.results = events;
	}

}
