package io.stockrecon.benchmark;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.stockrecon.drift.VerifyStepsConfiguration;

/**
 * The figures of one benchmark run, and how they are printed.
 *
 * @param settings what was generated and how the job ran
 * @param machine what it ran on
 * @param loadAtEnd the load averages at the end
 * @param shops the restore and verify of each shop: the bigint one first, then the uuid
 * one when {@code bench.keys} asks for it
 * @param emptyHistoryNights the incremental night over an empty history, each run
 * @param historyNights the same night over the history, each run
 * @param historyOrders orders in the database during the second night
 * @param profile when profiling, where the nightly job's time went
 * @param totalSeconds the whole benchmark, generation included
 */
record Report(BenchmarkSettings settings, Machine machine, Machine.Load loadAtEnd, List<ShopRun> shops,
		LostCounters lostCounters, List<JobRun> emptyHistoryNights, List<JobRun> historyNights, long historyOrders,
		List<String> profile, double totalSeconds) implements BenchmarkReport {

	private static final double RATIO_TARGET = 2.0;

	/** Issue 12's target (issue 5 had 1.5x). */
	private static final double INCREMENTAL_TARGET = 1.1;

	/**
	 * On every shop, the job did what the limit did and left every counter equal to
	 * PostgreSQL, and both the limit and the verify after Redis lost its counters set
	 * every one.
	 */
	@Override
	public boolean consistent() {
		return this.shops.stream().allMatch(ShopRun::consistent) && this.lostCounters.consistent();
	}

	/** The benchmark's own shop, which the incremental nights over history run on. */
	private ShopRun bigint() {
		return this.shops.get(0);
	}

	@Override
	public List<String> lines() {
		List<String> lines = new ArrayList<>();
		lines.add("");
		lines.add("== stockrecon benchmark (issue 5) ==");
		lines.add("machine: " + this.machine.describe(this.loadAtEnd));
		ShopRun bigint = bigint();
		lines.add("shop: %,d orders x %d items, %,d cancelled; %,d products with counters, %,d drifted; scale %s"
			.formatted(this.settings.orders(), this.settings.itemsPerOrder(), bigint.cancelledOrders(),
					this.settings.products(), bigint.driftedCounters(), this.settings.scale()));
		for (ShopRun shop : this.shops.subList(1, this.shops.size())) {
			if (shop.keys().equals(BenchmarkSettings.HOT)) {
				lines.add("hot shop: the same orders over %,d products (hot rows): %,d cancelled, %,d drifted"
					.formatted(this.settings.hotProducts(), shop.cancelledOrders(), shop.driftedCounters()));
				continue;
			}
			if (shop.keys().equals(BenchmarkSettings.BIG)) {
				lines.add("10M shop: %,d products with counters, %,d drifted, orphan scan included (%,d orders)"
					.formatted(this.settings.bigProducts(), shop.driftedCounters(), BenchmarkSettings.BIG_SHOP_ORDERS));
				continue;
			}
			lines.add(("%s shop: the same orders, items, stock and drift in shop_orders, shop_order_items and "
					+ "shop_products with %s ids, mapped by stockrecon.shop.*: %,d cancelled, %,d drifted")
				.formatted(shop.keys(), shop.keys(), shop.cancelledOrders(), shop.driftedCounters()));
		}
		lines.add("job: java -Xmx%s%s -jar %s run %s (collector %s)".formatted(this.settings.jobHeap(),
				this.settings.jvmOptionsOnALine(), this.settings.jar(), this.settings.jobArguments().isEmpty()
						? "(default settings)" : String.join(" ", this.settings.jobArguments()),
				bigint.night().gc().collector()));
		lines.add("");
		lines.add(
				"phase            |   job s | limit s |  ratio | target       | rows/s (job)       | rows/s (limit)     | peak heap MB | live heap MB");
		lines.add(
				"-----------------+---------+---------+--------+--------------+--------------------+--------------------+--------------+-------------");
		for (ShopRun shop : this.shops) {
			// the big shop is there for its verify; its restore of a thousand orders is
			// no scenario
			if (!shop.keys().equals(BenchmarkSettings.BIG)) {
				lines.add(row("restore (%s)".formatted(shop.keys()), shop.night().phase(JobRun.RESTORE),
						shop.restoreLimit().seconds(), shop.cancelledOrders(), "orders"));
			}
			// the hot shop is there for its restore; its verify of 10 k counters is no
			// scenario
			if (!shop.keys().equals(BenchmarkSettings.HOT)) {
				lines.add(row("verify (%s)".formatted(shop.keys()), shop.night().phase(JobRun.VERIFY),
						shop.verifyLimit().seconds(), shop.verifyLimit().products(), "products"));
			}
		}
		lines.add(row("refill (bigint)", this.lostCounters.verify().phase(JobRun.VERIFY),
				this.lostCounters.limit().seconds(), this.lostCounters.limit().products(), "products", null));
		lines.add("");
		lines.add(("refill: Redis lost every counter of the bigint shop (a restart without persistence), then verify "
				+ "set them all (%,d suspects); limit: COPY of the stock and pipelined MSET into the empty Redis")
			.formatted(this.lostCounters.limit().products()));
		for (ShopRun shop : this.shops) {
			lines.add(("%s: restore limit: SQL transaction %.2f s + pipelined INCRBY %.2f s (%,d products); verify "
					+ "limit: %,d products compared, %,d differed")
				.formatted(shop.keys(), shop.restoreLimit().sqlSeconds(), shop.restoreLimit().redisSeconds(),
						shop.restoreLimit().products(), shop.verifyLimit().products(),
						shop.verifyLimit().mismatches()));
			lines.add(("%s: job %.1f s from process start to exit, %.1f s in the job execution (JVM start-up, "
					+ "Flyway and the summary: %.1f s)")
				.formatted(shop.keys(), shop.night().wallSeconds(), shop.night().jobSeconds(),
						shop.night().wallSeconds() - shop.night().jobSeconds()));
			if (shop.jobRounds().size() > 1) {
				lines
					.add(("%s: the round of the median ratio of %d, limit and job alternating; every round, restore s: "
							+ "limit %s; job %s; ratio %s (the best of each side, as until the sixteenth session: %.2fx)")
						.formatted(shop.keys(), shop.jobRounds().size(), joined(shop.limitRounds()),
								joined(shop.jobRounds()), ratios(shop.jobRounds(), shop.limitRounds()),
								min(shop.jobRounds()) / min(shop.limitRounds())));
			}
			if (!shop.keys().equals(BenchmarkSettings.HOT)) {
				lines.add(orphanScan(shop));
			}
			if (shop.keyspaceWalk() != null) {
				lines.add(keyspaceWalk(shop));
			}
		}
		lines.add(("peak heap: the largest heap before a collection, garbage included; live heap: the largest heap "
				+ "after the full collections the harness forces every %.0f s and once a second into every step "
				+ "(what the job really keeps)")
			.formatted(this.settings.liveHeapSeconds()));
		incremental(lines);
		for (ShopRun shop : this.shops) {
			nightDetails(lines, shop);
		}
		lines.add("");
		for (ShopRun shop : this.shops) {
			lines.add(("checks (%s): stock after the job %s stock after the limit; counters differing from "
					+ "PostgreSQL after the job: %,d; the job's verify: %s")
				.formatted(shop.keys(), shop.afterLimit().equals(shop.afterJob()) ? "equals" : "DIFFERS FROM",
						shop.afterJobCheck().mismatches(), shop.night().driftActions()));
		}
		lines.add(("checks (refill): counters differing from PostgreSQL after the limit: %,d, after the verify: %,d; "
				+ "its verify: %s")
			.formatted(this.lostCounters.afterLimit().mismatches(), this.lostCounters.afterVerify().mismatches(),
					this.lostCounters.verify().driftActions()));
		if (!this.profile.isEmpty()) {
			lines.add("");
			lines.add(
					"== profile of the nightly job (JFR and session sampling on: timings above include their cost) ==");
			lines.addAll(this.profile);
		}
		lines.add("");
		lines.add("benchmark took %.0f s in all, generation included".formatted(this.totalSeconds));
		return lines;
	}

	/** Where one shop's nightly job spent its time: steps, CPU, Redis commands. */
	private void nightDetails(List<String> lines, ShopRun shop) {
		JobRun night = shop.night();
		lines.add("");
		lines.add("steps of the nightly job (%s shop):".formatted(shop.keys()));
		lines
			.add("  step                       |       s |       read |    written |   filtered | commits |   items/s");
		for (JobRun.StepTiming step : night.steps()) {
			lines.add("  %-26s | %7.2f | %,10d | %,10d | %,10d | %7d | %,9.0f".formatted(step.stepName(),
					step.seconds(), step.readCount(), step.writeCount(), step.filterCount(), step.commitCount(),
					step.readCount() / Math.max(step.seconds(), 1e-3)));
		}
		lines.add(("CPU during the nightly job: its JVM %.1f s, its PostgreSQL sessions %.1f s, Redis %.1f s "
				+ "(the whole shared server), over %.1f s of wall time on %d cores")
			.formatted(night.jvmCpuSeconds(), night.postgresCpuSeconds(), night.redisCpuSeconds(), night.wallSeconds(),
					this.machine.cores()));
		lines.add("  JVM CPU by thread: " + night.threadCpuSeconds()
			.entrySet()
			.stream()
			.filter((entry) -> entry.getValue() >= 0.1)
			.sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()))
			.map((entry) -> "%s %.1f s".formatted(entry.getKey(), entry.getValue()))
			.collect(Collectors.joining(", ")));
		lines.add("Redis commands during the nightly job (shared server, approximate):");
		night.redisCommands()
			.entrySet()
			.stream()
			.sorted(Map.Entry
				.<String, RedisStat>comparingByValue(Comparator.comparingLong(RedisStat::microseconds).reversed()))
			.limit(6)
			.forEach((entry) -> lines.add("  %-10s %,10d calls, %7.2f s in Redis, %5.1f us a call".formatted(
					entry.getKey(), entry.getValue().calls(), entry.getValue().microseconds() / 1e6,
					(double) entry.getValue().microseconds() / entry.getValue().calls())));
	}

	private String row(String phase, JobRun.Phase job, double limitSeconds, long rows, String unit) {
		return row(phase, job, limitSeconds, rows, unit, RATIO_TARGET);
	}

	/**
	 * @param target the ratio the phase must stay within, {@code null} for a phase
	 * without one
	 */
	private String row(String phase, JobRun.Phase job, double limitSeconds, long rows, String unit, Double target) {
		double ratio = job.seconds() / limitSeconds;
		String verdict = (target != null) ? "<= %.1fx %-4s".formatted(target, (ratio <= target) ? "met" : "MISS")
				: "no target";
		return "%-16s | %7.2f | %7.2f | %5.2fx | %-12s | %,9.0f %-8s | %,9.0f %-8s | %12s | %12s".formatted(phase,
				job.seconds(), limitSeconds, ratio, verdict, rows / job.seconds(), unit, rows / limitSeconds, unit,
				number(job.peakHeapMegabytes()), number(job.liveHeapMegabytes()));
	}

	/**
	 * Whether the job's orphan scan walked the keyspace or ruled orphans out by counting
	 * (the benchmark's shops hold no orphan, and each has a Redis database of its own).
	 */
	private static String orphanScan(ShopRun shop) {
		long pages = shop.night()
			.steps()
			.stream()
			.filter((step) -> step.stepName().equals(VerifyStepsConfiguration.ORPHANS_STEP))
			.mapToLong(JobRun.StepTiming::readCount)
			.sum();
		return ((pages > 0) ? "%s: the orphan scan walked the keyspace (%,d SCAN pages checked)"
				: "%s: the orphan scan counted the database's keys instead of walking them (no orphan, no other key)")
			.formatted(shop.keys(), pages);
	}

	/**
	 * Redis's command time ({@code INFO commandstats}) for a verify that walks the
	 * keyspace as the job does when it cannot rule orphans out by counting (a
	 * {@code SCAN} with the key pattern) and reads every counter, beside the time the
	 * target allows the whole verify.
	 */
	private static String keyspaceWalk(ShopRun shop) {
		PhysicalLimits.KeyspaceWalk walk = shop.keyspaceWalk();
		double redis = shop.verifyLimit().redisSeconds() + walk.redisSeconds();
		double allowed = RATIO_TARGET * shop.verifyLimit().seconds();
		return ("%s: where the orphan scan must walk (an orphan, or other keys in the database), Redis's command "
				+ "time, measured alone: the verify limit's MGETs %.2f s + one SCAN over the "
				+ "database's %,d keys (%,d of them the shop's) %.2f s (%.2f s of wall) = %.2f s; the target allows %.1f x %.2f s "
				+ "= %.2f s for the whole verify, so the limit's reads and one walk of the keyspace take %.0f %% of it in "
				+ "Redis alone")
			.formatted(shop.keys(), shop.verifyLimit().redisSeconds(), walk.databaseKeys(), walk.keys(),
					walk.redisSeconds(), walk.seconds(), redis, RATIO_TARGET, shop.verifyLimit().seconds(), allowed,
					100 * redis / allowed);
	}

	private void incremental(List<String> lines) {
		if (this.emptyHistoryNights.isEmpty() || this.historyNights.isEmpty()) {
			lines.add("incremental: skipped (bench.history=0)");
			return;
		}
		List<Double> emptyJobs = this.emptyHistoryNights.stream().map(JobRun::jobSeconds).toList();
		List<Double> historyJobs = this.historyNights.stream().map(JobRun::jobSeconds).toList();
		// the nights ran in pairs, without history first: the pair of the median ratio
		// counts
		int pair = Rounds.median(IntStream.range(0, historyJobs.size()).boxed().toList(),
				(i) -> historyJobs.get(i) / emptyJobs.get(i));
		JobRun firstNight = this.emptyHistoryNights.get(pair);
		JobRun secondNight = this.historyNights.get(pair);
		lines.add("");
		lines.add(("incremental night, %,d new cancellations (the whole nightly job, and its restore steps alone; "
				+ "the pair of the median ratio of %d pairs, run one after the other):")
			.formatted(this.settings.newCancellations(), this.historyNights.size()));
		JobRun.Phase emptyRestore = firstNight.phase(JobRun.RESTORE);
		JobRun.Phase historyRestore = secondNight.phase(JobRun.RESTORE);
		lines.add("  no history:                    job %7.2f s, restore steps %6.2f s, verify steps %6.2f s"
			.formatted(firstNight.jobSeconds(), emptyRestore.seconds(), firstNight.phase(JobRun.VERIFY).seconds()));
		lines.add("  %,11d orders of history: job %7.2f s, restore steps %6.2f s, verify steps %6.2f s".formatted(
				this.historyOrders, secondNight.jobSeconds(), historyRestore.seconds(),
				secondNight.phase(JobRun.VERIFY).seconds()));
		double ratio = secondNight.jobSeconds() / firstNight.jobSeconds();
		lines.add("  ratio: job %.2fx (target <= %.1fx: %s), restore steps %.2fx".formatted(ratio, INCREMENTAL_TARGET,
				(ratio <= INCREMENTAL_TARGET) ? "met" : "MISSED", historyRestore.seconds() / emptyRestore.seconds()));
		lines.add(("  every pair, job s: no history %s; with history %s; ratio %s (the best of each side, as until "
				+ "the sixteenth session: %.2fx)")
			.formatted(joined(emptyJobs), joined(historyJobs), ratios(historyJobs, emptyJobs),
					min(historyJobs) / min(emptyJobs)));
		lines.add("memory, live heap per phase (must not grow with orders or products):");
		lines.add("  restore: %,d orders %s | %,d orders %s | %,d orders over history %s".formatted(
				this.settings.newCancellations(), megabytes(emptyRestore.liveHeapMegabytes()),
				bigint().cancelledOrders(), megabytes(bigint().night().phase(JobRun.RESTORE).liveHeapMegabytes()),
				this.settings.newCancellations(), megabytes(historyRestore.liveHeapMegabytes())));
		lines.add("  verify (%,d products, three runs): %s | %s | %s".formatted(this.settings.products(),
				megabytes(firstNight.phase(JobRun.VERIFY).liveHeapMegabytes()),
				megabytes(bigint().night().phase(JobRun.VERIFY).liveHeapMegabytes()),
				megabytes(secondNight.phase(JobRun.VERIFY).liveHeapMegabytes())));
	}

	private static String joined(List<Double> seconds) {
		return seconds.stream().map((value) -> "%.2f".formatted(value)).collect(Collectors.joining(", "));
	}

	/** Each round's ratio, in the order they ran. */
	private static String ratios(List<Double> jobs, List<Double> limits) {
		return IntStream.range(0, jobs.size())
			.mapToObj((i) -> "%.2fx".formatted(jobs.get(i) / limits.get(i)))
			.collect(Collectors.joining(", "));
	}

	private static double min(List<Double> seconds) {
		return seconds.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
	}

	/** Per step, what the job's PostgreSQL sessions were doing, from the samples. */
	static List<String> sessionProfile(JobRun run) {
		List<String> lines = new ArrayList<>();
		lines.add("PostgreSQL sessions of the job, sampled every 50 ms (share of the step's samples):");
		run.sessionSamples().forEach((step, samples) -> {
			int ticks = run.ticksByStep().getOrDefault(step, 0);
			if (ticks < 10) {
				return;
			}
			lines.add("  %s (%d samples):".formatted(step, ticks));
			samples.entrySet()
				.stream()
				.sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()))
				.limit(10)
				.forEach((entry) -> lines
					.add("    %5.1f %%  %s".formatted(100.0 * entry.getValue() / ticks, entry.getKey())));
		});
		return lines;
	}

	private static String number(OptionalDouble value) {
		return value.isPresent() ? "%.0f".formatted(value.getAsDouble()) : "no GC";
	}

	private static String megabytes(OptionalDouble value) {
		return value.isPresent() ? "%.0f MB".formatted(value.getAsDouble()) : "no GC";
	}

}
