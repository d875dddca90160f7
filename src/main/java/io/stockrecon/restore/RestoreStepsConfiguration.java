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

/**
 * The restore steps: one for cancelled orders, one for deleted orders. Each is
 * partitioned by order id ({@link OrderPartitioner}); every partition is a chunk-oriented
 * worker step that reads its share of the capture queue and writes with the
 * {@link RestorationWriter}.
 */
@Configuration(proxyBeanMethods = false)
public class RestoreStepsConfiguration {

	public static final String FULL_SCAN_STEP = "queueCancelledHistory";

	public static final String CANCELLED_STEP = "restoreCancelledOrders";

	public static final String DELETED_STEP = "restoreDeletedOrders";

	public static final String CANCELLED_WORKER = CANCELLED_STEP + "Partition";

	public static final String DELETED_WORKER = DELETED_STEP + "Partition";

	private static final String QUEUED = """
			SELECT count(*) FROM stockrecon_order_events
			WHERE kind = :kind AND mod(order_id, :partitions) = :partition
			""";

	@Bean(FULL_SCAN_STEP)
	Step queueCancelledHistory(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			JdbcClient jdbc) {
		return new StepBuilder(FULL_SCAN_STEP, jobRepository)
			.tasklet(new CancelledHistoryScan(jdbc), transactionManager)
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

	@Bean(CANCELLED_WORKER)
	Step restoreCancelledOrdersPartition(PartitionedSteps partitioned, PlatformTransactionManager transactionManager,
			@Qualifier("cancelledEvents") JdbcPagingItemReader<OrderEvent> cancelledEvents, JdbcClient jdbc,
			StockreconProperties properties) {
		return worker(CANCELLED_WORKER, CANCELLED_STEP, OrderEvent.CANCELLED, cancelledEvents, partitioned,
				transactionManager, jdbc, properties);
	}

	@Bean(DELETED_WORKER)
	Step restoreDeletedOrdersPartition(PartitionedSteps partitioned, PlatformTransactionManager transactionManager,
			@Qualifier("deletedEvents") JdbcPagingItemReader<OrderEvent> deletedEvents, JdbcClient jdbc,
			StockreconProperties properties) {
		return worker(DELETED_WORKER, DELETED_STEP, OrderEvent.DELETED, deletedEvents, partitioned, transactionManager,
				jdbc, properties);
	}

	@Bean
	@StepScope
	JdbcPagingItemReader<OrderEvent> cancelledEvents(DataSource dataSource, StockreconProperties properties,
			@Value("#{stepExecutionContext['partition']}") Integer partition,
			@Value("#{stepExecutionContext['partitions']}") Integer partitions) throws Exception {
		return capturedEvents(OrderEvent.CANCELLED, dataSource, properties.restore().chunkSize(), partition,
				partitions);
	}

	@Bean
	@StepScope
	JdbcPagingItemReader<OrderEvent> deletedEvents(DataSource dataSource, StockreconProperties properties,
			@Value("#{stepExecutionContext['partition']}") Integer partition,
			@Value("#{stepExecutionContext['partitions']}") Integer partitions) throws Exception {
		return capturedEvents(OrderEvent.DELETED, dataSource, properties.restore().chunkSize(), partition, partitions);
	}

	private static Step worker(String name, String manager, String kind, JdbcPagingItemReader<OrderEvent> events,
			PartitionedSteps partitioned, PlatformTransactionManager transactionManager, JdbcClient jdbc,
			StockreconProperties properties) {
		StepProgressLog<OrderEvent> progress = new StepProgressLog<>(properties.progress().interval(),
				(step) -> jdbc.sql(QUEUED)
					.param("kind", kind)
					.param("partition", step.getExecutionContext().getInt(OrderPartitioner.PARTITION))
					.param("partitions", step.getExecutionContext().getInt(OrderPartitioner.PARTITIONS))
					.query(Long.class)
					.single());
		return partitioned.<OrderEvent>worker(name, properties.restore().chunkSize())
			.transactionManager(transactionManager)
			.reader(events)
			.writer(new RestorationWriter(jdbc, properties.restore()))
			.listener(new PartitionContextRecovery(manager, new OrderPartitioner(), OrderPartitioner.PARTITION,
					properties.scale().partitions()))
			.listener(progress)
			.build();
	}

	/**
	 * Pages through this partition's share of the queue by event id (keyset pagination).
	 * The queue itself is the restart state: handled events are deleted with their
	 * restore, so a relaunch simply reads what is left, and the reader keeps no position
	 * of its own.
	 */
	private static JdbcPagingItemReader<OrderEvent> capturedEvents(String kind, DataSource dataSource, int pageSize,
			int partition, int partitions) throws Exception {
		return new JdbcPagingItemReaderBuilder<OrderEvent>().name(kind + "Events")
			.dataSource(dataSource)
			.selectClause("SELECT id, order_id, kind, status")
			.fromClause("FROM stockrecon_order_events")
			.whereClause("WHERE kind = :kind AND mod(order_id, :partitions) = :partition")
			.parameterValues(Map.of("kind", kind, "partition", partition, "partitions", partitions))
			.sortKeys(Map.of("id", Order.ASCENDING))
			.rowMapper((rs, row) -> new OrderEvent(rs.getLong("id"), rs.getLong("order_id"), rs.getString("kind"),
					rs.getString("status")))
			.pageSize(pageSize)
			.saveState(false)
			.build();
	}

}
