package io.stockrecon.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.api.sync.RedisCommands;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Runs the packaged job as a scheduler does, {@code java -Xmx256m -jar stockrecon.jar run
 * ...}, against the benchmark's database and key prefix, so that its heap limit is real;
 * and collects what the run did: step times from the job repository, heap from the GC
 * log, CPU from {@code /proc}, Redis commands from {@code INFO}.
 */
final class PackagedJob {

	private static final String LAST_EXECUTION = """
			SELECT job_execution_id, status, start_time, end_time FROM batch_job_execution
			ORDER BY job_execution_id DESC LIMIT 1
			""";

	private static final String STEPS = """
			SELECT step_name, start_time, end_time, read_count, write_count, filter_count, commit_count, status
			FROM batch_step_execution WHERE job_execution_id = :executionId
			ORDER BY step_execution_id
			""";

	private static final String DRIFT_ACTIONS = """
			SELECT action, count(*) FROM stockrecon_drift_audit WHERE job_execution_id = :executionId GROUP BY action
			""";

	private final BenchmarkSettings settings;

	private final BenchmarkStores stores;

	private final Path directory;

	private final String label;

	private final List<String> shopArguments;

	private volatile Process current;

	private final List<Process> workers = new CopyOnWriteArrayList<>();

	/**
	 * Runs the job on the benchmark's own shop: default names, counters under the prefix.
	 */
	PackagedJob(BenchmarkSettings settings, BenchmarkStores stores, Path directory) {
		this(settings, stores, directory, "", List.of("--stockrecon.redis.key-prefix=" + stores.keyPrefix()));
	}

	/**
	 * Runs the job on a mapped shop.
	 * @param label put before every log file's name, so that two shops' runs keep apart
	 * @param shopArguments the {@code stockrecon.shop.*} and {@code stockrecon.redis.*}
	 * settings that fit the job to the shop
	 */
	PackagedJob(BenchmarkSettings settings, BenchmarkStores stores, Path directory, String label,
			List<String> shopArguments) {
		this.settings = settings;
		this.stores = stores;
		this.directory = directory;
		this.label = label;
		this.shopArguments = List.copyOf(shopArguments);
		Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "stop-job"));
	}

	/**
	 * The job's first start applies the Flyway migrations and installs the shop mapping.
	 * The read commands ({@code history}) no longer do, so a dry-run verify does: it
	 * changes nothing in either store.
	 */
	void migrate() throws IOException, InterruptedException {
		String name = this.label + "migrate";
		Process process = start(name, List.of("verify", "--dry-run"), List.of());
		this.current = process;
		if (process.waitFor() != 0) {
			throw new IllegalStateException("the job could not create its schema:\n" + tail(log(name)));
		}
	}

	/** Runs the nightly job for a date, to its end. */
	JobRun run(String name, LocalDate runDate) throws IOException, InterruptedException, SQLException {
		return run(name, List.of("run", "--run-date=" + runDate));
	}

	/**
	 * Runs a command of the job ({@code run ...}, {@code verify ...}) to its end, with
	 * the benchmark's settings and {@code bench.jobArgs} after the command's own options.
	 */
	JobRun run(String runName, List<String> command) throws IOException, InterruptedException, SQLException {
		String name = this.label + runName;
		List<String> jvm = new ArrayList<>(
				List.of("-Xmx" + this.settings.jobHeap(), GcLog.option(this.directory.resolve(name + "-gc.log"))));
		jvm.addAll(this.settings.jvmOptions());
		Path recording = this.directory.resolve(name + ".jfr");
		if (this.settings.profile()) {
			jvm.add("-XX:StartFlightRecording=settings=profile,filename=" + recording);
		}
		List<String> arguments = new ArrayList<>(command);
		arguments.addAll(commonArguments());
		RedisCommands<String, String> redis = this.stores.redis().sync();
		Map<String, RedisStat> redisBefore = RedisStat.parse(redis.info("commandstats"));
		double redisCpuBefore = RedisStat.cpuSeconds(redis.info("cpu"));
		long started = System.nanoTime();
		Process process = start(name, arguments, jvm);
		this.current = process;
		int exitCode;
		RunSampler sampler = new RunSampler(this.stores, process.pid(), this.settings.profile(),
				this.settings.liveHeapSeconds());
		try (sampler) {
			if (!process.waitFor(2, TimeUnit.HOURS)) {
				process.destroyForcibly();
				throw new IllegalStateException(name + " did not end within 2 hours");
			}
			exitCode = process.exitValue();
		}
		double wall = (System.nanoTime() - started) / 1e9;
		this.current = null;
		if (exitCode != 0) {
			throw new IllegalStateException(name + " exited " + exitCode + ":\n" + tail(log(name)));
		}
		Map<String, RedisStat> redisCommands = RedisStat.delta(redisBefore,
				RedisStat.parse(redis.info("commandstats")));
		double redisCpu = RedisStat.cpuSeconds(redis.info("cpu")) - redisCpuBefore;
		JdbcClient jdbc = this.stores.jdbc();
		Execution execution = jdbc.sql(LAST_EXECUTION).query(Execution.class).single();
		List<JobRun.StepTiming> steps = jdbc.sql(STEPS)
			.param("executionId", execution.jobExecutionId())
			.query(JobRun.StepTiming.class)
			.list();
		Map<String, Long> drift = new HashMap<>();
		jdbc.sql(DRIFT_ACTIONS).param("executionId", execution.jobExecutionId()).query((rs) -> {
			drift.put(rs.getString(1), rs.getLong(2));
		});
		return new JobRun(name, wall, execution.jobExecutionId(), execution.status(), execution.startTime(),
				execution.endTime(), steps, GcLog.read(this.directory.resolve(name + "-gc.log")),
				sampler.jobCpuSeconds(), sampler.threadCpuSeconds(), sampler.postgresCpuSeconds(), redisCpu,
				redisCommands, drift, sampler.samplesByStep(), sampler.ticksByStep(), sampler.cpuTimeline(),
				this.settings.profile() ? recording : null, log(name));
	}

	/**
	 * Starts a long-lived {@code worker} JVM with the job's heap limit; the caller ends
	 * it. It runs with the same settings as the manager.
	 */
	Process startWorker(String name) throws IOException {
		List<String> arguments = new ArrayList<>(List.of("worker"));
		arguments.addAll(commonArguments());
		List<String> jvm = new ArrayList<>(List.of("-Xmx" + this.settings.jobHeap()));
		jvm.addAll(this.settings.jvmOptions());
		Process worker = start(name, arguments, jvm);
		this.workers.add(worker);
		return worker;
	}

	/** Waits until a worker says it listens, or fails with its log. */
	void awaitListening(String name, Process worker) throws IOException, InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
		while (!Files.readString(log(name)).contains("listening for partitions")) {
			if (!worker.isAlive() || System.nanoTime() > deadline) {
				throw new IllegalStateException("worker " + name + " did not start:\n" + tail(log(name)));
			}
			Thread.sleep(200);
		}
	}

	private List<String> commonArguments() {
		List<String> arguments = new ArrayList<>(List.of(
				// the verify's second look needs no real settle time: no checkout runs
				// here
				"--stockrecon.verify.settle-interval=100ms", "--stockrecon.progress.interval=60s",
				// a queue of its own: other runs and tests on this broker never see its
				// partitions
				"--stockrecon.scale.queue=" + this.stores.queue()));
		arguments.addAll(this.settings.jobArguments());
		return arguments;
	}

	private Process start(String name, List<String> arguments, List<String> jvmOptions) throws IOException {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(jvmOptions);
		command.addAll(List.of("-jar", this.settings.jar().toString()));
		command.addAll(arguments);
		command.addAll(this.shopArguments);
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(log(name).toFile());
		Map<String, String> environment = builder.environment();
		environment.put("SPRING_DATASOURCE_URL", this.stores.jdbcUrl());
		environment.put("SPRING_DATASOURCE_USERNAME", this.settings.postgresUser());
		environment.put("SPRING_DATASOURCE_PASSWORD", this.settings.postgresPassword());
		environment.put("SPRING_DATA_REDIS_HOST", this.settings.redisHost());
		environment.put("SPRING_DATA_REDIS_PORT", Integer.toString(this.settings.redisPort()));
		environment.put("SPRING_DATA_REDIS_DATABASE", Integer.toString(this.stores.redisDatabase()));
		environment.put("SPRING_RABBITMQ_HOST", this.settings.rabbitHost());
		Files.writeString(this.directory.resolve(name + ".command"), String.join(" ", command) + "\n");
		return builder.start();
	}

	private Path log(String name) {
		return this.directory.resolve(name + ".log");
	}

	private static String tail(Path log) throws IOException {
		List<String> lines = Files.readAllLines(log);
		return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
	}

	/** A benchmark stopped with Ctrl-C leaves no job and no worker behind. */
	private void stop() {
		Process process = this.current;
		if (process != null && process.isAlive()) {
			process.destroyForcibly();
		}
		this.workers.forEach(Process::destroyForcibly);
	}

	private record Execution(long jobExecutionId, String status, LocalDateTime startTime, LocalDateTime endTime) {

	}

}
