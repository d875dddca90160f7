package io.stockrecon.stock;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;

import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The one connection {@link RedisStockCounters} sends its commands on, opened from Boot's
 * Lettuce client (a single Redis or a cluster) with byte-array keys and values. Its
 * commands are flushed by hand, not one write per command, so a chunk's hundreds of
 * commands leave in a few packets; {@link #await} flushes before it waits and while it
 * waits, so nothing waits on an unsent command. A wait lasts at most
 * {@code spring.data.redis.timeout}, which Boot passes to the connection factory as its
 * command timeout.
 */
class PipelinedConnection {

	/**
	 * How often a wait sends again what was written: on a cluster, a command for a node
	 * whose connection is still opening is queued until it opens, and only a flush after
	 * that sends it.
	 */
	private static final Duration REFLUSH = Duration.ofMillis(20);

	private final LettuceConnectionFactory connectionFactory;

	private final Duration timeout;

	private StatefulConnection<byte[], byte[]> connection;

	private RedisClusterAsyncCommands<byte[], byte[]> commands;

	PipelinedConnection(RedisConnectionFactory connectionFactory) {
		this.connectionFactory = (LettuceConnectionFactory) connectionFactory;
		this.timeout = this.connectionFactory.getClientConfiguration().getCommandTimeout();
	}

	/**
	 * Runs a callback on the connection's commands, opening the connection (again) if it
	 * is not open.
	 * @throws RedisConnectionFailureException if Redis cannot be reached
	 */
	<T> T withCommands(Function<RedisClusterAsyncCommands<byte[], byte[]>, T> callback) {
		try {
			return callback.apply(commands());
		}
		catch (RedisConnectionException ex) {
			throw new RedisConnectionFailureException("Redis could not be reached: " + ex.getMessage(), ex);
		}
	}

	private synchronized RedisClusterAsyncCommands<byte[], byte[]> commands() {
		if (this.connection == null || !this.connection.isOpen()) {
			open();
		}
		return this.commands;
	}

	private void open() {
		AbstractRedisClient client = this.connectionFactory.getRequiredNativeClient();
		if (client instanceof RedisClusterClient cluster) {
			StatefulRedisClusterConnection<byte[], byte[]> opened = cluster.connect(ByteArrayCodec.INSTANCE);
			this.commands = opened.async();
			this.connection = opened;
		}
		else {
			StatefulRedisConnection<byte[], byte[]> opened = ((RedisClient) client).connect(ByteArrayCodec.INSTANCE);
			this.commands = opened.async();
			this.connection = opened;
		}
		this.connection.setAutoFlushCommands(false);
	}

	/** Whether the counters live on a Redis Cluster. */
	boolean isCluster() {
		return this.connectionFactory.getRequiredNativeClient() instanceof RedisClusterClient;
	}

	/** Sends the commands written so far. */
	void flush() {
		this.connection.flushCommands();
	}

	/**
	 * Flushes, then waits for the answer.
	 * @throws RedisSystemException if Redis answers with an error (its cause) or not in
	 * time
	 */
	<T> T await(Future<T> reply) {
		long deadline = System.nanoTime() + this.timeout.toNanos();
		try {
			while (true) {
				if (!reply.isDone()) {
					flush();
				}
				try {
					return reply.get(reply.isDone() ? 0 : REFLUSH.toMillis(), TimeUnit.MILLISECONDS);
				}
				catch (TimeoutException ex) {
					if (System.nanoTime() - deadline >= 0) {
						throw ex;
					}
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new RedisSystemException("Interrupted while waiting for Redis", ex);
		}
		catch (ExecutionException ex) {
			throw new RedisSystemException("Redis did not complete a command: " + ex.getCause().getMessage(),
					ex.getCause());
		}
		catch (TimeoutException ex) {
			throw new RedisSystemException("Redis did not answer in %s".formatted(this.timeout), ex);
		}
	}

	synchronized void close() {
		if (this.connection != null && this.connection.isOpen()) {
			this.connection.close();
		}
	}

}
