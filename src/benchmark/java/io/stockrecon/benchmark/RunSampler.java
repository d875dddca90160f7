package io.stockrecon.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import io.lettuce.core.api.StatefulRedisConnection;

/**
 * Watches a job run from the outside, without slowing it down: the CPU time of the job's
 * JVM and of its PostgreSQL sessions (from {@code /proc}), and, when profiling, what each
 * session is doing, sampled from {@code pg_stat_activity} with the step that runs.
 * <p>
 * The session samples are a statistical profile of the database side: the share of a
 * step's samples in which a statement was active is the share of the step's time spent in
 * it; "idle in transaction" is time the job spent in Java or Redis inside a chunk.
 */
final class RunSampler implements AutoCloseable {

	/** Linux's USER_HZ: {@code /proc} counts CPU time in hundredths of a second. */
	private static final double TICKS_PER_SECOND = 100;

	/** How long a step runs before its own full collection. */
	private static final long STEP_COLLECTION_NANOS = 1_000_000_000L;

	static final String OUTSIDE_TRANSACTIONS = "(no open transaction: Java, Redis, or between transactions)";

	static final String IN_JAVA_OR_REDIS = "(idle in transaction: the job is in Java or Redis)";

	private static final String SESSIONS = """
			SELECT a.pid, a.state, a.wait_event_type, a.wait_event, left(a.query, 300) AS query,
			       s.step_name AS step, s.step_execution_id AS step_id
			FROM pg_stat_activity a
			LEFT JOIN LATERAL (SELECT step_execution_id, step_name FROM batch_step_execution WHERE status = 'STARTED'
			                   ORDER BY step_execution_id DESC LIMIT 1) AS s ON true
			WHERE a.datname = current_database() AND a.backend_type = 'client backend'
			  AND a.application_name <> ?
			""";

	private final Connection connection;

	private final long jobPid;

	private final boolean profile;

	private final Thread thread;

	private final long fullCollectionNanos;

	private HeapProbe heap;

	private long collectedAt = System.nanoTime();

	/** The step execution the last step's collection fell in. */
	private long collectedInStep = -1;

	/** The step execution running now, as the sessions' query sees it, and since when. */
	private long stepNow = -1;

	private long stepSince;

	private final Map<Integer, Double> sessionCpu = new HashMap<>();

	private final Map<String, Double> threadCpu = new HashMap<>();

	private final Map<String, String> threadNames = new HashMap<>();

	private final Map<String, Map<String, Integer>> samplesByStep = new LinkedHashMap<>();

	private final Map<String, Integer> ticksByStep = new LinkedHashMap<>();

	private volatile boolean running = true;

	private volatile double jobCpu;

	private final StatefulRedisConnection<String, String> redis;

	private final List<JobRun.CpuSample> timeline = new ArrayList<>();

	/**
	 * @param fullCollectionSeconds how often to force a full collection in the job's JVM,
	 * to see its live heap; 0 never
	 */
	RunSampler(BenchmarkStores stores, long jobPid, boolean profile, double fullCollectionSeconds) throws SQLException {
		this.connection = stores.connect();
		this.redis = stores.redis();
		this.jobPid = jobPid;
		this.profile = profile;
		this.fullCollectionNanos = (long) (fullCollectionSeconds * 1e9);
		this.thread = new Thread(this::sample, "run-sampler");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	private void sample() {
		long period = this.profile ? 50 : 500;
		try (PreparedStatement sessions = this.connection.prepareStatement(SESSIONS)) {
			sessions.setString(1, BenchmarkStores.APPLICATION_NAME);
			while (this.running) {
				cpuSeconds(this.jobPid).ifPresent((seconds) -> this.jobCpu = seconds);
				threads();
				long step;
				try (ResultSet rows = sessions.executeQuery()) {
					step = tick(rows);
				}
				timeline();
				collectWhenDue(step);
				Thread.sleep(period);
			}
		}
		catch (SQLException ex) {
			// the job's database goes away at the end of a failed run: stop sampling
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** Where the CPU counters stand now, to tell a phase's CPU from the start-up's. */
	private synchronized void timeline() {
		double redis = RedisStat.cpuSeconds(this.redis.sync().info("cpu"));
		this.timeline.add(new JobRun.CpuSample(LocalDateTime.now(), this.jobCpu, postgresCpuSeconds(), redis));
	}

	/**
	 * Forces a full collection every period, and once in every step that runs for a
	 * second: a verify of a million counters takes 3 s, and the serial collector makes no
	 * full collection of its own, so with the period alone its phase often showed no live
	 * heap at all. A step's collection counts as the period's, so a run pauses about as
	 * often as before.
	 * @param step the step execution running now (the latest started, when partitions run
	 * side by side); -1 when there is none
	 */
	private void collectWhenDue(long step) {
		long now = System.nanoTime();
		if (step != this.stepNow) {
			this.stepNow = step;
			this.stepSince = now;
		}
		boolean intoStep = step >= 0
				&& now - this.stepSince >= Math.min(STEP_COLLECTION_NANOS, this.fullCollectionNanos);
		boolean periodDue = now - this.collectedAt >= this.fullCollectionNanos;
		boolean stepDue = intoStep && step != this.collectedInStep;
		if (this.fullCollectionNanos <= 0 || !(periodDue || stepDue)) {
			return;
		}
		if (this.heap == null) {
			this.heap = HeapProbe.attach(this.jobPid);
		}
		if (this.heap != null && this.heap.collect()) {
			this.collectedAt = System.nanoTime();
			if (intoStep) {
				// a collection in the step's first second does not spare it its own
				this.collectedInStep = step;
			}
		}
	}

	/**
	 * @return the step execution running now, -1 when there is none
	 */
	private synchronized long tick(ResultSet rows) throws SQLException {
		String step = null;
		long stepId = -1;
		Map<String, Integer> labels = new HashMap<>();
		while (rows.next()) {
			int pid = rows.getInt("pid");
			cpuSeconds(pid).ifPresent((seconds) -> this.sessionCpu.merge(pid, seconds, Math::max));
			step = (rows.getString("step") != null) ? rows.getString("step") : "(starting)";
			long id = rows.getLong("step_id");
			stepId = rows.wasNull() ? -1 : id;
			String label = label(rows);
			if (label != null) {
				labels.merge(label, 1, Integer::sum);
			}
		}
		if (!this.profile || step == null) {
			return stepId;
		}
		this.ticksByStep.merge(step, 1, Integer::sum);
		Map<String, Integer> samples = this.samplesByStep.computeIfAbsent(step, (name) -> new HashMap<>());
		if (labels.isEmpty()) {
			samples.merge(OUTSIDE_TRANSACTIONS, 1, Integer::sum);
		}
		labels.forEach((label, count) -> samples.merge(label, count, Integer::sum));
		return stepId;
	}

	private static String label(ResultSet row) throws SQLException {
		String state = String.valueOf(row.getString("state"));
		if (state.startsWith("idle in transaction")) {
			return IN_JAVA_OR_REDIS;
		}
		if (!state.equals("active")) {
			return null;
		}
		String query = String.valueOf(row.getString("query")).replaceAll("\\s+", " ").trim();
		String wait = row.getString("wait_event");
		return ((query.length() > 110) ? query.substring(0, 110) + "…" : query)
				+ ((wait != null) ? "  [waits: " + row.getString("wait_event_type") + "/" + wait + "]" : "");
	}

	/**
	 * CPU time of each of the job's threads (JIT compilers, collectors, main, Lettuce's
	 * event loop), which JFR's execution samples do not cover.
	 */
	private synchronized void threads() {
		try (var tasks = Files.list(Path.of("/proc", Long.toString(this.jobPid), "task"))) {
			tasks.forEach((task) -> {
				try {
					String stat = Files.readString(task.resolve("stat"));
					String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
					String tid = task.getFileName().toString();
					this.threadNames.put(tid, name.replaceAll("[#-]?\\d+$", ""));
					this.threadCpu.merge(tid, cpuSeconds(stat), Math::max);
				}
				catch (IOException | RuntimeException ex) {
					// the thread ended
				}
			});
		}
		catch (IOException | RuntimeException ex) {
			// the job has exited
		}
	}

	/** CPU seconds of the job's threads, by thread name without its number. */
	synchronized Map<String, Double> threadCpuSeconds() {
		Map<String, Double> byName = new HashMap<>();
		this.threadCpu.forEach((tid, seconds) -> byName.merge(this.threadNames.get(tid), seconds, Double::sum));
		return byName;
	}

	/** User and system CPU time of a process so far, if it is still there. */
	static OptionalDouble cpuSeconds(long pid) {
		try {
			return OptionalDouble.of(cpuSeconds(Files.readString(Path.of("/proc", Long.toString(pid), "stat"))));
		}
		catch (IOException | RuntimeException ex) {
			return OptionalDouble.empty();
		}
	}

	/** User and system CPU time in a {@code /proc/.../stat} line. */
	private static double cpuSeconds(String stat) {
		// fields after the command name, which is in parentheses and may hold spaces
		String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
		return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
	}

	@Override
	public void close() throws SQLException {
		this.running = false;
		try {
			this.thread.join(5_000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (this.heap != null) {
			this.heap.close();
		}
		this.connection.close();
	}

	/** CPU seconds of the job's JVM, as last seen before it exited. */
	synchronized double jobCpuSeconds() {
		return this.jobCpu;
	}

	/** CPU seconds of the job's PostgreSQL sessions. */
	synchronized double postgresCpuSeconds() {
		return this.sessionCpu.values().stream().mapToDouble(Double::doubleValue).sum();
	}

	/** Per step: session samples by what the session did. Empty unless profiling. */
	synchronized Map<String, Map<String, Integer>> samplesByStep() {
		return new LinkedHashMap<>(this.samplesByStep);
	}

	/** CPU counters of the job's JVM, its sessions and Redis, every half second. */
	synchronized List<JobRun.CpuSample> cpuTimeline() {
		return List.copyOf(this.timeline);
	}

	/** Per step: how many times the sampler looked. */
	synchronized Map<String, Integer> ticksByStep() {
		return new LinkedHashMap<>(this.ticksByStep);
	}

}
