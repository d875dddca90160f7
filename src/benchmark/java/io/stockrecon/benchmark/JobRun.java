package io.stockrecon.benchmark;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Predicate;

/**
 * One run of the packaged job, as the job repository, the GC log and the samplers saw it.
 *
 * @param name the run's name in the benchmark (and of its log files)
 * @param wallSeconds from process start to exit, JVM start-up included
 * @param executionId the job execution
 * @param status its batch status
 * @param start when the job execution started
 * @param end when it ended
 * @param steps every step execution, in order
 * @param gc the heap, collection by collection
 * @param jvmCpuSeconds CPU time of the job's JVM
 * @param threadCpuSeconds the same, by thread name
 * @param postgresCpuSeconds CPU time of its PostgreSQL sessions
 * @param redisCpuSeconds CPU time of the Redis server meanwhile (shared: approximate)
 * @param redisCommands Redis commands run meanwhile (shared: approximate)
 * @param driftActions the verify's findings by action
 * @param sessionSamples when profiling: per step, PostgreSQL session samples by activity
 * @param ticksByStep when profiling: per step, how many times the sampler looked
 * @param cpuTimeline the CPU counters, sampled every half second during the run
 * @param recording when profiling: the JFR recording
 * @param log the job's output
 */
record JobRun(String name, double wallSeconds, long executionId, String status, LocalDateTime start, LocalDateTime end,
		List<StepTiming> steps, GcLog gc, double jvmCpuSeconds, Map<String, Double> threadCpuSeconds,
		double postgresCpuSeconds, double redisCpuSeconds, Map<String, RedisStat> redisCommands,
		Map<String, Long> driftActions, Map<String, Map<String, Integer>> sessionSamples,
		Map<String, Integer> ticksByStep, List<CpuSample> cpuTimeline, Path recording, Path log) {

	/** Steps that give stock back: queue history, restore, and deliver to Redis. */
	static final Predicate<String> RESTORE = (step) -> step.startsWith("queueCancelledHistory")
			|| step.startsWith("restore") || step.startsWith("publish");

	/** Steps that compare every counter and repair drift. */
	static final Predicate<String> VERIFY = (step) -> step.startsWith("find") || step.startsWith("repair");

	double jobSeconds() {
		return seconds(this.start, this.end);
	}

	/**
	 * The steps of a phase, from the first one's start to the last one's end (partitions
	 * of a step may overlap).
	 */
	Phase phase(Predicate<String> steps) {
		List<StepTiming> of = this.steps.stream().filter((step) -> steps.test(step.stepName())).toList();
		LocalDateTime from = of.stream().map(StepTiming::startTime).min(LocalDateTime::compareTo).orElse(this.start);
		LocalDateTime to = of.stream().map(StepTiming::endTime).max(LocalDateTime::compareTo).orElse(this.start);
		return new Phase(seconds(from, to), this.gc.peakBetween(from, to), this.gc.liveBetween(from, to),
				cpuBetween(from, to));
	}

	/**
	 * CPU spent from one time to another: from the last sample before it to the first
	 * after it, so at most a sampling period too much.
	 */
	CpuSample cpuBetween(LocalDateTime from, LocalDateTime to) {
		CpuSample first = this.cpuTimeline.stream()
			.filter((sample) -> !sample.at().isAfter(from))
			.reduce((earlier, later) -> later)
			.orElse(this.cpuTimeline.isEmpty() ? new CpuSample(from, 0, 0, 0) : this.cpuTimeline.get(0));
		CpuSample last = this.cpuTimeline.stream()
			.filter((sample) -> !sample.at().isBefore(to))
			.findFirst()
			.orElse(this.cpuTimeline.isEmpty() ? first : this.cpuTimeline.get(this.cpuTimeline.size() - 1));
		return new CpuSample(to, last.jvmSeconds() - first.jvmSeconds(),
				last.postgresSeconds() - first.postgresSeconds(), last.redisSeconds() - first.redisSeconds());
	}

	static double seconds(LocalDateTime from, LocalDateTime to) {
		return Duration.between(from, to).toNanos() / 1e9;
	}

	/**
	 * @param seconds from the first step's start to the last step's end
	 * @param peakHeapMegabytes the largest heap before a collection in the phase
	 * @param liveHeapMegabytes the largest heap after a collection in the phase
	 * @param cpu CPU spent in the phase
	 */
	record Phase(double seconds, OptionalDouble peakHeapMegabytes, OptionalDouble liveHeapMegabytes, CpuSample cpu) {

	}

	/**
	 * CPU seconds so far (or, as a difference, between two times).
	 *
	 * @param at when
	 * @param jvmSeconds the job's JVM
	 * @param postgresSeconds the job's PostgreSQL sessions
	 * @param redisSeconds the Redis server (shared: approximate)
	 */
	record CpuSample(LocalDateTime at, double jvmSeconds, double postgresSeconds, double redisSeconds) {

	}

	/**
	 * A step execution as the job repository recorded it.
	 */
	record StepTiming(String stepName, LocalDateTime startTime, LocalDateTime endTime, long readCount, long writeCount,
			long filterCount, long commitCount, String status) {

		double seconds() {
			return JobRun.seconds(this.startTime, this.endTime);
		}

	}

}
