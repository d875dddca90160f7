package io.stockrecon.restore;

import java.util.Map;

import javax.sql.DataSource;

import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.database.JdbcPagingItemReader;
import org.springframework.batch.infrastructure.item.database.Order;
import org.springframework.batch.infrastructure.item.database.builder.JdbcPagingItemReaderBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

import io.stockrecon.StockreconProperties;
import io.stockrecon.progress.StepProgressLog;

/**
 * The restore steps: one for cancelled orders, one for deleted orders, both reading the
 * capture queue and sharing the {@link RestorationWriter}.
 */
@Configuration(proxyBeanMethods = false)
public class RestoreStepsConfiguration {

	public static final String FULL_SCAN_STEP = "queueCancelledHistory";

	public static final String CANCELLED_STEP = "restoreCancelledOrders";

	public static final String DELETED_STEP = "restoreDeletedOrders";

	private static final String QUEUED = """
			SELECT count(*) FROM stockrecon_order_events WHERE kind = :kind
			""";

	@Bean(FULL_SCAN_STEP)
	Step queueCancelledHistory(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			JdbcClient jdbc) {
		return new StepBuilder(FULL_SCAN_STEP, jobRepository)
			.tasklet(new CancelledHistoryScan(jdbc), transactionManager)
			.build();
	}

	@Bean(CANCELLED_STEP)
	Step restoreCancelledOrders(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			DataSource dataSource, JdbcClient jdbc, StockreconProperties properties) throws Exception {
		return restoreStep(CANCELLED_STEP, OrderEvent.CANCELLED, jobRepository, transactionManager, dataSource, jdbc,
				properties);
	}

	@Bean(DELETED_STEP)
	Step restoreDeletedOrders(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			DataSource dataSource, JdbcClient jdbc, StockreconProperties properties) throws Exception {
		return restoreStep(DELETED_STEP, OrderEvent.DELETED, jobRepository, transactionManager, dataSource, jdbc,
				properties);
	}

	private static Step restoreStep(String name, String kind, JobRepository jobRepository,
			PlatformTransactionManager transactionManager, DataSource dataSource, JdbcClient jdbc,
			StockreconProperties properties) throws Exception {
		StockreconProperties.Restore settings = properties.restore();
		StepProgressLog<OrderEvent> progress = new StepProgressLog<>(properties.progress().interval(),
				() -> jdbc.sql(QUEUED).param("kind", kind).query(Long.class).single());
		return new StepBuilder(name, jobRepository).<OrderEvent, OrderEvent>chunk(settings.chunkSize())
			.transactionManager(transactionManager)
			.reader(capturedEvents(name, kind, dataSource, settings.chunkSize()))
			.writer(new RestorationWriter(jdbc, settings))
			.listener(progress)
			.build();
	}

	/**
	 * Pages through the queue by event id (keyset pagination). The queue itself is the
	 * restart state: handled events are deleted with their restore, so a relaunch simply
	 * reads what is left, and the reader keeps no position of its own.
	 */
	private static JdbcPagingItemReader<OrderEvent> capturedEvents(String name, String kind, DataSource dataSource,
			int pageSize) throws Exception {
		return new JdbcPagingItemReaderBuilder<OrderEvent>().name(name)
			.dataSource(dataSource)
			.selectClause("SELECT id, order_id, kind, status")
			.fromClause("FROM stockrecon_order_events")
			.whereClause("WHERE kind = :kind")
			.parameterValues(Map.of("kind", kind))
			.sortKeys(Map.of("id", Order.ASCENDING))
			.rowMapper((rs, row) -> new OrderEvent(rs.getLong("id"), rs.getLong("order_id"), rs.getString("kind"),
					rs.getString("status")))
			.pageSize(pageSize)
			.saveState(false)
			.build();
	}

}
