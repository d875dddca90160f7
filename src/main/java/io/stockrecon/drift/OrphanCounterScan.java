package io.stockrecon.drift;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.lettuce.core.ScanCursor;

import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.stockrecon.stock.CounterValue;
import io.stockrecon.stock.RedisStockCounters;

/**
 * Finds keys under the counter prefix whose product does not exist: a {@code SCAN} page
 * at a time, each checked against {@code inventory} in one query. Orphans are reported;
 * with {@code --delete-orphans} (and not in a dry run) a key is deleted only if it still
 * holds the value that was seen.
 */
class OrphanCounterScan implements Tasklet, StepExecutionListener {

	private static final String EXISTING = """
			SELECT product_id FROM inventory WHERE product_id = ANY(:productIds)
			""";

	private static final String AUDIT = """
			INSERT INTO stockrecon_drift_audit (job_execution_id, product_id, redis_key, kind, redis_before, redis_after, action)
			SELECT :jobExecutionId, o.product_id, o.redis_key, 'orphan', o.redis_before, o.redis_after, o.action
			FROM unnest(:productIds, :keys, :before, :after, :actions) AS o(product_id, redis_key, redis_before, redis_after, action)
			ON CONFLICT DO NOTHING
			""";

	private final JdbcClient jdbc;

	private final RedisStockCounters counters;

	private final int pageSize;

	private ScanCursor cursor;

	private long jobExecutionId;

	private VerifyMode mode;

	OrphanCounterScan(JdbcClient jdbc, RedisStockCounters counters, int pageSize) {
		this.jdbc = jdbc;
		this.counters = counters;
		this.pageSize = pageSize;
	}

	@Override
	public void beforeStep(StepExecution stepExecution) {
		this.cursor = null;
		this.jobExecutionId = stepExecution.getJobExecutionId();
		this.mode = VerifyMode.of(stepExecution.getJobParameters());
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
		RedisStockCounters.KeyPage page = this.counters.scanCounterKeys(this.cursor, this.pageSize);
		this.cursor = page.next();
		Map<String, Long> productOfKey = new LinkedHashMap<>();
		String prefix = this.counters.keyPrefix();
		for (String key : new HashSet<>(page.keys())) {
			productOfKey.put(key, DriftKind.parse(key.substring(prefix.length())));
		}
		contribution.incrementReadCount();
		long[] ids = productOfKey.values().stream().filter((id) -> id != null).mapToLong(Long::longValue).toArray();
		Set<Long> existing = (ids.length == 0) ? Set.of()
				: new HashSet<>(this.jdbc.sql(EXISTING).param("productIds", ids).query(Long.class).list());
		List<Orphan> orphans = new ArrayList<>();
		productOfKey.forEach((key, productId) -> {
			if (productId == null || productId < 0 || !existing.contains(productId)) {
				orphans.add(handle(key, productId));
			}
		});
		if (!orphans.isEmpty()) {
			audit(orphans);
			contribution.incrementWriteCount(orphans.size());
		}
		return (this.cursor == null) ? RepeatStatus.FINISHED : RepeatStatus.CONTINUABLE;
	}

	private Orphan handle(String key, Long productId) {
		CounterValue value = this.counters.readKey(key);
		if (this.mode.deleteOrphans() && !this.mode.dryRun() && value.state() == CounterValue.State.STRING
				&& this.counters.deleteIfUnchanged(key, value.raw())) {
			return new Orphan(key, productId, value.describe(), null, "deleted");
		}
		return new Orphan(key, productId, value.describe(), value.describe(), "reported");
	}

	private void audit(List<Orphan> orphans) {
		this.jdbc.sql(AUDIT)
			.param("jobExecutionId", this.jobExecutionId)
			.param("productIds", orphans.stream().map(Orphan::productId).toArray(Long[]::new))
			// a key name may hold a NUL, which PostgreSQL's text cannot store
			.param("keys", orphans.stream().map((orphan) -> orphan.key().replace("\0", "\\0")).toArray(String[]::new))
			.param("before", orphans.stream().map(Orphan::before).toArray(String[]::new))
			.param("after", orphans.stream().map(Orphan::after).toArray(String[]::new))
			.param("actions", orphans.stream().map(Orphan::action).toArray(String[]::new))
			.update();
	}

	private record Orphan(String key, Long productId, String before, String after, String action) {

	}

}
