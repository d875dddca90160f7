package io.stockrecon.drift;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.stockrecon.shop.ShopMapping;
import io.stockrecon.stock.CounterRepair;
import io.stockrecon.stock.CounterValue;
import io.stockrecon.stock.RedisStockCounters;

/**
 * The second look, and the only place that repairs a counter. Why it is safe under live
 * checkouts (which reserve in Redis first and commit PostgreSQL a moment later):
 * <ul>
 * <li>it waits until each suspect is at least the settle interval old, longer than a
 * checkout takes from its Redis reservation to its PostgreSQL commit;</li>
 * <li>it acts only when both sides are exactly as on the first look: anything that moved
 * is reported as {@code unsettled}, never forced;</li>
 * <li>it reads PostgreSQL with {@code FOR SHARE SKIP LOCKED}: a product whose row a
 * checkout holds is in flight and is skipped, and the share locks it takes keep every
 * other product's stock from changing until the repair commits;</li>
 * <li>it writes Redis with a compare-and-set script, so a counter a checkout moved after
 * the second look is left alone.</li>
 * </ul>
 * In a dry run it stops before the write and records what it would have done.
 */
class DriftRepairWriter implements ItemWriter<DriftSuspect>, StepExecutionListener {

	private static final String EXISTING = """
			SELECT ${stock.key}::text FROM ${stock} WHERE ${stock.key} = ANY(CAST(:productIds AS ${stock_key_type}[]))
			""";

	private static final String STOCK_NOT_IN_FLIGHT = """
			SELECT ${stock.key}::text AS product_id, ${stock.quantity} AS stock FROM ${stock}
			WHERE ${stock.key} = ANY(CAST(:productIds AS ${stock_key_type}[]))
			ORDER BY ${stock.key}
			FOR SHARE SKIP LOCKED
			""";

	private static final String AUDIT = """
			INSERT INTO stockrecon_drift_audit
			    (job_execution_id, product_id, redis_key, kind, redis_before, postgres_value, redis_after, action)
			SELECT :jobExecutionId, a.product_id, a.redis_key, a.kind, a.redis_before, a.postgres_value, a.redis_after, a.action
			FROM unnest(CAST(:productIds AS ${stock_key_type}[]), CAST(:keys AS text[]), CAST(:kinds AS text[]),
			            CAST(:before AS text[]), CAST(:postgres AS bigint[]), CAST(:after AS text[]), CAST(:actions AS text[]))
			     AS a(product_id, redis_key, kind, redis_before, postgres_value, redis_after, action)
			""";

	/**
	 * The chunk's suspects, as a range: the repair reads them in product order, so the
	 * chunk holds every suspect from its first product to its last (a range of the key is
	 * cheaper to delete than an array of it).
	 */
	private static final String DONE = """
			DELETE FROM stockrecon_drift_suspects
			WHERE job_instance_id = :jobInstanceId
			  AND product_id BETWEEN CAST(:first AS ${stock_key_type}) AND CAST(:last AS ${stock_key_type})
			""";

	private final JdbcClient jdbc;

	private final RedisStockCounters counters;

	private final Duration settleInterval;

	private final String existing;

	private final String stockNotInFlight;

	private final String audit;

	private final String done;

	private long jobExecutionId;

	private long jobInstanceId;

	private VerifyMode mode;

	DriftRepairWriter(JdbcClient jdbc, ShopMapping shop, RedisStockCounters counters, Duration settleInterval) {
		this.jdbc = jdbc;
		this.counters = counters;
		this.settleInterval = settleInterval;
		this.existing = shop.sql(EXISTING);
		this.stockNotInFlight = shop.sql(STOCK_NOT_IN_FLIGHT);
		this.audit = shop.sql(AUDIT);
		this.done = shop.sql(DONE);
	}

	@Override
	public void beforeStep(StepExecution stepExecution) {
		this.jobExecutionId = stepExecution.getJobExecutionId();
		this.jobInstanceId = stepExecution.getJobExecution().getJobInstance().getInstanceId();
		this.mode = VerifyMode.of(stepExecution.getJobParameters());
	}

	@Override
	public void write(Chunk<? extends DriftSuspect> chunk) throws InterruptedException {
		List<? extends DriftSuspect> suspects = chunk.getItems();
		waitUntilSettled(suspects);
		List<String> productIds = suspects.stream().map(DriftSuspect::productId).toList();
		String[] ids = productIds.toArray(String[]::new);
		/*
		 * Redis is read while PostgreSQL is: the order does not matter, since the
		 * compare-and-set leaves alone a counter that moved after this read, and the
		 * share locks keep the stock read as it is until the commit.
		 */
		RedisStockCounters.PendingRead counterReads = this.counters.readLater(productIds);
		Map<String, Long> stockNow = new HashMap<>();
		this.jdbc.sql(this.stockNotInFlight).param("productIds", ids).query((rs) -> {
			stockNow.put(rs.getString("product_id"), rs.getLong("stock"));
		});
		// a product whose stock was read exists; only the others are asked about
		Set<String> existing = new HashSet<>(stockNow.keySet());
		String[] notRead = productIds.stream().filter((id) -> !stockNow.containsKey(id)).toArray(String[]::new);
		if (notRead.length > 0) {
			existing.addAll(this.jdbc.sql(this.existing).param("productIds", notRead).query(String.class).list());
		}
		List<CounterValue> redisNow = counterReads.values();

		List<Finding> findings = new ArrayList<>();
		List<CounterRepair> repairs = new ArrayList<>();
		List<Finding> repairing = new ArrayList<>();
		for (int i = 0; i < suspects.size(); i++) {
			DriftSuspect suspect = suspects.get(i);
			CounterValue redis = redisNow.get(i);
			Long stock = stockNow.get(suspect.productId());
			Finding finding = new Finding(suspect, redis, stock);
			DriftAction action = RepairDecision.secondLook(suspect, existing.contains(suspect.productId()), stock,
					redis, this.mode.dryRun());
			if (action == DriftAction.REPAIRED) {
				repairs.add(new CounterRepair(suspect.productId(), redis, stock));
				repairing.add(finding);
			}
			else {
				findings.add(finding.as(action, redis));
			}
		}
		RedisStockCounters.PendingRepairs sent = repairs.isEmpty() ? null : this.counters.setIfUnchangedLater(repairs);
		// in the same transaction as the audit, while Redis runs the scripts
		int handled = this.jdbc.sql(this.done)
			.param("jobInstanceId", this.jobInstanceId)
			.param("first", ids[0])
			.param("last", ids[ids.length - 1])
			.update();
		if (handled != ids.length) {
			// a chunk out of product order: its range holds suspects it did not handle
			throw new IllegalStateException(
					"The repair's chunk from %s to %s covers %d suspects, not its %d: a chunk must hold consecutive suspects in product order"
						.formatted(ids[0], ids[ids.length - 1], handled, ids.length));
		}
		List<Boolean> applied = (sent != null) ? sent.applied() : List.of();
		for (int i = 0; i < repairing.size(); i++) {
			Finding finding = repairing.get(i);
			DriftAction action = RepairDecision.afterCompareAndSet(Boolean.TRUE.equals(applied.get(i)));
			findings.add((action == DriftAction.REPAIRED)
					? finding.as(action, CounterValue.of(Long.toString(repairs.get(i).newValue())))
					: finding.as(action, finding.redisNow()));
		}
		audit(findings);
	}

	private void waitUntilSettled(List<? extends DriftSuspect> suspects) throws InterruptedException {
		OffsetDateTime newest = suspects.stream()
			.map(DriftSuspect::seenAt)
			.max(Comparator.naturalOrder())
			.orElseThrow();
		// the database's clock wrote seen_at, so the database's clock says how long to
		// wait
		OffsetDateTime now = this.jdbc.sql("SELECT clock_timestamp()").query(OffsetDateTime.class).single();
		long waitMillis = Duration.between(now, newest.plus(this.settleInterval)).toMillis();
		if (waitMillis > 0) {
			Thread.sleep(waitMillis);
		}
	}

	private void audit(List<Finding> findings) {
		this.jdbc.sql(this.audit)
			.param("jobExecutionId", this.jobExecutionId)
			.param("productIds", findings.stream().map((f) -> f.suspect().productId()).toArray(String[]::new))
			.param("keys",
					findings.stream()
						.map((f) -> this.counters.keys().describe(f.suspect().productId()))
						.toArray(String[]::new))
			.param("kinds", findings.stream().map((f) -> f.suspect().kind().code()).toArray(String[]::new))
			.param("before", findings.stream().map((f) -> f.redisNow().describe()).toArray(String[]::new))
			.param("postgres",
					findings.stream()
						.map((f) -> (f.stockNow() != null) ? f.stockNow() : f.suspect().postgresValue())
						.toArray(Long[]::new))
			.param("after", findings.stream().map((f) -> f.redisAfter().describe()).toArray(String[]::new))
			.param("actions", findings.stream().map((f) -> f.action().code()).toArray(String[]::new))
			.update();
	}

	/**
	 * A suspect after the second look.
	 */
	private record Finding(DriftSuspect suspect, CounterValue redisNow, Long stockNow, DriftAction action,
			CounterValue redisAfter) {

		Finding(DriftSuspect suspect, CounterValue redisNow, Long stockNow) {
			this(suspect, redisNow, stockNow, null, null);
		}

		Finding as(DriftAction action, CounterValue redisAfter) {
			return new Finding(this.suspect, this.redisNow, this.stockNow, action, redisAfter);
		}

	}

}
