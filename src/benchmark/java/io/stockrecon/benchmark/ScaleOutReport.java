package io.stockrecon.benchmark;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

import io.stockrecon.benchmark.PhysicalLimits.VerifyLimit;
import io.stockrecon.drift.DriftAction;

/**
 * The figures of one scale-out benchmark run, and how they are printed: each
 * configuration's verify against the one-process verify of the same run, and a projection
 * to more machines from what each store spent per counter.
 *
 * @param settings what was generated and how the job ran
 * @param machine what it ran on
 * @param loadAtEnd the load averages at the end
 * @param driftedCounters counters that disagree with PostgreSQL before each run
 * @param limit reading both sides once
 * @param configurations the configurations, the baseline first
 * @param runs every run, round after round
 * @param totalSeconds the whole benchmark, generation included
 */
record ScaleOutReport(BenchmarkSettings settings, Machine machine, Machine.Load loadAtEnd, long driftedCounters,
		VerifyLimit limit, List<Configuration> configurations, List<Measured> runs,
		double totalSeconds) implements BenchmarkReport {

	/** Every run repaired all the drift, and left every counter equal to PostgreSQL. */
	@Override
	public boolean consistent() {
		return this.runs.stream().allMatch((run) -> run.differingAfter() == 0 && run.repaired() == run.drifted());
	}

	@Override
	public List<String> lines() {
		List<String> lines = new ArrayList<>();
		lines.add("");
		lines.add("== stockrecon scale-out benchmark (issue 7) ==");
		lines.add("machine: " + this.machine.describe(this.loadAtEnd));
		lines.add("shop: %,d products with counters, %,d drifted before each run; scale %s"
			.formatted(this.settings.products(), this.driftedCounters, this.settings.scale()));
		lines.add("verify limit (a COPY of the stock column and pipelined MGETs, one thread): %.1f s, %,.0f products/s"
			.formatted(this.limit.seconds(), this.limit.products() / this.limit.seconds()));
		lines.add("job: java -Xmx%s%s -jar %s verify [configuration]%s".formatted(this.settings.jobHeap(),
				this.settings.jvmOptionsOnALine(), this.settings.jar(),
				this.settings.jobArguments().isEmpty() ? "" : " " + String.join(" ", this.settings.jobArguments())));
		lines.add("");
		lines.add(
				"configuration                                 | verify s | findDrift s |  products/s | speed-up | JVM CPU s | PostgreSQL CPU s | Redis CPU s | machine busy | repaired | differ after");
		lines.add(
				"----------------------------------------------+----------+-------------+-------------+----------+-----------+------------------+-------------+--------------+----------+-------------");
		Measured baseline = best(this.configurations.get(0));
		for (Configuration configuration : this.configurations) {
			Measured run = best(configuration);
			lines.add("%-45s | %8.1f | %11.1f | %,11.0f | %7.2fx | %9.1f | %16.1f | %11.1f | %10.0f %% | %,8d | %,12d"
				.formatted(configuration.describe() + ((run == baseline) ? " (baseline)" : ""), run.verifySeconds(),
						run.findSeconds(), this.settings.products() / run.verifySeconds(),
						baseline.verifySeconds() / run.verifySeconds(), run.jvmCpuSeconds(), run.postgresCpuSeconds(),
						run.redisCpuSeconds(), 100 * run.cpuSeconds() / (run.verifySeconds() * this.machine.cores()),
						run.repaired(), run.differingAfter()));
		}
		lines.add("");
		lines.add(("verify s: the verify steps (findDrift, findOrphanCounters, repairDrift) from the job repository; "
				+ "speed-up: the baseline's verify s over the configuration's, both from this run%s. CPU during the "
				+ "verify steps: JVM, the job's and, remote, its workers' (their whole run); PostgreSQL, the "
				+ "sessions of the job and its workers; Redis, the server's (shared, approximate); machine busy: "
				+ "all of it over the verify's time on every core.")
			.formatted((this.settings.nights() > 1) ? ", best of " + this.settings.nights() + " rounds" : ""));
		if (this.settings.nights() > 1) {
			lines.add("every run, verify s: " + this.configurations.stream()
				.map((configuration) -> configuration.name() + " "
						+ this.runs.stream()
							.filter((run) -> run.configuration().equals(configuration))
							.map((run) -> "%.1f".formatted(run.verifySeconds()))
							.collect(Collectors.joining(", ")))
				.collect(Collectors.joining("; ")));
		}
		projection(lines, baseline);
		lines.add("");
		lines.add("benchmark took %.0f s in all, generation included".formatted(this.totalSeconds));
		return lines;
	}

	/**
	 * Where more machines stop helping. Only findDrift is partitioned; the steps after it
	 * run once. A worker JVM runs one partition at a time, so N workers find drift at
	 * most N times one partition's rate, until a store they share saturates: Redis runs
	 * commands on one thread, PostgreSQL a session on one core.
	 */
	private void projection(List<String> lines, Measured baseline) {
		double products = this.settings.products();
		double find = baseline.findSeconds();
		double sequential = baseline.verifySeconds() - find;
		JobRun.CpuSample findCpu = baseline.job().phase((step) -> step.startsWith("findDrift")).cpu();
		double onePartition = products / find;
		double redisCap = products / Math.max(findCpu.redisSeconds(), 1e-3);
		double postgresCapPerCore = products / Math.max(findCpu.postgresSeconds(), 1e-3);
		double cap = Math.min(redisCap, 4 * postgresCapPerCore);
		lines.add("");
		lines.add("projection to N machines, from the baseline:");
		lines
			.add(("  findDrift, the partitioned step, took %.1f s of the verify's %.1f s; findOrphanCounters (a count of "
					+ "the keys, which waits for findDrift, or a walk of the keyspace) %.1f s and repairDrift %.1f s run once")
				.formatted(find, baseline.verifySeconds(), baseline.stepSeconds("findOrphanCounters"),
						baseline.stepSeconds("repairDrift")));
		lines
			.add(("  so N workers verify in about %.1f + %.1f / N s: %.1f s with 2, %.1f s with 8, never under %.1f s; "
					+ "the unpartitioned steps are the first bottleneck")
				.formatted(sequential, find, sequential + find / 2, sequential + find / 8, sequential));
		lines.add(("  one findDrift partition compares %,.0f products/s, costing %.1f us of JVM CPU, %.1f us of "
				+ "PostgreSQL and %.1f us of Redis a product")
			.formatted(onePartition, 1e6 * findCpu.jvmSeconds() / products, 1e6 / postgresCapPerCore, 1e6 / redisCap));
		lines.add(("  findDrift itself stops scaling where a store saturates: Redis (one thread) near %,.0f products/s "
				+ "(%.0f workers), PostgreSQL near %,.0f products/s per core of its server (%.0f workers a core); "
				+ "with a 4-core PostgreSQL that is %s, at %.1f s for %,.0f products")
			.formatted(redisCap, redisCap / onePartition, postgresCapPerCore, postgresCapPerCore / onePartition,
					(redisCap < 4 * postgresCapPerCore) ? "Redis" : "PostgreSQL", products / cap, products));
		double busy = baseline.cpuSeconds() / (baseline.verifySeconds() * this.machine.cores());
		lines.add(("  on this machine one partition kept %.0f %% of its %d cores busy (the JVM, PostgreSQL and Redis "
				+ "share them), so no configuration can be more than %.1fx faster here")
			.formatted(100 * busy, this.machine.cores(), 1 / busy));
	}

	private Measured best(Configuration configuration) {
		return this.runs.stream()
			.filter((run) -> run.configuration().equals(configuration))
			.min(Comparator.comparingDouble(Measured::verifySeconds))
			.orElseThrow();
	}

	/**
	 * How the verify runs.
	 *
	 * @param name for file names
	 * @param partitions partitions of the findDrift step
	 * @param workers worker JVMs; 0 runs the partitions on as many threads of the job's
	 * JVM
	 */
	record Configuration(String name, int partitions, int workers) {

		static Configuration local(int partitions) {
			return new Configuration("local-" + partitions, partitions, 0);
		}

		/** Two partitions a worker: one finishing late does not leave the other idle. */
		static Configuration remote(int workers) {
			return new Configuration("remote-" + workers + "-workers", 2 * workers, workers);
		}

		List<String> command() {
			if (this.workers > 0) {
				return List.of("verify", "--remote", "--partitions=" + this.partitions);
			}
			if (this.partitions == 1) {
				return List.of("verify");
			}
			return List.of("verify", "--partitions=" + this.partitions, "--threads=" + this.partitions);
		}

		String describe() {
			if (this.workers > 0) {
				return "manager + %d worker JVMs, %d partitions".formatted(this.workers, this.partitions);
			}
			if (this.partitions == 1) {
				return "1 process, 1 partition";
			}
			return "1 process, %d partitions on %d threads".formatted(this.partitions, this.partitions);
		}

	}

	/**
	 * One verify run.
	 *
	 * @param configuration how it ran
	 * @param round which round of the benchmark
	 * @param job the manager's (or single process's) run
	 * @param workerCpuSeconds CPU time the workers spent during the run
	 * @param drifted counters drifted before the run
	 * @param differingAfter counters that differ from PostgreSQL after it
	 */
	record Measured(Configuration configuration, int round, JobRun job, double workerCpuSeconds, long drifted,
			long differingAfter) {

		double verifySeconds() {
			return this.job.phase(JobRun.VERIFY).seconds();
		}

		double findSeconds() {
			return this.job.phase((step) -> step.startsWith("findDrift")).seconds();
		}

		/** The verify's JVM CPU: the job's in its verify steps, and the workers'. */
		double stepSeconds(String step) {
			return this.job.phase((name) -> name.equals(step)).seconds();
		}

		double jvmCpuSeconds() {
			return this.job.phase(JobRun.VERIFY).cpu().jvmSeconds() + this.workerCpuSeconds;
		}

		double postgresCpuSeconds() {
			return this.job.phase(JobRun.VERIFY).cpu().postgresSeconds();
		}

		double redisCpuSeconds() {
			return this.job.phase(JobRun.VERIFY).cpu().redisSeconds();
		}

		double cpuSeconds() {
			return jvmCpuSeconds() + postgresCpuSeconds() + redisCpuSeconds();
		}

		/** Counters the verify set back to PostgreSQL's stock, by its audit. */
		long repaired() {
			return this.job.driftActions().getOrDefault(DriftAction.REPAIRED.code(), 0L);
		}

	}

}
