package io.stockrecon.benchmark;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;

/**
 * Pipelines batches of commands on one connection: commands are written together when a
 * batch is sent, and a bounded number of batches are in flight, so neither side waits for
 * a round trip and memory stays bounded.
 */
final class RedisPipeline implements AutoCloseable {

	private static final int BATCHES_IN_FLIGHT = 16;

	private final StatefulRedisConnection<String, String> connection;

	private final Deque<Runnable> inFlight = new ArrayDeque<>();

	RedisPipeline(StatefulRedisConnection<String, String> connection) {
		this.connection = connection;
		connection.setAutoFlushCommands(false);
	}

	RedisAsyncCommands<String, String> commands() {
		return this.connection.async();
	}

	/**
	 * Writes the commands queued since the last call.
	 * @param whenAnswered waits for the batch's replies and handles them; it runs once
	 * the window is full, or at close
	 */
	void send(Runnable whenAnswered) {
		this.connection.flushCommands();
		this.inFlight.add(whenAnswered);
		while (this.inFlight.size() > BATCHES_IN_FLIGHT) {
			this.inFlight.poll().run();
		}
	}

	@Override
	public void close() {
		this.connection.flushCommands();
		while (!this.inFlight.isEmpty()) {
			this.inFlight.poll().run();
		}
		this.connection.setAutoFlushCommands(true);
	}

	static <T> T await(RedisFuture<T> reply) {
		try {
			return reply.get(60, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while waiting for Redis", ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("Redis did not answer: " + ex.getMessage(), ex);
		}
	}

}
