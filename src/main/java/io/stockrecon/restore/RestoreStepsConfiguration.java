package io.stockrecon.restore;

import java.util.Map;

import javax.sql.DataSource;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.database.JdbcPagingItemReader;
import org.springframework.batch.infrastructure.item.database.Order;
import org.springframework.batch.infrastructure.item.database.builder.JdbcPagingItemReaderBuilder;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

import io.stockrecon.StockreconProperties;
import io.stockrecon.progress.StepProgressLog;
import io.stockrecon.scale.PartitionContextRecovery;
import io.stockrecon.scale.PartitionedSteps;
import io.stockrecon.shop.EventKinds;
import io.stockrecon.shop.KeyType;
import io.stockrecon.shop.ShopMapping;
import io.stockrecon.stock.CounterOutboxPublisher;
import io.stockrecon.stock.RedisStockCounters;

/**
 * The restore steps: one for cancelled orders, one for deleted orders. Each is
 * partitioned by order id ({@link OrderPartitioner}); every partition is a chunk-oriented
 * worker step that reads its share of the capture queue and writes with the
 * {@link RestorationWriter}. Beside them, the step that delivers what they restored to
 * Redis: the two halves of exactly-once are declared together.
 */
@Configuration(proxyBeanMethods = false)
public class RestoreStepsConfiguration {

	public static final String FULL_SCAN_STEP = "queueCancelledHistory";

	public static final String CANCELLED_STEP = "restoreCancelledOrders";

	public static final String DELETED_STEP = "restoreDeletedOrders";

	public static final String CANCELLED_WORKER = CANCELLED_STEP + "Partition";

	public static final String DELETED_WORKER = DELETED_STEP + "Partition";

	public static final String PUBLISH_STEP = "publishRestoredUnits";

	/**
	 * A numeric order id is split by its value modulo the partitions (made non-negative:
	 * PostgreSQL's mod keeps the sign of a negative id); any other by a hash of its text.
	 * Either way every event of one order lands in the same partition.
	 */
	private static final String IN_NUMERIC_PARTITION = """
			WHERE kind = :kind AND mod(mod(order_id, :partitions) + :partitions, :partitions) = :partition
			""";

	private static final String IN_HASHED_PARTITION = """
			WHERE kind = :kind AND mod(hashtext(order_id::text)::bigint + 2147483648, :partitions) = :partition
			""";

	private static final String QUEUED_IN_NUMERIC_PARTITION = """
			SELECT count(*) FROM stockrecon_order_events
			WHERE kind = :kind AND mod(mod(order_id, :partitions) + :partitions, :partitions) = :partition
			""";

	private static final String QUEUED_IN_HASHED_PARTITION = """
			SELECT count(*) FROM stockrecon_order_events
			WHERE kind = :kind AND mod(hashtext(order_id::text)::bigint + 2147483648, :partitions) = :partition
			""";

	@Bean(FULL_SCAN_STEP)
	Step queueCancelledHistory(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			JdbcClient jdbc, ShopMapping shop, StockreconProperties properties) {
		return new StepBuilder(FULL_SCAN_STEP, jobRepository)
			.tasklet(new CancelledHistoryScan(jdbc, shop, properties.restore().onCancel()), transactionManager)
			.build();
	}

	@Bean(CANCELLED_STEP)
	Step restoreCancelledOrders(@Qualifier(CANCELLED_WORKER) Step worker, PartitionedSteps partitioned) {
		return partitioned.manager(CANCELLED_STEP, worker, new OrderPartitioner());
	}

	@Bean(DELETED_STEP)
	Step restoreDeletedOrders(@Qualifier(DELETED_WORKER) Step worker, PartitionedSteps partitioned) {
		return partitioned.manager(DELETED_STEP, worker, new OrderPartitioner());
	}

	/**
	 * The Redis half of exactly-once: the {@link RestorationWriter} queues each restore's
	 * units in {@code stockrecon_counter_outbox} in the restore's own transaction, and
	 * this step delivers them to the counters once ({@link CounterOutboxPublisher}).
	 */
	@Bean(PUBLISH_STEP)
	Step publishRestoredUnits(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			JdbcClient jdbc, RedisStockCounters counters, StockreconProperties properties) {
		return new StepBuilder(PUBLISH_STEP, jobRepository)
			.tasklet(new CounterOutboxPublisher(jdbc, counters, properties.restore().publishBatchSize()),
					transactionManager)
			.build();
	}

	@Bean(CANCELLED_WORKER)
	Step restoreCancelledOrdersPartition(PartitionedSteps partitioned, PlatformTransactionManager transactionManager,
			@Qualifier("cancelledEvents") JdbcPagingItemReader<OrderEvent> cancelledEvents, JdbcClient jdbc,
			ShopMapping shop, StockreconProperties properties) {
		return worker(CANCELLED_WORKER, CANCELLED_STEP, EventKinds.CANCELLED, cancelledEvents, partitioned,
				transactionManager, jdbc, shop, properties);
	}

	@Bean(DELETED_WORKER)
	Step restoreDeletedOrdersPartition(PartitionedSteps partitioned, PlatformTransactionManager transactionManager,
			@Qualifier("deletedEvents") JdbcPagingItemReader<OrderEvent> deletedEvents, JdbcClient jdbc,
			ShopMapping shop, StockreconProperties properties) {
		return worker(DELETED_WORKER, DELETED_STEP, EventKinds.DELETED, deletedEvents, partitioned, transactionManager,
				jdbc, shop, properties);
	}

	@Bean
	@StepScope
	JdbcPagingItemReader<OrderEvent> cancelledEvents(DataSource dataSource, ShopMapping shop,
			StockreconProperties properties, @Value("#{stepExecutionContext['partition']}") Integer partition,
			@Value("#{stepExecutionContext['partitions']}") Integer partitions) throws Exception {
		return capturedEvents(EventKinds.CANCELLED, dataSource, shop, properties.restore().chunkSize(), partition,
				partitions);
	}

	@Bean
	@StepScope
	JdbcPagingItemReader<OrderEvent> deletedEvents(DataSource dataSource, ShopMapping shop,
			StockreconProperties properties, @Value("#{stepExecutionContext['partition']}") Integer partition,
			@Value("#{stepExecutionContext['partitions']}") Integer partitions) throws Exception {
		return capturedEvents(EventKinds.DELETED, dataSource, shop, properties.restore().chunkSize(), partition,
				partitions);
	}

	private static Step worker(String name, String manager, String kind, JdbcPagingItemReader<OrderEvent> events,
			PartitionedSteps partitioned, PlatformTransactionManager transactionManager, JdbcClient jdbc,
			ShopMapping shop, StockreconProperties properties) {
		StepProgressLog<OrderEvent> progress = new StepProgressLog<>(properties.progress().interval(),
				(step) -> jdbc.sql(numericOrderIds(shop) ? QUEUED_IN_NUMERIC_PARTITION : QUEUED_IN_HASHED_PARTITION)
					.param("kind", kind)
					.param("partition", step.getExecutionContext().getInt(OrderPartitioner.PARTITION))
					.param("partitions", step.getExecutionContext().getInt(OrderPartitioner.PARTITIONS))
					.query(Long.class)
					.single());
		return partitioned.<OrderEvent>worker(name, properties.restore().chunkSize())
			.transactionManager(transactionManager)
			.reader(events)
			.writer(new RestorationWriter(jdbc, shop, properties.restore()))
			.listener(new PartitionContextRecovery(manager, new OrderPartitioner(), OrderPartitioner.PARTITION,
					properties.scale().partitions()))
			.listener(progress)
			.build();
	}

	private static boolean numericOrderIds(ShopMapping shop) {
		return shop.orderIdType() == KeyType.BIGINT;
	}

	/**
	 * Pages through this partition's share of the queue by event id (keyset pagination).
	 * The queue itself is the restart state: handled events are deleted with their
	 * restore, so a relaunch simply reads what is left, and the reader keeps no position
	 * of its own.
	 */
	private static JdbcPagingItemReader<OrderEvent> capturedEvents(String kind, DataSource dataSource, ShopMapping shop,
			int pageSize, int partition, int partitions) throws Exception {
		return new JdbcPagingItemReaderBuilder<OrderEvent>().name(kind + "Events")
			.dataSource(dataSource)
			.selectClause("SELECT id, order_id::text AS order_id, kind, status")
			.fromClause("FROM stockrecon_order_events")
			.whereClause(numericOrderIds(shop) ? IN_NUMERIC_PARTITION : IN_HASHED_PARTITION)
			.parameterValues(Map.of("kind", kind, "partition", partition, "partitions", partitions))
			.sortKeys(Map.of("id", Order.ASCENDING))
			.rowMapper((rs, row) -> new OrderEvent(rs.getLong("id"), rs.getString("order_id"), rs.getString("kind"),
					rs.getString("status")))
			.pageSize(pageSize)
			.saveState(false)
			.build();
	}

}
