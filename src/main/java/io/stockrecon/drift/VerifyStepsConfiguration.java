package io.stockrecon.drift;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;

import javax.sql.DataSource;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.listener.ChunkListener;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.database.JdbcCursorItemReader;
import org.springframework.batch.infrastructure.item.database.builder.JdbcCursorItemReaderBuilder;
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
import io.stockrecon.shop.ShopMapping;
import io.stockrecon.stock.CounterValue;
import io.stockrecon.stock.RedisStockCounters;

/**
 * The verify steps: a first look over every product ({@code findDrift}), a scan for
 * orphan keys ({@code findOrphanCounters}), and a second look that repairs the drift that
 * persisted ({@code repairDrift}).
 */
@Configuration(proxyBeanMethods = false)
public class VerifyStepsConfiguration {

	public static final String FIND_STEP = "findDrift";

	public static final String FIND_WORKER = FIND_STEP + "Partition";

	public static final String ORPHANS_STEP = "findOrphanCounters";

	public static final String REPAIR_STEP = "repairDrift";

	/**
	 * In the orphan scan's step context: how orphans were ruled out (counted) or looked
	 * for (walked), and why.
	 */
	public static final String ORPHAN_CHECK = "orphanCheck";

	/**
	 * Pages the first look compares in one transaction: each commit updates the step in
	 * the job repository, 4 to 6 ms a commit measured by hand, a tenth of the first look
	 * of a million counters in pages of 10 k. The suspects of those pages go to
	 * PostgreSQL in one statement; a restart takes the whole first look again anyway.
	 */
	public static final int FIRST_LOOK_PAGES_PER_TRANSACTION = 5;

	/**
	 * Keys the orphan scan asks {@code SCAN} for at a time (the benchmark walks the
	 * keyspace in the same pages when it measures what the scan costs Redis).
	 */
	public static final int ORPHAN_SCAN_PAGE = 10_000;

	/**
	 * One query for the whole repair, not a page per chunk: after Redis lost its counters
	 * the first look records a suspect per product in a table PostgreSQL last saw empty,
	 * and keyset pages planned for a few rows each read and sorted every suspect left (73
	 * s of an 85 s repair of a million counters). A cursor sorts them once, whatever the
	 * table's statistics say. The repair deletes each chunk's suspects as a range of this
	 * order (and checks that the range held exactly the chunk).
	 */
	private static final String SUSPECTS = """
			SELECT product_id::text AS product_key, kind, redis_state, redis_value, postgres_value, seen_at
			FROM stockrecon_drift_suspects WHERE job_instance_id = ?
			ORDER BY product_id
			""";

	/**
	 * Pages of the first look whose counters are on their way while PostgreSQL reads the
	 * next: enough to keep both stores busy, few enough to keep the heap flat with pages
	 * of tens of thousands of products.
	 */
	private static final int PAGES_IN_FLIGHT = 2;

	@Bean(FIND_STEP)
	Step findDrift(@Qualifier(FIND_WORKER) Step worker, JdbcClient jdbc, ShopMapping shop, PartitionedSteps partitioned,
			RedisStockCounters counters, JobRepository jobRepository, StockreconProperties properties) {
		/*
		 * A restart takes the first look again, over every product: what was seen before
		 * the failure may be gone (a Redis that died mid-verify comes back empty). The
		 * keys are counted before it reads anything, for the orphan scan.
		 */
		return partitioned.manager(FIND_STEP, worker, new ProductRangePartitioner(jdbc, shop),
				properties.scale().verifyPartitions(), true,
				new OrphanCounterScan.KeysBeforeFirstLook(counters, jobRepository));
	}

	@Bean(FIND_WORKER)
	Step findDriftPartition(PartitionedSteps partitioned, PlatformTransactionManager transactionManager,
			@Qualifier("stockAndCounters") CounterReadAhead stockAndCounters, JdbcClient jdbc, ShopMapping shop,
			StockreconProperties properties) {
		StepProgressLog<Object> progress = new StepProgressLog<>(properties.progress().interval(),
				(step) -> (properties.scale().verifyPartitions() == 1) ? StockPages.estimatedProducts(jdbc, shop) : 0);
		// the tasklet step registers the finder as a listener itself
		return partitioned.worker(FIND_WORKER, new DriftFinder(stockAndCounters, jdbc, shop), transactionManager)
			.stream(stockAndCounters)
			.listener(new PartitionContextRecovery(FIND_STEP, new ProductRangePartitioner(jdbc, shop),
					ProductRangePartitioner.EMPTY, properties.scale().verifyPartitions()))
			.listener((StepExecutionListener) progress)
			.listener((ChunkListener<?, ?>) progress)
			.build();
	}

	/**
	 * One partition's stock beside its counters, a few pages read ahead. The stock pages
	 * are a plain object inside this step-scoped bean, not a step-scoped bean of their
	 * own: every call through a scoped proxy looks the bean up in the step's scope.
	 */
	@Bean
	@StepScope
	CounterReadAhead stockAndCounters(JdbcClient jdbc, ShopMapping shop, RedisStockCounters counters,
			StockreconProperties properties, @Value("#{stepExecutionContext['emptyRange']}") Boolean empty,
			@Value("#{stepExecutionContext['afterProductId']}") String after,
			@Value("#{stepExecutionContext['upToProductId']}") String upTo) {
		StockPages stock = new StockPages(jdbc, shop, properties.verify().firstLookChunkSize(), after, upTo,
				Boolean.TRUE.equals(empty));
		return new CounterReadAhead(stock, counters, properties.verify().chunkSize(), PAGES_IN_FLIGHT);
	}

	@Bean(ORPHANS_STEP)
	Step findOrphanCounters(JobRepository jobRepository, PlatformTransactionManager transactionManager, JdbcClient jdbc,
			DataSource dataSource, ShopMapping shop, RedisStockCounters counters) {
		/*
		 * SCAN walks the whole keyspace, not only the counters: ask for big pages, but
		 * not bigger: Redis 7.0 spends about 1 us a key, so a page of 10 k keys is 10 ms
		 * in which checkouts wait (measured by the benchmark's INFO commandstats).
		 */
		OrphanCounterScan scan = new OrphanCounterScan(jdbc, dataSource, shop, counters, jobRepository,
				ORPHAN_SCAN_PAGE);
		return new StepBuilder(ORPHANS_STEP, jobRepository).tasklet(scan, transactionManager).listener(scan).build();
	}

	@Bean(REPAIR_STEP)
	Step repairDrift(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			@Qualifier("suspects") JdbcCursorItemReader<DriftSuspect> suspects, JdbcClient jdbc, ShopMapping shop,
			RedisStockCounters counters, StockreconProperties properties) {
		int chunkSize = properties.verify().chunkSize();
		StepProgressLog<DriftSuspect> progress = new StepProgressLog<>(properties.progress().interval(),
				(step) -> jdbc.sql("SELECT count(*) FROM stockrecon_drift_suspects").query(Long.class).single());
		return new StepBuilder(REPAIR_STEP, jobRepository).<DriftSuspect, DriftSuspect>chunk(chunkSize)
			.transactionManager(transactionManager)
			.reader(suspects)
			.writer(new DriftRepairWriter(jdbc, shop, counters, properties.verify().settleInterval()))
			.listener(progress)
			.build();
	}

	/**
	 * This job instance's suspects in product order, through one cursor on a connection
	 * of its own (autocommit off: PostgreSQL streams a cursor's rows only inside a
	 * transaction). The repair deletes each one it handled, so the table is its own
	 * restart state: a restart opens a cursor over those left.
	 */
	@Bean
	@StepScope
	JdbcCursorItemReader<DriftSuspect> suspects(DataSource dataSource, StockreconProperties properties,
			@Value("#{stepExecution.jobExecution.jobInstance.instanceId}") Long jobInstanceId) {
		return new JdbcCursorItemReaderBuilder<DriftSuspect>().name(REPAIR_STEP)
			.dataSource(dataSource)
			.sql(SUSPECTS)
			.queryArguments(jobInstanceId)
			.connectionAutoCommit(false)
			.fetchSize(properties.verify().chunkSize())
			.rowMapper((rs, row) -> suspect(rs))
			.saveState(false)
			.build();
	}

	private static DriftSuspect suspect(ResultSet rs) throws SQLException {
		CounterValue.State state = CounterValue.State.valueOf(rs.getString("redis_state"));
		CounterValue value = switch (state) {
			case MISSING -> CounterValue.MISSING;
			case WRONG_TYPE -> CounterValue.WRONG_TYPE;
			case STRING -> CounterValue.of(rs.getString("redis_value"));
			case BINARY -> new CounterValue(state, rs.getString("redis_value"));
		};
		return new DriftSuspect(rs.getString("product_key"), DriftKind.ofCode(rs.getString("kind")), value,
				rs.getLong("postgres_value"), rs.getObject("seen_at", OffsetDateTime.class));
	}

}
