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

import io.stockrecon.shop.KeyType;
import io.stockrecon.shop.ShopMapping;
import io.stockrecon.shop.CounterKeys;
import io.stockrecon.stock.CounterValue;
import io.stockrecon.stock.RedisStockCounters;

/**
 * Finds counters whose stock key does not exist: a {@code SCAN} page of the keys that
 * follow the key template (or an {@code HSCAN} page of the counters' hash) at a time,
 * each checked against the stock table in one query. A key whose id is not a key as
 * PostgreSQL prints it ({@code stock:abc} for numeric keys) is an orphan too. Orphans are
 * reported; with {@code --delete-orphans} (and not in a dry run) a key is deleted only if
 * it still holds the value that was seen.
 */
class OrphanCounterScan implements Tasklet, StepExecutionListener {

	private static final String EXISTING = """
			SELECT ${stock.key}::text FROM ${stock} WHERE ${stock.key} = ANY(CAST(:productIds AS ${stock_key_type}[]))
			""";

	private static final String AUDIT = """
			INSERT INTO stockrecon_drift_audit (job_execution_id, product_id, redis_key, kind, redis_before, redis_after, action)
			SELECT :jobExecutionId, o.product_id, o.redis_key, 'orphan', o.redis_before, o.redis_after, o.action
			FROM unnest(CAST(:productIds AS ${stock_key_type}[]), CAST(:keys AS text[]), CAST(:before AS text[]),
			            CAST(:after AS text[]), CAST(:actions AS text[]))
			     AS o(product_id, redis_key, redis_before, redis_after, action)
			ON CONFLICT DO NOTHING
			""";

	private final JdbcClient jdbc;

	private final KeyType keyType;

	private final String existing;

	private final String audit;

	private final RedisStockCounters counters;

	private final int pageSize;

	private ScanCursor cursor;

	private long jobExecutionId;

	private VerifyMode mode;

	OrphanCounterScan(JdbcClient jdbc, ShopMapping shop, RedisStockCounters counters, int pageSize) {
		this.jdbc = jdbc;
		this.keyType = shop.stockKeyType();
		this.existing = shop.sql(EXISTING);
		this.audit = shop.sql(AUDIT);
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
		Map<String, String> productOfKey = new LinkedHashMap<>();
		CounterKeys keys = this.counters.keys();
		for (String key : new HashSet<>(page.keys())) {
			String id = keys.idOf(key);
			productOfKey.put(key, this.keyType.isCanonical(id) ? id : null);
		}
		contribution.incrementReadCount();
		String[] ids = productOfKey.values().stream().filter((id) -> id != null).distinct().toArray(String[]::new);
		Set<String> existing = (ids.length == 0) ? Set.of()
				: new HashSet<>(this.jdbc.sql(this.existing).param("productIds", ids).query(String.class).list());
		List<Orphan> orphans = new ArrayList<>();
		productOfKey.forEach((key, productId) -> {
			if (productId == null || !existing.contains(productId)) {
				orphans.add(handle(key, productId));
			}
		});
		if (!orphans.isEmpty()) {
			audit(orphans);
			contribution.incrementWriteCount(orphans.size());
		}
		return (this.cursor == null) ? RepeatStatus.FINISHED : RepeatStatus.CONTINUABLE;
	}

	private Orphan handle(String key, String productId) {
		CounterValue value = this.counters.readKey(key);
		if (this.mode.deleteOrphans() && !this.mode.dryRun() && value.state() == CounterValue.State.STRING
				&& this.counters.deleteIfUnchanged(key, value.raw())) {
			return new Orphan(key, productId, value.describe(), null, "deleted");
		}
		return new Orphan(key, productId, value.describe(), value.describe(), "reported");
	}

	private void audit(List<Orphan> orphans) {
		CounterKeys keys = this.counters.keys();
		this.jdbc.sql(this.audit)
			.param("jobExecutionId", this.jobExecutionId)
			.param("productIds", orphans.stream().map(Orphan::productId).toArray(String[]::new))
			// a key name may hold a NUL, which PostgreSQL's text cannot store
			.param("keys", orphans.stream()
				.map((orphan) -> (keys.inHash() ? keys.hash() + " " + orphan.key() : orphan.key()).replace("\0", "\\0"))
				.toArray(String[]::new))
			.param("before", orphans.stream().map(Orphan::before).toArray(String[]::new))
			.param("after", orphans.stream().map(Orphan::after).toArray(String[]::new))
			.param("actions", orphans.stream().map(Orphan::action).toArray(String[]::new))
			.update();
	}

	private record Orphan(String key, String productId, String before, String after, String action) {

	}

}
