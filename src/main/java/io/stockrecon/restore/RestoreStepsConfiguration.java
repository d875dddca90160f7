package io.stockrecon.restore;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
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

	@Bean(FULL_SCAN_STEP)
	Step queueCancelledHistory(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			JdbcClient jdbc, ShopMapping shop, StockreconProperties properties) {
		return new StepBuilder(FULL_SCAN_STEP, jobRepository)
			.tasklet(new CancelledHistoryScan(jdbc, shop, properties.restore().onCancel()), transactionManager)
			.build();
	}

	@Bean(CANCELLED_STEP)
	Step restoreCancelledOrders(@Qualifier(CANCELLED_WORKER) Step worker, PartitionedSteps partitioned,
			StockreconProperties properties) {
		return partitioned.manager(CANCELLED_STEP, worker, new OrderPartitioner(),
				properties.scale().restorePartitions());
	}

	@Bean(DELETED_STEP)
	Step restoreDeletedOrders(@Qualifier(DELETED_WORKER) Step worker, PartitionedSteps partitioned,
			StockreconProperties properties) {
		return partitioned.manager(DELETED_STEP, worker, new OrderPartitioner(),
				properties.scale().restorePartitions());
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
			@Qualifier("cancelledEvents") CapturedEventPages cancelledEvents, JdbcClient jdbc, ShopMapping shop,
			StockreconProperties properties) {
		return worker(CANCELLED_WORKER, CANCELLED_STEP, EventKinds.CANCELLED, cancelledEvents, partitioned,
				transactionManager, jdbc, shop, properties);
	}

	@Bean(DELETED_WORKER)
	Step restoreDeletedOrdersPartition(PartitionedSteps partitioned, PlatformTransactionManager transactionManager,
			@Qualifier("deletedEvents") CapturedEventPages deletedEvents, JdbcClient jdbc, ShopMapping shop,
			StockreconProperties properties) {
		return worker(DELETED_WORKER, DELETED_STEP, EventKinds.DELETED, deletedEvents, partitioned, transactionManager,
				jdbc, shop, properties);
	}

	private static Step worker(String name, String manager, String kind, CapturedEventPages events,
			PartitionedSteps partitioned, PlatformTransactionManager transactionManager, JdbcClient jdbc,
			ShopMapping shop, StockreconProperties properties) {
		StepProgressLog<OrderEvent> progress = new StepProgressLog<>(properties.progress().interval(),
				(step) -> CapturedEventPages.queued(jdbc, shop, kind,
						step.getExecutionContext().getInt(OrderPartitioner.PARTITION),
						step.getExecutionContext().getInt(OrderPartitioner.PARTITIONS)));
		return partitioned.<OrderEvent>worker(name, properties.restore().chunkSize())
			.transactionManager(transactionManager)
			.reader(events)
			.writer(new RestorationWriter(jdbc, shop, properties.restore()))
			.listener(new PartitionContextRecovery(manager, new OrderPartitioner(), OrderPartitioner.PARTITION,
					properties.scale().restorePartitions()))
			.listener(progress)
			.build();
	}

	@Bean
	@StepScope
	CapturedEventPages cancelledEvents(JdbcClient jdbc, ShopMapping shop, StockreconProperties properties,
			@Value("#{stepExecutionContext['partition']}") Integer partition,
			@Value("#{stepExecutionContext['partitions']}") Integer partitions) {
		return new CapturedEventPages(jdbc, shop, EventKinds.CANCELLED, properties.restore().chunkSize(), partition,
				partitions);
	}

	@Bean
	@StepScope
	CapturedEventPages deletedEvents(JdbcClient jdbc, ShopMapping shop, StockreconProperties properties,
			@Value("#{stepExecutionContext['partition']}") Integer partition,
			@Value("#{stepExecutionContext['partitions']}") Integer partitions) {
		return new CapturedEventPages(jdbc, shop, EventKinds.DELETED, properties.restore().chunkSize(), partition,
				partitions);
	}

}
