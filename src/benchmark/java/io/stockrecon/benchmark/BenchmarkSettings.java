package io.stockrecon.benchmark;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * What the benchmark generates and how it runs the job, from {@code -Dbench.*} system
 * properties. Every size defaults to the figure times {@code bench.scale}, so
 * {@code -Dbench.scale=0.05} is a smoke test of a couple of minutes.
 *
 * @param scale the factor applied to every default size
 * @param orders orders of the restore scenario
 * @param itemsPerOrder items of each order
 * @param cancelledPerMille share of those orders that are cancelled, per mille
 * @param products products in {@code inventory}, each with its Redis counter
 * @param driftPerMillion share of counters that disagree with PostgreSQL, per million
 * @param history orders of history in the incremental scenario; 0 skips it
 * @param newCancellations new cancellations of each incremental night
 * @param nights how many times each incremental night and the hot shop's limit and job
 * run, alternating (the round of the median ratio counts, see {@link Rounds}), or each
 * scale-out configuration runs (the best counts)
 * @param jobHeap the job's {@code -Xmx}
 * @param jvmOptions options for the job's JVM besides its heap: by default
 * {@link #LAUNCHERS_JVM_OPTIONS}, as the launchers in {@code jobs/} start it; try another
 * launch (such as {@code -XX:TieredStopAtLevel=1}) without editing anything
 * @param liveHeapSeconds how often to force a full collection in the job's JVM to see its
 * live heap; 0 never
 * @param profile record JFR and sample PostgreSQL sessions during each job run
 * @param keep keep the database and the Redis keys at the end, to look at them
 * @param jobArguments extra options for every job launch, such as
 * {@code --stockrecon.restore.chunk-size=2000}
 * @param jar the packaged job
 * @param outputDirectory where job logs, GC logs, recordings and the report go
 * @param postgresUrl the server, without a database name
 * @param postgresUser a user that may create databases
 * @param postgresPassword its password
 * @param redisHost Redis host
 * @param redisPort Redis port
 * @param rabbitHost the RabbitMQ host of the remote runs ({@code guest}/{@code guest})
 * @param scenario {@code nightly} (issue 5: restore, verify, incremental night) or
 * {@code scale-out} (issue 7: the verify on one process, on local partitions, and on
 * worker JVMs)
 * @param partitions the scale-out scenario's local partition counts, each with as many
 * threads; the first is the baseline
 * @param workers the scale-out scenario's worker JVMs; 0 skips the remote run
 * @param keys the key types of the nightly scenario's shops: {@code bigint} (the
 * benchmark's own shop, always) and {@code uuid} ({@link UuidShop}: the same data in
 * mapped tables with uuid ids)
 * @param hotProducts products of the hot-rows shop: the restore scenario's orders over
 * this few products, so that every chunk touches the same rows; 0 skips it
 * @param bigProducts counters of the big shop, whose verify (orphan scan included) is
 * measured at issue 12's 10 M; 0 skips it
 */
record BenchmarkSettings(String scenario, List<Integer> partitions, int workers, double scale, long orders,
		int itemsPerOrder, int cancelledPerMille, long products, int driftPerMillion, long history,
		long newCancellations, int nights, String jobHeap, List<String> jvmOptions, double liveHeapSeconds,
		boolean profile, boolean keep, List<String> jobArguments, Path jar, Path outputDirectory, String postgresUrl,
		String postgresUser, String postgresPassword, String redisHost, int redisPort, String rabbitHost,
		List<String> keys, long hotProducts, long bigProducts) {

	static final String NIGHTLY = "nightly";

	static final String SCALE_OUT = "scale-out";

	static final String BIGINT = "bigint";

	static final String UUID = "uuid";

	/** The label of the hot-rows shop's rows. */
	static final String HOT = "hot";

	/** The label of the big shop's rows. */
	static final String BIG = "10M";

	/** Orders of the big shop: it is there for its verify. */
	static final long BIG_SHOP_ORDERS = 1_000;

	/**
	 * The JVM options every launcher in {@code jobs/} and the {@code Dockerfile} gives
	 * the job besides its heap (the option {@code LaunchFilesTests} checks in each of
	 * them): the benchmark measures the job as it is launched.
	 */
	static final String LAUNCHERS_JVM_OPTIONS = "-XX:+UseSerialGC";

	static BenchmarkSettings fromSystemProperties() {
		String scenario = text("bench.scenario", NIGHTLY);
		if (!List.of(NIGHTLY, SCALE_OUT).contains(scenario)) {
			throw new IllegalArgumentException(
					"bench.scenario is '%s'; it is %s or %s".formatted(scenario, NIGHTLY, SCALE_OUT));
		}
		double scale = decimal("bench.scale", 1.0);
		long orders = count("bench.orders", Math.round(1_000_000 * scale));
		// issue 7 verifies 10 M counters, issue 5 1 M
		long products = count("bench.products",
				Math.round((scenario.equals(SCALE_OUT) ? 10_000_000 : 1_000_000) * scale));
		long history = count("bench.history", Math.round(10_000_000 * scale));
		long newCancellations = count("bench.newCancellations", Math.max(100, Math.round(10_000 * scale)));
		String arguments = text("bench.jobArgs", "").trim();
		String jvmOptions = text("bench.jvmOptions", LAUNCHERS_JVM_OPTIONS).trim();
		List<Integer> partitions = Arrays.stream(text("bench.partitions", "1,2,4").split(","))
			.map(String::trim)
			.map(Integer::valueOf)
			.toList();
		List<String> keys = Arrays.stream(text("bench.keys", BIGINT + "," + UUID).split(","))
			.map(String::trim)
			.toList();
		if (!keys.contains(BIGINT) || !List.of(BIGINT, UUID).containsAll(keys)) {
			throw new IllegalArgumentException(
					"bench.keys is '%s'; it is %s or %s,%s: the bigint shop is the reference the uuid shop is compared with"
						.formatted(String.join(",", keys), BIGINT, BIGINT, UUID));
		}
		return new BenchmarkSettings(scenario, partitions, (int) count("bench.workers", 2), scale, orders,
				(int) count("bench.itemsPerOrder", 3), (int) Math.round(decimal("bench.cancelled", 0.4) * 1000),
				products, (int) Math.round(decimal("bench.drift", 0.001) * 1_000_000), history, newCancellations,
				(int) count("bench.nights", scenario.equals(SCALE_OUT) ? 1 : 5), text("bench.jobHeap", "256m"),
				jvmOptions.isEmpty() ? List.of() : Arrays.asList(jvmOptions.split("\\s+")),
				decimal("bench.liveHeapSeconds", 5), Boolean.parseBoolean(text("bench.profile", "false")),
				Boolean.parseBoolean(text("bench.keep", "false")),
				arguments.isEmpty() ? List.of() : Arrays.asList(arguments.split("\\s+")),
				Path.of(text("bench.jar", "target/stockrecon.jar")), Path.of(text("bench.output", "target/benchmark")),
				text("bench.pg.url", "jdbc:postgresql://127.0.0.1:5432/"), text("bench.pg.user", "postgres"),
				text("bench.pg.password", ""), text("bench.redis.host", "127.0.0.1"),
				(int) count("bench.redis.port", 6379), text("bench.rabbit.host", "127.0.0.1"), keys,
				count("bench.hotProducts", 10_000), count("bench.bigProducts", Math.round(10_000_000 * scale)));
	}

	/** The JVM options as a launch line shows them: empty, or a space and the options. */
	String jvmOptionsOnALine() {
		return this.jvmOptions.isEmpty() ? "" : " " + String.join(" ", this.jvmOptions);
	}

	/**
	 * The ids of each scenario's orders, disjoint: the first incremental night's new
	 * cancellations, the restore scenario, the history filler, the second night's new
	 * cancellations. By the second night everything before it is history.
	 */
	OrderRange firstNightOrders() {
		return new OrderRange(1, this.newCancellations);
	}

	OrderRange restoreOrders() {
		return new OrderRange(this.newCancellations + 1, this.newCancellations + this.orders);
	}

	OrderRange historyFiller() {
		return new OrderRange(this.newCancellations + this.orders + 1,
				Math.max(this.history, this.newCancellations + this.orders));
	}

	OrderRange secondNightOrders() {
		long first = historyFiller().last() + 1;
		return new OrderRange(first, first + this.newCancellations - 1);
	}

	/** Whether the nightly scenario also runs {@link UuidShop}. */
	boolean uuidShop() {
		return this.scenario.equals(NIGHTLY) && this.keys.contains(UUID);
	}

	/** Whether the nightly scenario also runs the hot-rows shop. */
	boolean hotShop() {
		return this.scenario.equals(NIGHTLY) && this.hotProducts > 0;
	}

	/** Whether the nightly scenario also runs the big shop. */
	boolean bigShop() {
		return this.scenario.equals(NIGHTLY) && this.bigProducts > 0;
	}

	/** These settings with other sizes: a side shop's (hot or big). */
	BenchmarkSettings withSizes(long orders, long products) {
		return new BenchmarkSettings(this.scenario, this.partitions, this.workers, this.scale, orders,
				this.itemsPerOrder, this.cancelledPerMille, products, this.driftPerMillion, this.history,
				this.newCancellations, this.nights, this.jobHeap, this.jvmOptions, this.liveHeapSeconds, this.profile,
				this.keep, this.jobArguments, this.jar, this.outputDirectory, this.postgresUrl, this.postgresUser,
				this.postgresPassword, this.redisHost, this.redisPort, this.rabbitHost, this.keys, this.hotProducts,
				this.bigProducts);
	}

	boolean incremental() {
		return this.history > 0 && this.newCancellations > 0;
	}

	private static String text(String name, String fallback) {
		String value = System.getProperty(name);
		// the Maven profile forwards every property, empty when it was not given
		return (value == null || value.isBlank()) ? fallback : value.trim();
	}

	private static long count(String name, long fallback) {
		return Long.parseLong(text(name, Long.toString(fallback)).replace("_", ""));
	}

	private static double decimal(String name, double fallback) {
		return Double.parseDouble(text(name, Double.toString(fallback)));
	}

	/**
	 * Order ids from first to last, inclusive; empty when last is before first.
	 */
	record OrderRange(long first, long last) {

		long size() {
			return Math.max(0, this.last - this.first + 1);
		}

	}

}
