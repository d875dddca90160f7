package io.stockrecon.progress;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.ChunkListener;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.scope.context.StepContext;
import org.springframework.batch.core.scope.context.StepSynchronizationManager;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;

/**
 * Logs a progress line for a long step every interval: items done, the total when it is
 * cheap to know, the rate, and the time left. One instance serves all partitions of a
 * worker step, each with its own count.
 *
 * @param <T> the step's items (any type for a tasklet step, which counts reads)
 */
public class StepProgressLog<T> implements StepExecutionListener, ChunkListener<T, T> {

	private static final Logger logger = LoggerFactory.getLogger(StepProgressLog.class);

	private final Duration interval;

	private final ToLongFunction<StepExecution> total;

	private final Map<Long, Progress> running = new ConcurrentHashMap<>();

	/**
	 * @param interval how often to log
	 * @param total counts the step's work at its start, or returns 0 when that is not
	 * cheap
	 */
	public StepProgressLog(Duration interval, ToLongFunction<StepExecution> total) {
		this.interval = interval;
		this.total = total;
	}

	@Override
	public void beforeStep(StepExecution stepExecution) {
		this.running.put(stepExecution.getId(),
				new Progress(stepExecution.getStepName(), this.total.applyAsLong(stepExecution), System.nanoTime()));
	}

	@Override
	public void afterChunk(Chunk<T> chunk) {
		StepContext context = StepSynchronizationManager.getContext();
		Progress progress = (context != null) ? this.running.get(context.getStepExecution().getId()) : null;
		if (progress != null) {
			progress.add(chunk.size(), this.interval);
		}
	}

	/**
	 * After each transaction of a tasklet step, whose read count says how far it got.
	 * Marked for removal, but the only call a Spring Batch 6 tasklet step makes after a
	 * commit.
	 */
	@Override
	@SuppressWarnings("removal")
	public void afterChunk(ChunkContext context) {
		StepExecution step = context.getStepContext().getStepExecution();
		Progress progress = this.running.get(step.getId());
		if (progress != null) {
			progress.add(step.getReadCount() - progress.done, this.interval);
		}
	}

	@Override
	public ExitStatus afterStep(StepExecution stepExecution) {
		Progress progress = this.running.remove(stepExecution.getId());
		if (progress != null && progress.seconds() >= this.interval.toSeconds()) {
			logger.info("{}: {} after {}s, {} items", progress.step, stepExecution.getStatus(),
					Math.round(progress.seconds()), progress.done);
		}
		return stepExecution.getExitStatus();
	}

	private static final class Progress {

		private final String step;

		private final long expected;

		private final long startedAt;

		private long loggedAt;

		private long done;

		Progress(String step, long expected, long startedAt) {
			this.step = step;
			this.expected = expected;
			this.startedAt = startedAt;
			this.loggedAt = startedAt;
		}

		double seconds() {
			return (System.nanoTime() - this.startedAt) / 1e9;
		}

		void add(long items, Duration interval) {
			this.done += items;
			long now = System.nanoTime();
			if (now - this.loggedAt < interval.toNanos()) {
				return;
			}
			this.loggedAt = now;
			double rate = this.done / Math.max(seconds(), 1e-3);
			if (this.expected > 0) {
				long left = Math.max(0, this.expected - this.done);
				logger.info("{}: {} of {} ({}%), {}/s, about {}s left", this.step, this.done, this.expected,
						Math.min(100, this.done * 100 / this.expected), Math.round(rate), Math.round(left / rate));
			}
			else {
				logger.info("{}: {} done, {}/s", this.step, this.done, Math.round(rate));
			}
		}

	}

}
