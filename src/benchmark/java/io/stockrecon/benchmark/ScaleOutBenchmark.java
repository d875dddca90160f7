package io.stockrecon.benchmark;

import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.stockrecon.benchmark.PhysicalLimits.VerifyLimit;
import io.stockrecon.benchmark.ScaleOutReport.Configuration;
import io.stockrecon.benchmark.ScaleOutReport.Measured;

/**
 * The scale-out benchmark of issue 7, in one run: the verify of every counter (10 M at
 * scale 1), on one process, on 2 and 4 local partitions with as many threads, and on a
 * manager with 2 worker JVMs over RabbitMQ, each against the one-process run of the same
 * benchmark.
 * <ol>
 * <li>generates {@code inventory} and a counter for every product, a share drifted;</li>
 * <li>measures the physical limit of the verify: a {@code COPY} of the stock column and
 * pipelined {@code MGET}s;</li>
 * <li>for each configuration, drifts the same counters again and runs the packaged jar's
 * {@code verify}, then checks that every counter equals PostgreSQL;</li>
 * <li>prints time, speed-up over one process, CPU of the JVMs, PostgreSQL and Redis, and
 * from these where more machines would stop helping.</li>
 * </ol>
 * Run it with {@code ./mvnw -B -Pbenchmark verify -Dbench.scenario=scale-out}.
 */
final class ScaleOutBenchmark {

	private final BenchmarkSettings settings;

	private final BenchmarkShop shop;

	private final PhysicalLimits limits;

	private final PackagedJob jobs;

	private final BenchmarkStores stores;

	private final long startedAt = System.nanoTime();

	ScaleOutBenchmark(BenchmarkSettings settings, BenchmarkStores stores, PackagedJob jobs) {
		this.settings = settings;
		this.stores = stores;
		this.shop = new BenchmarkShop(settings, stores);
		this.limits = new PhysicalLimits(stores, settings, PhysicalLimits.BIGINT_SHOP);
		this.jobs = jobs;
	}

	ScaleOutReport run() throws IOException, InterruptedException, SQLException {
		Machine machine = Machine.describe(this.stores);
		progress("database %s, key prefix %s, queue %s", this.stores.database(), this.stores.keyPrefix(),
				this.stores.queue());
		this.jobs.migrate();
		this.shop.products();
		long drifted = this.shop.loadCounters();
		this.shop.vacuum();
		this.shop.checkpoint();
		progress("%,d products with counters, %,d drifted", this.settings.products(), drifted);
		progress("verify limit: COPY and pipelined MGET");
		VerifyLimit limit = this.limits.verify();

		List<Configuration> configurations = new ArrayList<>();
		this.settings.partitions().forEach((partitions) -> configurations.add(Configuration.local(partitions)));
		if (this.settings.workers() > 0) {
			configurations.add(Configuration.remote(this.settings.workers()));
		}
		List<Measured> runs = new ArrayList<>();
		// round after round, so that a machine that gets busier slows every configuration
		for (int round = 1; round <= this.settings.nights(); round++) {
			for (Configuration configuration : configurations) {
				runs.add(measure(configuration, round));
			}
		}
		return new ScaleOutReport(this.settings, machine, Machine.load(), drifted, limit, configurations, runs,
				(System.nanoTime() - this.startedAt) / 1e9);
	}

	private Measured measure(Configuration configuration, int round)
			throws IOException, InterruptedException, SQLException {
		long drifted = this.shop.driftCountersAgain();
		this.shop.checkpoint();
		String name = configuration.name() + "-" + round;
		progress("%s (round %d of %d): verify of %,d counters", configuration.describe(), round, this.settings.nights(),
				this.settings.products());
		List<Process> workers = startWorkers(name, configuration.workers());
		try {
			double[] workerCpuBefore = workers.stream().mapToDouble(ScaleOutBenchmark::cpuSeconds).toArray();
			JobRun run = this.jobs.run(name, configuration.command());
			double workerCpu = 0;
			for (int i = 0; i < workers.size(); i++) {
				workerCpu += cpuSeconds(workers.get(i)) - workerCpuBefore[i];
			}
			VerifyLimit after = this.limits.verify();
			progress("%s: verify steps %.1f s, %,d counters differ from PostgreSQL afterwards",
					configuration.describe(), run.phase(JobRun.VERIFY).seconds(), after.mismatches());
			return new Measured(configuration, round, run, workerCpu, drifted, after.mismatches());
		}
		finally {
			stop(workers);
		}
	}

	/** Fresh workers for each remote run: their CPU and sessions are the run's alone. */
	private List<Process> startWorkers(String name, int count) throws IOException, InterruptedException {
		List<Process> workers = new ArrayList<>();
		for (int i = 1; i <= count; i++) {
			workers.add(this.jobs.startWorker(name + "-worker-" + i));
		}
		for (int i = 1; i <= count; i++) {
			this.jobs.awaitListening(name + "-worker-" + i, workers.get(i - 1));
		}
		return workers;
	}

	private static void stop(List<Process> workers) throws InterruptedException {
		for (Process worker : workers) {
			// SIGTERM: a worker ends its Spring context and leaves the queue cleanly
			worker.destroy();
		}
		for (Process worker : workers) {
			if (!worker.waitFor(30, TimeUnit.SECONDS)) {
				worker.destroyForcibly();
			}
		}
	}

	private static double cpuSeconds(Process process) {
		return RunSampler.cpuSeconds(process.pid()).orElse(0);
	}

	private void progress(String format, Object... arguments) {
		System.out.printf("[%6.1fs] %s%n", (System.nanoTime() - this.startedAt) / 1e9, format.formatted(arguments));
	}

}
