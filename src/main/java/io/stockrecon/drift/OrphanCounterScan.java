package io.stockrecon.drift;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInterruptedException;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.stockrecon.scale.PartitionedSteps;
import io.stockrecon.shop.CounterKeys;
import io.stockrecon.shop.KeyType;
import io.stockrecon.shop.ShopMapping;
import io.stockrecon.stock.CounterValue;
import io.stockrecon.stock.RedisStockCounters;

/**
 * Finds counters whose stock key does not exist.
 * <p>
 * First by counting, when it can: if the counters' database (or hash) holds no more keys
 * than the stock table has rows, the scan waits for the first look, which reads the
 * counter of every product anyway, and sums the counters it found
 * ({@link DriftFinder#COUNTERS_FOUND}). When the database held exactly that many keys
 * before and after the first look, every key in it is the counter of a product, and there
 * is no orphan to find: the keyspace is not walked. Walking 10 M keys with {@code SCAN}
 * costs Redis more than the first look's reads of the same counters (11 to 14 s against
 * 6.5 s, measured by the benchmark), and a shop whose counters have a database of their
 * own and no orphans pays it every night for nothing. Keys created or deleted during the
 * first look change the count, and the scan walks; only a creation and a deletion that
 * balance each other while an orphan stands could hide that orphan, until the next
 * verify.
 * <p>
 * Otherwise it walks: a {@code SCAN} page of the keys that follow the key template (or an
 * {@code HSCAN} page of the counters' hash) at a time. The stock keys are first read once
 * into memory where that is compact ({@link KnownStockKeys}: numbers, and uuids up to a
 * bound), and each page is checked there; other keys are checked against the stock table,
 * one query per page. A key whose id is not a key as PostgreSQL prints it
 * ({@code stock:abc} for numeric keys) is an orphan too. Orphans are reported; with
 * {@code --delete-orphans} (and not in a dry run) a key is deleted only if it still holds
 * the value that was seen.
 */
class OrphanCounterScan implements Tasklet, StepExecutionListener {

	private static final Logger logger = LoggerFactory.getLogger(OrphanCounterScan.class);

	private static final String STOCK_ROWS = """
			SELECT count(*) FROM ${stock}
			""";

	/**
	 * How long one call of the tasklet waits for the first look before it returns (and
	 * commits, when a stop request is noticed).
	 */
	private static final Duration WAIT_PER_CALL = Duration.ofMillis(500);

	private static final Duration POLL = Duration.ofMillis(250);

	/** In the first look's (manager) step context: see {@link KeysBeforeFirstLook}. */
	static final String KEYS_BEFORE_FIRST_LOOK = "keysBeforeFirstLook";

	/**
	 * The first look runs beside the scan and starts with it; if it has not started by
	 * then, something else went wrong, and the scan walks rather than wait.
	 */
	private static final Duration FIRST_LOOK_START = Duration.ofSeconds(60);

	private static final String EXISTING = """
			SELECT ${stock.key}::text FROM ${stock} WHERE ${stock.key} = ANY(CAST(:productIds AS ${stock_key_type}[]))
			""";

	/**
	 * {@code SCAN} pages checked in one transaction: each commit updates the step in the
	 * job repository (a few milliseconds), and checking one page in memory takes about as
	 * long.
	 */
	private static final int PAGES_PER_TRANSACTION = 10;

	/**
	 * Pages the walk may scan ahead of the check while the stock keys are read: 32 pages
	 * of 10 k numbers are 2.5 MB. Uuids take twice that a page, beside up to 32 MB of
	 * uuids in memory (the uuid shop's verify is the benchmark's largest live heap, 59 to
	 * 65 MB), so they wait 4 pages at most; text ids wait as strings, about 70 bytes a
	 * key, so one page, as before the walk had a thread of its own.
	 */
	private static int pagesAhead(KeyType keyType) {
		return switch (keyType) {
			case BIGINT -> 32;
			case UUID -> 4;
			case TEXT -> 1;
		};
	}

	private static final String AUDIT = """
			INSERT INTO stockrecon_drift_audit (job_execution_id, product_id, redis_key, kind, redis_before, redis_after, action)
			SELECT :jobExecutionId, o.product_id, o.redis_key, :kind, o.redis_before, o.redis_after, o.action
			FROM unnest(CAST(:productIds AS ${stock_key_type}[]), CAST(:keys AS text[]), CAST(:before AS text[]),
			            CAST(:after AS text[]), CAST(:actions AS text[]))
			     AS o(product_id, redis_key, redis_before, redis_after, action)
			ON CONFLICT DO NOTHING
			""";

	private final JdbcClient jdbc;

	private final DataSource dataSource;

	private final KeyType keyType;

	private final ShopMapping shop;

	private final String existing;

	private final String audit;

	private final String stockRows;

	private final RedisStockCounters counters;

	private final JobRepository jobRepository;

	private final int pageSize;

	private long waitingSince;

	/** The first look's manager step, once the wait has found it. */
	private Long firstLookId;

	/**
	 * The walk over the counter keys, started before the stock keys are read;
	 * {@code null} before the step's first call, and while the scan waits to count.
	 */
	private ScanAhead walk;

	/** The stock keys, read at the start of the step; {@code null} when not held. */
	private KnownStockKeys knownKeys;

	private long jobExecutionId;

	private VerifyMode mode;

	private boolean started;

	OrphanCounterScan(JdbcClient jdbc, DataSource dataSource, ShopMapping shop, RedisStockCounters counters,
			JobRepository jobRepository, int pageSize) {
		this.jdbc = jdbc;
		this.dataSource = dataSource;
		this.keyType = shop.stockKeyType();
		this.shop = shop;
		this.existing = shop.sql(EXISTING);
		this.audit = shop.sql(AUDIT);
		this.counters = counters;
		this.jobRepository = jobRepository;
		this.pageSize = pageSize;
		this.stockRows = shop.sql(STOCK_ROWS);
	}

	@Override
	public void beforeStep(StepExecution stepExecution) {
		// a walk left by a step whose afterStep never ran
		stopWalk();
		this.knownKeys = null;
		this.firstLookId = null;
		this.started = false;
		this.jobExecutionId = stepExecution.getJobExecutionId();
		this.mode = VerifyMode.of(stepExecution.getJobParameters());
	}

	@Override
	public ExitStatus afterStep(StepExecution stepExecution) {
		stopWalk();
		this.knownKeys = null;
		return null;
	}

	private void stopWalk() {
		if (this.walk != null) {
			this.walk.close();
			this.walk = null;
		}
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws Exception {
		if (!this.started) {
			this.started = true;
			long keys = this.counters.keysWhereCountersLive();
			long products = this.jdbc.sql(this.stockRows).query(Long.class).single();
			if (keys > products) {
				// more keys than products: some key is no product's counter
				startWalk(contribution,
						"walked: %,d keys where the counters live, %,d products".formatted(keys, products));
			}
			else if (isRelaunch(contribution.getStepExecution())) {
				/*
				 * A relaunch's first look may run partitions whose ranges were copied
				 * from the failed run beside ranges computed now, which can overlap: its
				 * count is not one per key.
				 */
				startWalk(contribution, "walked: a relaunch");
			}
			else {
				this.waitingSince = System.nanoTime();
			}
		}
		if (this.walk == null) {
			// started and not walking: it waits for the first look, to compare the counts
			Optional<FirstLook> ended = awaitFirstLook();
			if (ended.isEmpty()) {
				return RepeatStatus.CONTINUABLE;
			}
			FirstLook look = ended.get();
			if (look.status() == BatchStatus.STOPPED) {
				throw new JobInterruptedException("The first look was stopped: the orphan scan stops with it",
						BatchStatus.STOPPED);
			}
			long keysAfter = this.counters.keysWhereCountersLive();
			if (look.completed() && look.countersFound() == look.keysBefore() && keysAfter == look.keysBefore()) {
				String outcome = "counted: %,d keys where the counters live, before and after the first look, each the counter of a product it read"
					.formatted(keysAfter);
				contribution.getStepExecution()
					.getExecutionContext()
					.putString(VerifyStepsConfiguration.ORPHAN_CHECK, outcome);
				logger.info("No orphan counters, {}: the keyspace was not walked", outcome);
				return RepeatStatus.FINISHED;
			}
			startWalk(contribution, look.completed()
					? "walked: %,d keys where the counters live before the first look and %,d after it, %,d counters found by it"
						.formatted(look.keysBefore(), keysAfter, look.countersFound())
					: "walked: the first look did not complete");
		}
		for (int i = 0; i < PAGES_PER_TRANSACTION; i++) {
			ScannedKeys page = this.walk.next();
			if (page == null) {
				return RepeatStatus.FINISHED;
			}
			check(page, contribution);
		}
		return RepeatStatus.CONTINUABLE;
	}

	private boolean isRelaunch(StepExecution step) {
		return this.jobRepository.getJobExecutions(step.getJobExecution().getJobInstance()).size() > 1;
	}

	private void startWalk(StepContribution contribution, String why) {
		contribution.getStepExecution().getExecutionContext().putString(VerifyStepsConfiguration.ORPHAN_CHECK, why);
		CounterKeys keys = this.counters.keys();
		this.walk = new ScanAhead(this.counters, this.pageSize, pagesAhead(this.keyType),
				(page) -> ScannedKeys.of(page.keys(), keys, this.keyType));
		this.knownKeys = KnownStockKeys.read(this.dataSource, this.shop,
				StockPages.estimatedProducts(this.jdbc, this.shop));
	}

	/**
	 * Waits a while for this execution's first look to end: its manager step is found
	 * once, then its status alone is read (a few queries, where the whole execution is
	 * every step and every context), and the partitions' contexts once it has ended.
	 * @return how it ended, or empty if it has not ended yet
	 */
	private Optional<FirstLook> awaitFirstLook() throws InterruptedException {
		long deadline = System.nanoTime() + WAIT_PER_CALL.toNanos();
		while (true) {
			if (this.firstLookId == null) {
				JobExecution execution = this.jobRepository.getJobExecution(this.jobExecutionId);
				this.firstLookId = (execution != null) ? execution.getStepExecutions()
					.stream()
					.filter((step) -> step.getStepName().equals(VerifyStepsConfiguration.FIND_STEP))
					.map(StepExecution::getId)
					.findFirst()
					.orElse(null) : null;
				if (this.firstLookId == null && System.nanoTime() - this.waitingSince > FIRST_LOOK_START.toNanos()) {
					return Optional.of(FirstLook.NOT_COMPLETED);
				}
			}
			if (this.firstLookId != null) {
				StepExecution manager = this.jobRepository.getStepExecution(this.firstLookId);
				if (manager != null && !manager.getStatus().isRunning()) {
					JobExecution execution = this.jobRepository.getJobExecution(this.jobExecutionId);
					return Optional.of(FirstLook.of(manager, execution.getStepExecutions()));
				}
			}
			if (System.nanoTime() - deadline >= 0) {
				return Optional.empty();
			}
			Thread.sleep(POLL.toMillis());
		}
	}

	private void check(ScannedKeys page, StepContribution contribution) {
		contribution.incrementReadCount();
		/*
		 * Keys that may be orphans, with their stock key (null when not one as PostgreSQL
		 * prints it): those the keys in memory do not know, or every key when none are
		 * held.
		 */
		Map<String, String> suspects = new LinkedHashMap<>();
		page.withoutStockKey().forEach((key) -> suspects.put(key, null));
		for (int i = 0; i < page.size(); i++) {
			if (this.knownKeys == null || !this.knownKeys.contains(page, i)) {
				suspects.put(page.key(i), page.id(i));
			}
		}
		if (!suspects.isEmpty()) {
			/*
			 * Asked of the stock table even when the keys in memory did not know them:
			 * they were read at the start of the step, and a product created since has a
			 * live counter that --delete-orphans must not delete. Orphans are rare.
			 */
			Set<String> existing = existing(suspects.values());
			suspects.values().removeIf((productId) -> productId != null && existing.contains(productId));
		}
		if (!suspects.isEmpty()) {
			List<Orphan> orphans = new ArrayList<>();
			suspects.forEach((key, productId) -> orphans.add(handle(key, productId)));
			audit(orphans);
			contribution.incrementWriteCount(orphans.size());
		}
	}

	/**
	 * The stock keys among these ids (some may be {@code null}), asked of the stock
	 * table.
	 */
	private Set<String> existing(Collection<String> productIds) {
		String[] ids = productIds.stream().filter((id) -> id != null).distinct().toArray(String[]::new);
		if (ids.length == 0) {
			return Set.of();
		}
		return new HashSet<>(this.jdbc.sql(this.existing).param("productIds", ids).query(String.class).list());
	}

	private Orphan handle(String key, String productId) {
		CounterValue value = this.counters.readKey(key);
		if (this.mode.deleteOrphans() && !this.mode.dryRun() && value.state() == CounterValue.State.STRING
				&& this.counters.deleteIfUnchanged(key, value.raw())) {
			return new Orphan(key, productId, value.describe(), null, DriftAction.DELETED);
		}
		return new Orphan(key, productId, value.describe(), value.describe(), DriftAction.REPORTED);
	}

	private void audit(List<Orphan> orphans) {
		CounterKeys keys = this.counters.keys();
		this.jdbc.sql(this.audit)
			.param("jobExecutionId", this.jobExecutionId)
			.param("kind", DriftKind.ORPHAN.code())
			.param("productIds", orphans.stream().map(Orphan::productId).toArray(String[]::new))
			// a key name may hold a NUL, which PostgreSQL's text cannot store
			.param("keys", orphans.stream()
				.map((orphan) -> (keys.inHash() ? keys.hash() + " " + orphan.key() : orphan.key()).replace("\0", "\\0"))
				.toArray(String[]::new))
			.param("before", orphans.stream().map(Orphan::before).toArray(String[]::new))
			.param("after", orphans.stream().map(Orphan::after).toArray(String[]::new))
			.param("actions", orphans.stream().map((orphan) -> orphan.action().code()).toArray(String[]::new))
			.update();
	}

	private record Orphan(String key, String productId, String before, String after, DriftAction action) {

	}

	/**
	 * How the first look ended, and what it counted when it completed.
	 *
	 * @param status the first look's (its manager step's) status
	 * @param completed whether it and each of its partitions completed, and counted
	 * @param keysBefore keys where the counters live, counted before it read anything
	 * @param countersFound the counters its partitions found, summed
	 */
	private record FirstLook(BatchStatus status, boolean completed, long keysBefore, long countersFound) {

		static final FirstLook NOT_COMPLETED = new FirstLook(BatchStatus.UNKNOWN, false, -1, -1);

		static FirstLook of(StepExecution manager, Collection<StepExecution> steps) {
			ExecutionContext context = manager.getExecutionContext();
			if (manager.getStatus() != BatchStatus.COMPLETED || !context.containsKey(KEYS_BEFORE_FIRST_LOOK)) {
				return new FirstLook(manager.getStatus(), false, -1, -1);
			}
			Set<String> partitions = new HashSet<>();
			long found = 0;
			for (StepExecution step : steps) {
				if (!PartitionedSteps.isPartitionOf(VerifyStepsConfiguration.FIND_WORKER, step.getStepName())) {
					continue;
				}
				if (step.getStatus() != BatchStatus.COMPLETED || !partitions.add(step.getStepName())
						|| !step.getExecutionContext().containsKey(DriftFinder.COUNTERS_FOUND)) {
					return new FirstLook(manager.getStatus(), false, -1, -1);
				}
				found += step.getExecutionContext().getLong(DriftFinder.COUNTERS_FOUND);
			}
			return new FirstLook(manager.getStatus(), !partitions.isEmpty(), context.getLong(KEYS_BEFORE_FIRST_LOOK),
					found);
		}

	}

	/**
	 * Counts the keys where the counters live before the first look reads any: a listener
	 * of the first look's manager step, which starts before its partitions. The count is
	 * stored at once, not with the step's end.
	 */
	static final class KeysBeforeFirstLook implements StepExecutionListener {

		private final RedisStockCounters counters;

		private final JobRepository jobRepository;

		KeysBeforeFirstLook(RedisStockCounters counters, JobRepository jobRepository) {
			this.counters = counters;
			this.jobRepository = jobRepository;
		}

		@Override
		public void beforeStep(StepExecution stepExecution) {
			stepExecution.getExecutionContext().putLong(KEYS_BEFORE_FIRST_LOOK, this.counters.keysWhereCountersLive());
			this.jobRepository.updateExecutionContext(stepExecution);
		}

	}

}
