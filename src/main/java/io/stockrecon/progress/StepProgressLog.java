package io.stockrecon.progress;

import java.time.Duration;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.ChunkListener;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;

/**
 * Logs a progress line for a long step every interval: items done, the total when it is
 * cheap to know, the rate, and the time left.
 *
 * @param <T> the step's items
 */
public class StepProgressLog<T> implements StepExecutionListener, ChunkListener<T, T> {

	private static final Logger logger = LoggerFactory.getLogger(StepProgressLog.class);

	private final Duration interval;

	private final LongSupplier total;

	private String step;

	private long expected;

	private long done;

	private long startedAt;

	private long loggedAt;

	/**
	 * @param interval how often to log
	 * @param total counts the step's work at its start, or returns -1 when that is not
	 * cheap
	 */
	public StepProgressLog(Duration interval, LongSupplier total) {
		this.interval = interval;
		this.total = total;
	}

	@Override
	public void beforeStep(StepExecution stepExecution) {
		this.step = stepExecution.getStepName();
		this.expected = this.total.getAsLong();
		this.done = 0;
		this.startedAt = System.nanoTime();
		this.loggedAt = this.startedAt;
	}

	@Override
	public void afterChunk(Chunk<T> chunk) {
		progress(chunk.size());
	}

	@Override
	public ExitStatus afterStep(StepExecution stepExecution) {
		double seconds = (System.nanoTime() - this.startedAt) / 1e9;
		if (seconds >= this.interval.toSeconds()) {
			logger.info("{}: {} after {}s, {} items", this.step, stepExecution.getStatus(), Math.round(seconds),
					this.done);
		}
		return stepExecution.getExitStatus();
	}

	private void progress(long items) {
		this.done += items;
		long now = System.nanoTime();
		if (now - this.loggedAt < this.interval.toNanos()) {
			return;
		}
		this.loggedAt = now;
		double seconds = (now - this.startedAt) / 1e9;
		double rate = this.done / Math.max(seconds, 1e-3);
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
