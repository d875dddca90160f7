package io.stockrecon.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.stockrecon.benchmark.BenchmarkSettings.OrderRange;
import io.stockrecon.benchmark.BenchmarkShop.Checksum;
import io.stockrecon.benchmark.PhysicalLimits.KeyspaceWalk;
import io.stockrecon.benchmark.PhysicalLimits.RestoreLimit;
import io.stockrecon.benchmark.PhysicalLimits.VerifyLimit;

/**
 * The benchmark of issue 5, in one run:
 * <ol>
 * <li>generates a shop: products with their Redis counters (a share drifted), orders with
 * their items (a share cancelled and queued for the night);</li>
 * <li>measures the physical limit of the night's work on it: one set-based restore
 * transaction plus pipelined increments, and reading both sides once (a {@code COPY} and
 * pipelined {@code MGET}s);</li>
 * <li>puts the data back and runs the packaged job on it, with a real heap limit;</li>
 * <li>does the same on {@link UuidShop}, the same data with uuid ids in tables of other
 * names that the job reaches through its mapping settings (unless
 * {@code -Dbench.keys=bigint});</li>
 * <li>measures the incremental night: the same new cancellations over an empty history (a
 * shop of its own) and over millions of orders of history, the two nights alternating,
 * each run {@code bench.nights} times (the pair of the median ratio counts, see
 * {@link Rounds});</li>
 * <li>prints job time, limit time, their ratio, rows a second and heap, per phase.</li>
 * </ol>
 * Run it with {@code ./mvnw -B -Pbenchmark verify} (sizes as {@code -Dbench.*}, see the
 * README); {@code -Dbench.scenario=scale-out} runs {@link ScaleOutBenchmark} instead. It
 * works in a database and a Redis key prefix of its own and removes both at the end.
 */
public final class StockreconBenchmark {

	private final BenchmarkSettings settings;

	private final BenchmarkStores stores;

	private final BenchmarkShop shop;

	private final PhysicalLimits limits;

	private final PackagedJob jobs;

	private final Path directory;

	private final long startedAt = System.nanoTime();

	private StockreconBenchmark(BenchmarkSettings settings, BenchmarkStores stores, Path directory) {
		this.settings = settings;
		this.stores = stores;
		this.shop = new BenchmarkShop(settings, stores);
		this.limits = new PhysicalLimits(stores, settings, PhysicalLimits.BIGINT_SHOP);
		this.jobs = new PackagedJob(settings, stores, directory);
		this.directory = directory;
	}

	public static void main(String[] args) throws Exception {
		BenchmarkSettings settings = BenchmarkSettings.fromSystemProperties();
		if (!Files.exists(settings.jar())) {
			System.err
				.println(settings.jar() + " is missing: run ./mvnw -B -Pbenchmark verify, which packages it first");
			System.exit(2);
		}
		Path directory = settings.outputDirectory()
			.resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
		Files.createDirectories(directory);
		BenchmarkStores stores = BenchmarkStores.create(settings);
		// Ctrl-C still drops the database and unlinks the keys
		Runtime.getRuntime().addShutdownHook(new Thread(stores::close, "benchmark-cleanup"));
		BenchmarkReport report;
		try (stores) {
			report = settings.scenario().equals(BenchmarkSettings.SCALE_OUT)
					? new ScaleOutBenchmark(settings, stores, new PackagedJob(settings, stores, directory)).run()
					: new StockreconBenchmark(settings, stores, directory).run();
		}
		List<String> lines = report.lines();
		lines.forEach(System.out::println);
		Files.write(directory.resolve("report.txt"), lines);
		System.out.println("report, job logs and GC logs: " + directory);
		System.exit(report.consistent() ? 0 : 1);
	}

	private Report run() throws IOException, InterruptedException, SQLException {
		Machine machine = Machine.describe(this.stores);
		progress("database %s, key prefix %s, %s", this.stores.database(), this.stores.keyPrefix(),
				this.stores.redisDatabaseAndOtherKeys());
		this.jobs.migrate();
		this.shop.products();
		progress("%,d products", this.settings.products());

		if (this.settings.incremental()) {
			// the first night's orders, never queued here: history for the nights over it
			this.shop.orders(this.settings.firstNightOrders(), 1000);
		}

		this.shop.orders(this.settings.restoreOrders(), this.settings.cancelledPerMille());
		this.shop.vacuum();
		this.shop.snapshot();
		long cancelled = this.shop.cancelledOrders(this.settings.restoreOrders());
		progress("%,d orders, %,d of them cancelled", this.settings.orders(), cancelled);

		this.shop.reset(this.settings.restoreOrders());
		progress("restore limit: one set-based transaction, then pipelined INCRBY");
		RestoreLimit restoreLimit = this.limits.restore();
		Checksum afterLimit = this.shop.checksum();
		progress("verify limit: COPY and pipelined MGET");
		VerifyLimit verifyLimit = this.limits.verify();

		long drifted = this.shop.reset(this.settings.restoreOrders());
		progress("the nightly job on the same data");
		JobRun night = this.jobs.run("night", LocalDate.of(2031, 1, 1));
		Checksum afterJob = this.shop.checksum();
		VerifyLimit afterJobCheck = this.limits.verify();
		List<ShopRun> shops = new ArrayList<>();
		shops.add(new ShopRun(BenchmarkSettings.BIGINT, cancelled, drifted, restoreLimit, verifyLimit, night,
				afterLimit, afterJob, afterJobCheck, null, List.of(), List.of()));
		if (this.settings.uuidShop()) {
			shops.add(uuidShop());
		}
		if (this.settings.hotShop()) {
			shops.add(sideShop(BenchmarkSettings.HOT,
					this.settings.withSizes(this.settings.orders(), this.settings.hotProducts())));
		}
		if (this.settings.bigShop()) {
			shops.add(sideShop(BenchmarkSettings.BIG,
					this.settings.withSizes(BenchmarkSettings.BIG_SHOP_ORDERS, this.settings.bigProducts())));
		}

		List<JobRun> emptyHistoryNights = new ArrayList<>();
		List<JobRun> historyNights = new ArrayList<>();
		long historyOrders = 0;
		if (this.settings.incremental()) {
			progress("incremental: generating %,d orders of history", this.settings.historyFiller().size());
			this.shop.orders(this.settings.historyFiller(), this.settings.cancelledPerMille());
			this.shop.restoredBefore(this.settings.historyFiller());
			historyOrders = this.shop.count("SELECT count(*) FROM orders");
			this.shop.orders(this.settings.secondNightOrders(), 1000);
			incrementalNights(emptyHistoryNights, historyNights, historyOrders);
		}
		// last: it leaves a million audit rows and dead suspects for autovacuum
		LostCounters lostCounters = lostCounters();
		Machine.Load loadAtEnd = Machine.load();
		List<String> profile = new ArrayList<>();
		if (this.settings.profile()) {
			profile.addAll(Report.sessionProfile(night));
			profile.addAll(JfrProfile.summarize(night.recording(), 12));
		}
		return new Report(this.settings, machine, loadAtEnd, shops, lostCounters, emptyHistoryNights, historyNights,
				historyOrders, profile, (System.nanoTime() - this.startedAt) / 1e9);
	}

	/**
	 * Redis loses every counter of the bigint shop: the limit sets them again, Redis
	 * loses them again, and {@code verify} sets them.
	 */
	private LostCounters lostCounters() throws IOException, InterruptedException, SQLException {
		progress("Redis lost every counter: limit (COPY and pipelined MSET), then verify");
		this.stores.forgetCounters();
		VerifyLimit limit = this.limits.refill();
		VerifyLimit afterLimit = this.limits.verify();
		this.stores.forgetCounters();
		this.shop.checkpoint();
		JobRun verify = this.jobs.run("lost-counters", List.of("verify"));
		return new LostCounters(limit, afterLimit, verify, this.limits.verify());
	}

	/**
	 * The restore and verify of {@link UuidShop}, as for the bigint shop: the limit, then
	 * the job on the same data, then the checks. It lives in a database and a key prefix
	 * of its own (stockrecon's tables take the type of the shop's keys), removed at its
	 * end.
	 */
	private ShopRun uuidShop() throws IOException, InterruptedException, SQLException {
		BenchmarkStores uuidStores = this.stores.beside(BenchmarkSettings.UUID);
		// Ctrl-C still drops the database and unlinks the keys
		Runtime.getRuntime().addShutdownHook(new Thread(uuidStores::close, "benchmark-cleanup-uuid"));
		try (uuidStores) {
			UuidShop uuidShop = new UuidShop(this.settings, uuidStores);
			PhysicalLimits uuidLimits = new PhysicalLimits(uuidStores, this.settings, PhysicalLimits.UUID_SHOP);
			PackagedJob uuidJobs = new PackagedJob(this.settings, uuidStores, this.directory,
					BenchmarkSettings.UUID + "-", uuidShop.jobArguments());
			progress("uuid shop: database %s, key prefix %s, %s", uuidStores.database(), uuidStores.keyPrefix(),
					uuidStores.redisDatabaseAndOtherKeys());
			uuidShop.tables();
			uuidJobs.migrate();
			uuidShop.products();
			uuidShop.orders(this.settings.restoreOrders(), this.settings.cancelledPerMille());
			uuidShop.vacuum();
			long cancelled = uuidShop.cancelledOrders();
			progress("uuid shop: %,d orders, %,d of them cancelled; %,d products", this.settings.orders(), cancelled,
					this.settings.products());

			uuidShop.reset(this.settings.restoreOrders());
			progress("uuid shop: restore limit, then verify limit");
			RestoreLimit restoreLimit = uuidLimits.restore();
			Checksum afterLimit = uuidShop.checksum();
			VerifyLimit verifyLimit = uuidLimits.verify();

			long drifted = uuidShop.reset(this.settings.restoreOrders());
			progress("uuid shop: the nightly job on the same data");
			JobRun night = uuidJobs.run("night", LocalDate.of(2031, 1, 1));
			Checksum afterJob = uuidShop.checksum();
			VerifyLimit afterJobCheck = uuidLimits.verify();
			return new ShopRun(BenchmarkSettings.UUID, cancelled, drifted, restoreLimit, verifyLimit, night, afterLimit,
					afterJob, afterJobCheck, null, List.of(), List.of());
		}
	}

	/**
	 * A shop of other sizes, in a database and key prefix of its own: the restore
	 * scenario's orders over {@code bench.hotProducts} products (hot rows: every chunk
	 * touches the same products), or {@code bench.bigProducts} counters to verify. The
	 * limit, then the job on the same data, then the checks.
	 */
	private ShopRun sideShop(String label, BenchmarkSettings sizes)
			throws IOException, InterruptedException, SQLException {
		BenchmarkStores sideStores = this.stores.beside(label.toLowerCase(Locale.ROOT));
		// Ctrl-C still drops the database and unlinks the keys
		Runtime.getRuntime().addShutdownHook(new Thread(sideStores::close, "benchmark-cleanup-" + label));
		try (sideStores) {
			BenchmarkShop side = new BenchmarkShop(sizes, sideStores);
			PhysicalLimits sideLimits = new PhysicalLimits(sideStores, sizes, PhysicalLimits.BIGINT_SHOP);
			PackagedJob sideJobs = new PackagedJob(sizes, sideStores, this.directory, label + "-",
					List.of("--stockrecon.redis.key-prefix=" + sideStores.keyPrefix()));
			progress(label + " shop: database %s, key prefix %s, %s", sideStores.database(), sideStores.keyPrefix(),
					sideStores.redisDatabaseAndOtherKeys());
			sideJobs.migrate();
			side.products();
			side.orders(sizes.restoreOrders(), sizes.cancelledPerMille());
			side.vacuum();
			side.snapshot();
			long cancelled = side.cancelledOrders(sizes.restoreOrders());
			progress(label + " shop: %,d orders, %,d of them cancelled; %,d products", sizes.orders(), cancelled,
					sizes.products());

			/*
			 * The hot shop's row is a few seconds on either side, as exposed to the
			 * machine's moments as the incremental night: the limit and the job run
			 * bench.nights rounds there, alternating, and the round of the median ratio
			 * counts.
			 */
			int rounds = label.equals(BenchmarkSettings.HOT) ? this.settings.nights() : 1;
			List<ShopRun> runs = new ArrayList<>();
			VerifyLimit verifyLimit = null;
			KeyspaceWalk keyspaceWalk = null;
			for (int round = 1; round <= rounds; round++) {
				side.reset(sizes.restoreOrders());
				progress(label + " shop: restore limit, then verify limit" + of(round, rounds));
				RestoreLimit restoreLimit = sideLimits.restore();
				Checksum afterLimit = side.checksum();
				if (verifyLimit == null) {
					verifyLimit = sideLimits.verify();
				}
				if (keyspaceWalk == null && label.equals(BenchmarkSettings.BIG)) {
					progress(label + " shop: one SCAN over its keys alone, as the orphan scan asks for them");
					keyspaceWalk = sideLimits.keyspaceWalk();
				}

				long drifted = side.reset(sizes.restoreOrders());
				progress(label + " shop: the nightly job on the same data" + of(round, rounds));
				JobRun night = sideJobs.run((rounds > 1) ? "night-" + round : "night",
						LocalDate.of(2031, 1, 1).plusDays(round - 1));
				runs.add(new ShopRun(label, cancelled, drifted, restoreLimit, verifyLimit, night, afterLimit,
						side.checksum(), sideLimits.verify(), keyspaceWalk, List.of(), List.of()));
			}
			return ShopRun.medianOf(runs);
		}
	}

	private static String of(int round, int rounds) {
		return (rounds > 1) ? " (round %d of %d)".formatted(round, rounds) : "";
	}

	/**
	 * The incremental nights, the same new cancellations over no history and over the
	 * benchmark's shop with its history, alternating, so that both meet the machine in
	 * the same minutes (measured ten minutes and the heaviest phases apart, the nights
	 * over history lost up to 0.4 s in their restore steps that no run by hand showed).
	 * The shop without history is a shop of its own: the same products, and only the
	 * first night's orders.
	 */
	private void incrementalNights(List<JobRun> emptyHistoryNights, List<JobRun> historyNights, long historyOrders)
			throws IOException, InterruptedException, SQLException {
		BenchmarkStores emptyStores = this.stores.beside("nohistory");
		// Ctrl-C still drops the database and unlinks the keys
		Runtime.getRuntime().addShutdownHook(new Thread(emptyStores::close, "benchmark-cleanup-nohistory"));
		try (emptyStores) {
			BenchmarkShop empty = new BenchmarkShop(this.settings, emptyStores);
			PackagedJob emptyJobs = new PackagedJob(this.settings, emptyStores, this.directory, "nohistory-",
					List.of("--stockrecon.redis.key-prefix=" + emptyStores.keyPrefix()));
			progress("incremental, empty history: database %s, key prefix %s, %s", emptyStores.database(),
					emptyStores.keyPrefix(), emptyStores.redisDatabaseAndOtherKeys());
			emptyJobs.migrate();
			empty.products();
			empty.orders(this.settings.firstNightOrders(), 1000);
			for (int repeat = 1; repeat <= this.settings.nights(); repeat++) {
				progress("incremental, empty history: running the job (%d of %d)", repeat, this.settings.nights());
				emptyHistoryNights.add(night(empty, emptyJobs, "night-empty-history-" + repeat,
						this.settings.firstNightOrders(), LocalDate.of(2030, 1, 1).plusDays(repeat)));
				progress("incremental, %,d orders of history: running the job (%d of %d)", historyOrders, repeat,
						this.settings.nights());
				historyNights.add(night(this.shop, this.jobs, "night-with-history-" + repeat,
						this.settings.secondNightOrders(), LocalDate.of(2032, 1, 1).plusDays(repeat)));
			}
		}
	}

	/**
	 * One incremental night: the range's orders are cancelled and queued (again: a
	 * repeated night first forgets their restoration), the stock table rewritten in key
	 * order, the tables vacuumed, the counters equal to PostgreSQL but for the drift,
	 * then the job runs.
	 */
	private JobRun night(BenchmarkShop shop, PackagedJob jobs, String name, OrderRange newCancellations,
			LocalDate runDate) throws IOException, InterruptedException, SQLException {
		shop.forgetRestorations(newCancellations);
		shop.queueCancellations(newCancellations);
		shop.compactInventory();
		shop.vacuum();
		shop.loadCounters();
		shop.checkpoint();
		return jobs.run(name, runDate);
	}

	private void progress(String format, Object... arguments) {
		System.out.printf("[%6.1fs] %s%n", (System.nanoTime() - this.startedAt) / 1e9, format.formatted(arguments));
	}

}
