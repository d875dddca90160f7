package io.stockrecon.drift;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
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

	private static final int ORPHAN_SCAN_PAGE = 10_000;

	private static final String ESTIMATED_PRODUCTS = """
			SELECT greatest(reltuples, 0)::bigint FROM pg_class WHERE oid = 'inventory'::regclass
			""";

	@Bean(FIND_STEP)
	Step findDrift(@Qualifier(FIND_WORKER) Step worker, JdbcClient jdbc, PartitionedSteps partitioned) {
		// a restart takes the first look again, over every product: what was seen before
		// the failure may be gone (a Redis that died mid-verify comes back empty)
		return partitioned.manager(FIND_STEP, worker, new ProductRangePartitioner(jdbc), true);
	}

	@Bean(FIND_WORKER)
	Step findDriftPartition(PartitionedSteps partitioned, PlatformTransactionManager transactionManager,
			@Qualifier("inventoryRange") JdbcPagingItemReader<InventoryStock> inventoryRange, JdbcClient jdbc,
			RedisStockCounters counters, StockreconProperties properties) {
		StepProgressLog<InventoryStock> progress = new StepProgressLog<>(properties.progress().interval(),
				(step) -> (properties.scale().partitions() == 1)
						? jdbc.sql(ESTIMATED_PRODUCTS).query(Long.class).single() : 0);
		return partitioned.<InventoryStock>worker(FIND_WORKER, properties.verify().chunkSize())
			.transactionManager(transactionManager)
			.reader(inventoryRange)
			.writer(new DriftFinder(jdbc, counters))
			.listener(new PartitionContextRecovery(FIND_STEP, new ProductRangePartitioner(jdbc),
					ProductRangePartitioner.FIRST, properties.scale().partitions()))
			.listener(progress)
			.build();
	}

	/**
	 * Streams one partition's range of {@code inventory} by product id, a page at a time
	 * (keyset pagination): memory stays flat however many products there are. It keeps no
	 * position: a restart looks at the whole range again, because the counters seen
	 * before the failure may have changed since (Redis restarted empty), and a first look
	 * is cheap.
	 */
	@Bean
	@StepScope
	JdbcPagingItemReader<InventoryStock> inventoryRange(DataSource dataSource, StockreconProperties properties,
			@Value("#{stepExecutionContext['firstProductId']}") Long firstProductId,
			@Value("#{stepExecutionContext['lastProductId']}") Long lastProductId) throws Exception {
		return new JdbcPagingItemReaderBuilder<InventoryStock>().name("inventoryRange")
			.dataSource(dataSource)
			.selectClause("SELECT product_id, stock")
			.fromClause("FROM inventory")
			.whereClause("WHERE product_id BETWEEN :first AND :last")
			.parameterValues(Map.of("first", firstProductId, "last", lastProductId))
			.sortKeys(Map.of("product_id", Order.ASCENDING))
			.rowMapper((rs, row) -> new InventoryStock(rs.getLong("product_id"), rs.getInt("stock")))
			.pageSize(properties.verify().chunkSize())
			.saveState(false)
			.build();
	}

	@Bean(ORPHANS_STEP)
	Step findOrphanCounters(JobRepository jobRepository, PlatformTransactionManager transactionManager, JdbcClient jdbc,
			RedisStockCounters counters, StockreconProperties properties) {
		// SCAN walks the whole keyspace, not only the prefix: ask for big pages, each
		// still
		// only a millisecond or two of Redis's time
		OrphanCounterScan scan = new OrphanCounterScan(jdbc, counters, ORPHAN_SCAN_PAGE);
		return new StepBuilder(ORPHANS_STEP, jobRepository).tasklet(scan, transactionManager).listener(scan).build();
	}

	@Bean(REPAIR_STEP)
	Step repairDrift(JobRepository jobRepository, PlatformTransactionManager transactionManager, DataSource dataSource,
			JdbcClient jdbc, RedisStockCounters counters, StockreconProperties properties) throws Exception {
		int chunkSize = properties.verify().chunkSize();
		StepProgressLog<DriftSuspect> progress = new StepProgressLog<>(properties.progress().interval(),
				(step) -> jdbc.sql("SELECT count(*) FROM stockrecon_drift_suspects").query(Long.class).single());
		return new StepBuilder(REPAIR_STEP, jobRepository).<DriftSuspect, DriftSuspect>chunk(chunkSize)
			.transactionManager(transactionManager)
			.reader(suspects(dataSource, chunkSize))
			.writer(new DriftRepairWriter(jdbc, counters, properties.verify().settleInterval()))
			.listener(progress)
			.build();
	}

	/**
	 * Pages through the suspects; the repair deletes each one it handled, so the table is
	 * its own restart state.
	 */
	private static JdbcPagingItemReader<DriftSuspect> suspects(DataSource dataSource, int pageSize) throws Exception {
		return new JdbcPagingItemReaderBuilder<DriftSuspect>().name(REPAIR_STEP)
			.dataSource(dataSource)
			.selectClause("SELECT product_id, kind, redis_state, redis_value, postgres_value, seen_at")
			.fromClause("FROM stockrecon_drift_suspects")
			.sortKeys(Map.of("product_id", Order.ASCENDING))
			.rowMapper((rs, row) -> suspect(rs))
			.pageSize(pageSize)
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
		return new DriftSuspect(rs.getLong("product_id"), DriftKind.ofCode(rs.getString("kind")), value,
				rs.getInt("postgres_value"), rs.getObject("seen_at", OffsetDateTime.class));
	}

}
