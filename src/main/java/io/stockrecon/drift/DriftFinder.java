package io.stockrecon.drift;

import java.util.ArrayList;
import java.util.List;

import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.stockrecon.shop.ShopMapping;
import io.stockrecon.stock.CounterValue;

/**
 * The first look: compares each product's stock with its counter, a page of products at a
 * time as {@link CounterReadAhead} reads them, and writes every counter that disagrees
 * with PostgreSQL to {@code stockrecon_drift_suspects}. Nothing is repaired here; a
 * disagreement may be a checkout between its Redis reservation and its PostgreSQL commit.
 * <p>
 * A tasklet that handles a few pages per transaction rather than a chunk of items: a
 * chunk step pays Spring Batch's path (a scoped proxy lookup, an observation, listener
 * calls) once per product, which was a third of the first look's time at a million
 * products. The step's read and write counts are still products.
 */
class DriftFinder implements Tasklet, StepExecutionListener {

	private static final String FORGET_OTHER_RUNS = """
			DELETE FROM stockrecon_drift_suspects WHERE job_instance_id <> :jobInstanceId
			""";

	private static final String RECORD_SUSPECTS = """
			INSERT INTO stockrecon_drift_suspects (job_instance_id, product_id, kind, redis_state, redis_value, postgres_value)
			SELECT :jobInstanceId, s.product_id, s.kind, s.redis_state, s.redis_value, s.postgres_value
			FROM unnest(CAST(:productIds AS ${stock_key_type}[]), CAST(:kinds AS text[]), CAST(:redisStates AS text[]),
			            CAST(:redisValues AS text[]), CAST(:postgresValues AS bigint[]))
			     AS s(product_id, kind, redis_state, redis_value, postgres_value)
			ON CONFLICT (job_instance_id, product_id) DO UPDATE
			SET kind = excluded.kind, redis_state = excluded.redis_state, redis_value = excluded.redis_value,
			    postgres_value = excluded.postgres_value, seen_at = excluded.seen_at
			""";

	/**
	 * In each partition's step context: the counters this look found in Redis (a value of
	 * any kind, not a missing key). The orphan scan sums them to rule orphans out without
	 * walking the keyspace ({@link OrphanCounterScan}).
	 */
	static final String COUNTERS_FOUND = "countersFound";

	private final CounterReadAhead stockAndCounters;

	private final JdbcClient jdbc;

	private final String recordSuspects;

	private long jobInstanceId;

	/**
	 * @param stockAndCounters the partition's products beside their counters (a
	 * step-scoped bean, so one instance serves every partition)
	 */
	DriftFinder(CounterReadAhead stockAndCounters, JdbcClient jdbc, ShopMapping shop) {
		this.stockAndCounters = stockAndCounters;
		this.jdbc = jdbc;
		this.recordSuspects = shop.sql(RECORD_SUSPECTS);
	}

	/**
	 * Suspects are scratch work of one job instance; a restart keeps its own, a new run
	 * drops those of runs that never finished.
	 */
	@Override
	public void beforeStep(StepExecution stepExecution) {
		this.jobInstanceId = stepExecution.getJobExecution().getJobInstance().getInstanceId();
		this.jdbc.sql(FORGET_OTHER_RUNS).param("jobInstanceId", this.jobInstanceId).update();
		// a restart's context is the failed run's, and it looks at every product again
		stepExecution.getExecutionContext().putLong(COUNTERS_FOUND, 0);
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws Exception {
		List<StockAndCounter> suspects = new ArrayList<>();
		List<DriftKind> kinds = new ArrayList<>();
		boolean more = true;
		for (int pages = 0; pages < VerifyStepsConfiguration.FIRST_LOOK_PAGES_PER_TRANSACTION && more; pages++) {
			more = compareNextPage(contribution, suspects, kinds);
		}
		recordSuspects(suspects, kinds);
		return more ? RepeatStatus.CONTINUABLE : RepeatStatus.FINISHED;
	}

	/**
	 * Compares the next page and adds its suspects, in a frame of its own: a page held by
	 * the caller's loop while the next one is read would keep one more page alive (a few
	 * MB for a page of uuid keys).
	 * @return whether there was a page
	 */
	private boolean compareNextPage(StepContribution contribution, List<StockAndCounter> suspects,
			List<DriftKind> kinds) {
		List<StockAndCounter> page = this.stockAndCounters.nextPage();
		long found = 0;
		for (StockAndCounter product : page) {
			if (product.counter().state() != CounterValue.State.MISSING) {
				found++;
			}
			DriftKind kind = DriftKind.classify(product.stock(), product.counter());
			if (kind != DriftKind.EQUAL) {
				suspects.add(product);
				kinds.add(kind);
			}
		}
		// Spring Batch counts reads one at a time
		for (int i = 0; i < page.size(); i++) {
			contribution.incrementReadCount();
		}
		contribution.incrementWriteCount(page.size());
		// saved with the transaction's commit, as the step's context is
		ExecutionContext context = contribution.getStepExecution().getExecutionContext();
		context.putLong(COUNTERS_FOUND, context.getLong(COUNTERS_FOUND, 0) + found);
		if (!page.isEmpty() && suspects.size() >= page.size()) {
			// after a Redis restart every product is a suspect: a page's worth at a time
			recordSuspects(suspects, kinds);
			suspects.clear();
			kinds.clear();
		}
		return !page.isEmpty();
	}

	private void recordSuspects(List<StockAndCounter> suspects, List<DriftKind> kinds) {
		if (!suspects.isEmpty()) {
			this.jdbc.sql(this.recordSuspects)
				.param("jobInstanceId", this.jobInstanceId)
				.param("productIds", suspects.stream().map(StockAndCounter::productId).toArray(String[]::new))
				.param("kinds", kinds.stream().map(DriftKind::code).toArray(String[]::new))
				.param("redisStates",
						suspects.stream().map((suspect) -> suspect.counter().state().name()).toArray(String[]::new))
				.param("redisValues",
						suspects.stream().map((suspect) -> suspect.counter().raw()).toArray(String[]::new))
				.param("postgresValues", suspects.stream().mapToLong(StockAndCounter::stock).toArray())
				.update();
		}
	}

}
