package io.stockrecon.stock;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import io.stockrecon.StockreconProperties;

/**
 * The products' stock counters in Redis ({@code <prefix><productId>}).
 * <p>
 * Commands go out pipelined on Lettuce's asynchronous API, one key each, so the same code
 * works against a single Redis and a Redis Cluster (every command stays inside one slot).
 */
public class RedisStockCounters {

	/**
	 * Adds a delta at most once. The marker key records that this outbox row was
	 * delivered; it shares the counter's hash slot through its hash tag, so the script is
	 * atomic on a cluster too. A missing counter is left missing: the verify step owns
	 * it.
	 */
	private static final String DELIVER_ONCE = """
			if not redis.call('SET', KEYS[2], '1', 'NX', 'EX', ARGV[2]) then return 0 end
			if redis.call('EXISTS', KEYS[1]) == 0 then return 2 end
			local result = redis.pcall('INCRBY', KEYS[1], ARGV[1])
			if type(result) == 'table' and result.err then return 3 end
			return 1
			""";

	private final RedisConnectionFactory connectionFactory;

	private final StockreconProperties.Redis settings;

	public RedisStockCounters(RedisConnectionFactory connectionFactory, StockreconProperties.Redis settings) {
		this.connectionFactory = connectionFactory;
		this.settings = settings;
	}

	/**
	 * Delivers each delta exactly once: a redelivery after a crash finds its marker and
	 * adds nothing.
	 * @return one outcome per delta, in the same order
	 */
	public List<DeliveryOutcome> deliver(List<CounterDelta> deltas) {
		byte[] ttl = bytes(Long.toString(Math.max(1, this.settings.appliedMarkerTtl().toSeconds())));
		return withCommands((redis) -> {
			List<RedisFuture<Long>> replies = new ArrayList<>(deltas.size());
			for (CounterDelta delta : deltas) {
				byte[][] keys = { counterKey(delta.productId()), markerKey(delta) };
				replies.add(redis.eval(DELIVER_ONCE, ScriptOutputType.INTEGER, keys,
						bytes(Long.toString(delta.delta())), ttl));
			}
			List<DeliveryOutcome> outcomes = new ArrayList<>(deltas.size());
			for (RedisFuture<Long> reply : replies) {
				outcomes.add(DeliveryOutcome.fromScriptResult(await(reply)));
			}
			return outcomes;
		});
	}

	/**
	 * Removes the markers of deltas whose outbox rows are gone from PostgreSQL: they can
	 * no longer be redelivered, so their markers only cost memory.
	 */
	public void forgetDeliveries(List<CounterDelta> deltas) {
		withCommands((redis) -> {
			List<RedisFuture<Long>> replies = new ArrayList<>(deltas.size());
			for (CounterDelta delta : deltas) {
				replies.add(redis.unlink(markerKey(delta)));
			}
			replies.forEach(RedisStockCounters::await);
			return null;
		});
	}

	byte[] counterKey(long productId) {
		return bytes(this.settings.counterKey(productId));
	}

	private byte[] markerKey(CounterDelta delta) {
		return bytes("{" + this.settings.counterKey(delta.productId()) + "}:stockrecon-delivered:" + delta.outboxId());
	}

	private <T> T withCommands(CommandsCallback<T> callback) {
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			@SuppressWarnings("unchecked")
			RedisClusterAsyncCommands<byte[], byte[]> commands = (RedisClusterAsyncCommands<byte[], byte[]>) connection
				.getNativeConnection();
			return callback.apply(commands);
		}
	}

	private static <T> T await(RedisFuture<T> reply) {
		try {
			return reply.get(reply.isDone() ? 0 : 30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new RedisSystemException("Interrupted while waiting for Redis", ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new RedisSystemException("Redis did not complete a command: " + ex.getMessage(), ex);
		}
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	@FunctionalInterface
	private interface CommandsCallback<T> {

		T apply(RedisClusterAsyncCommands<byte[], byte[]> commands);

	}

}
