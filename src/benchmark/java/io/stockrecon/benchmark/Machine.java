package io.stockrecon.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the figures were measured on. The load average is there because the benchmark
 * machine is often shared: a load above the core count at start or end means noisy
 * figures.
 *
 * @param cores processors the JVM sees
 * @param cpu the processor model
 * @param memoryGibibytes physical memory
 * @param java the JVM that runs the harness and the job
 * @param postgres the PostgreSQL server's version
 * @param redis the Redis server's version
 * @param loadAtStart the load averages when the benchmark started
 */
record Machine(int cores, String cpu, double memoryGibibytes, String java, String postgres, String redis,
		Load loadAtStart) {

	static Machine describe(BenchmarkStores stores) {
		String redisVersion = stores.redis()
			.sync()
			.info("server")
			.lines()
			.filter((line) -> line.startsWith("redis_version:"))
			.map((line) -> line.substring("redis_version:".length()).trim())
			.findFirst()
			.orElse("?");
		return new Machine(Runtime.getRuntime().availableProcessors(), procField("/proc/cpuinfo", "model name"),
				kibibytes(procField("/proc/meminfo", "MemTotal")) / 1024.0 / 1024.0,
				System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
				stores.jdbc().sql("SHOW server_version").query(String.class).single(), redisVersion, load());
	}

	static Load load() {
		try {
			String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
			return new Load(Double.parseDouble(fields[0]), Double.parseDouble(fields[1]),
					Double.parseDouble(fields[2]));
		}
		catch (IOException | RuntimeException ex) {
			return new Load(-1, -1, -1);
		}
	}

	String describe(Load loadAtEnd) {
		return "%d cores (%s), %.1f GiB, %s, PostgreSQL %s, Redis %s; load average %s at start, %s at end".formatted(
				this.cores, this.cpu, this.memoryGibibytes, this.java, this.postgres, this.redis, this.loadAtStart,
				loadAtEnd);
	}

	private static String procField(String file, String name) {
		try {
			List<String> lines = Files.readAllLines(Path.of(file));
			return lines.stream()
				.filter((line) -> line.startsWith(name))
				.map((line) -> line.substring(line.indexOf(':') + 1).trim())
				.findFirst()
				.orElse("?");
		}
		catch (IOException ex) {
			return "?";
		}
	}

	private static long kibibytes(String value) {
		try {
			return Long.parseLong(value.replaceAll("[^0-9]", ""));
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

	/**
	 * Load averages over 1, 5 and 15 minutes.
	 */
	record Load(double one, double five, double fifteen) {

		@Override
		public String toString() {
			return "%.2f/%.2f/%.2f".formatted(this.one, this.five, this.fifteen);
		}

	}

}
