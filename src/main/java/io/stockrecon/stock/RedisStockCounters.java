package io.stockrecon.stock;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.stockrecon.StockreconProperties;

/**
 * The products' stock counters in Redis ({@code <prefix><productId>}): the only class
 * that talks to Redis.
 * <p>
 * Commands go out pipelined on Lettuce's asynchronous API, one key each, so the same code
 * works against a single Redis and a Redis Cluster (every command stays inside one slot).
 */
public class RedisStockCounters implements DisposableBean {

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

	/**
	 * Compare-and-set: the counter is set only if it still holds exactly what the
	 * verifier saw (same type, same bytes), so a checkout that moved it in between is
	 * never undone.
	 */
	private static final String SET_IF_UNCHANGED = """
			local kind = redis.call('TYPE', KEYS[1]).ok
			if ARGV[1] == 'MISSING' then
			  if kind ~= 'none' then return 0 end
			elseif ARGV[1] == 'STRING' then
			  if kind ~= 'string' or redis.call('GET', KEYS[1]) ~= ARGV[2] then return 0 end
			elseif kind == 'none' or kind == 'string' then
			  return 0
			end
			redis.call('SET', KEYS[1], ARGV[3])
			return 1
			""";

	private static final String DELETE_IF_UNCHANGED = """
			if redis.call('TYPE', KEYS[1]).ok ~= 'string' or redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
			redis.call('DEL', KEYS[1])
			return 1
			""";

	private final RedisConnectionFactory connectionFactory;

	private final StockreconProperties.Redis settings;

	private StatefulConnection<byte[], byte[]> connection;

	private RedisClusterAsyncCommands<byte[], byte[]> commands;

	public RedisStockCounters(RedisConnectionFactory connectionFactory, StockreconProperties.Redis settings) {
		this.connectionFactory = connectionFactory;
		this.settings = settings;
	}

	/**
	 * Checks that Redis answers, so that a launch fails before it starts when Redis
	 * cannot be reached.
	 */
	public void ping() {
		withCommands((redis) -> await(redis.ping()));
	}

	/**
	 * Delivers each delta exactly once: a redelivery after a crash finds its marker and
	 * adds nothing.
	 * @return one outcome per delta, in the same order
	 */
	public List<DeliveryOutcome> deliver(List<CounterDelta> deltas) {
		byte[] ttl = bytes(Long.toString(Math.max(1, this.settings.appliedMarkerTtl().toSeconds())));
		return withCommands((redis) -> {
			// load once per batch (on every master of a cluster), then send only its
			// digest
			String script = await(redis.scriptLoad(DELIVER_ONCE));
			List<RedisFuture<Long>> replies = new ArrayList<>(deltas.size());
			for (CounterDelta delta : deltas) {
				byte[][] keys = { counterKey(delta.productId()), markerKey(delta) };
				replies.add(redis.evalsha(script, ScriptOutputType.INTEGER, keys, bytes(Long.toString(delta.delta())),
						ttl));
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
			replies.forEach(this::await);
			return null;
		});
	}

	/**
	 * Reads the counters of these products with one {@code MGET} (on a cluster, Lettuce
	 * splits it by hash slot). {@code MGET} answers nil for a missing key and for a key
	 * of another type alike; those few are told apart with a pipelined {@code TYPE}.
	 * @return one value per product, in the same order
	 */
	public List<CounterValue> read(List<Long> productIds) {
		if (productIds.isEmpty()) {
			return List.of();
		}
		return withCommands((redis) -> {
			byte[][] keys = productIds.stream().map(this::counterKey).toArray(byte[][]::new);
			List<KeyValue<byte[], byte[]>> values = await(redis.mget(keys));
			List<CounterValue> counters = new ArrayList<>(keys.length);
			Map<Integer, RedisFuture<String>> types = new HashMap<>();
			for (int i = 0; i < keys.length; i++) {
				KeyValue<byte[], byte[]> value = values.get(i);
				if (value.hasValue()) {
					counters.add(CounterValue.of(value.getValue()));
				}
				else {
					counters.add(CounterValue.MISSING);
					types.put(i, redis.type(keys[i]));
				}
			}
			types.forEach((index, type) -> {
				if (!"none".equals(await(type))) {
					counters.set(index, CounterValue.WRONG_TYPE);
				}
			});
			return counters;
		});
	}

	/**
	 * Applies each repair only where the counter still holds the expected value.
	 * @return for each repair, whether it was applied
	 */
	public List<Boolean> setIfUnchanged(List<CounterRepair> repairs) {
		return withCommands((redis) -> {
			List<RedisFuture<Long>> replies = new ArrayList<>(repairs.size());
			for (CounterRepair repair : repairs) {
				CounterValue expected = repair.expected();
				byte[][] keys = { counterKey(repair.productId()) };
				// to the script a binary value is a string: compared byte for byte
				String state = (expected.state() == CounterValue.State.BINARY) ? CounterValue.State.STRING.name()
						: expected.state().name();
				byte[] value = (expected.bytes() != null) ? expected.bytes() : new byte[0];
				replies.add(redis.eval(SET_IF_UNCHANGED, ScriptOutputType.INTEGER, keys, bytes(state), value,
						bytes(Long.toString(repair.newValue()))));
			}
			List<Boolean> applied = new ArrayList<>(repairs.size());
			replies.forEach((reply) -> applied.add(await(reply) == 1L));
			return applied;
		});
	}

	/**
	 * Deletes a key only if it is a string that still holds the value seen.
	 * @return whether it was deleted
	 */
	public boolean deleteIfUnchanged(String key, String expected) {
		Long deleted = withCommands((redis) -> await(redis.<Long>eval(DELETE_IF_UNCHANGED, ScriptOutputType.INTEGER,
				new byte[][] { bytes(key) }, bytes(expected))));
		return deleted == 1L;
	}

	/**
	 * One page of a cluster-wide {@code SCAN} over the counter keys.
	 * @param cursor {@code null} to start
	 * @return the keys of the page, with the cursor to go on from
	 */
	public KeyPage scanCounterKeys(ScanCursor cursor, int pageSize) {
		ScanArgs args = ScanArgs.Builder.matches(this.settings.keyPrefix() + "*").limit(pageSize);
		return withCommands((redis) -> {
			KeyScanCursor<byte[]> page = await((cursor != null) ? redis.scan(cursor, args) : redis.scan(args));
			List<String> keys = page.getKeys().stream().map((key) -> new String(key, StandardCharsets.UTF_8)).toList();
			return new KeyPage(keys, page.isFinished() ? null : page);
		});
	}

	/** The stored value of a key, for reports. */
	public CounterValue readKey(String key) {
		return withCommands((redis) -> valueOf(redis.get(bytes(key))));
	}

	public String keyPrefix() {
		return this.settings.keyPrefix();
	}

	private CounterValue valueOf(RedisFuture<byte[]> reply) {
		if (!reply.isDone()) {
			this.connection.flushCommands();
		}
		try {
			byte[] value = reply.get(30, TimeUnit.SECONDS);
			return (value != null) ? CounterValue.of(value) : CounterValue.MISSING;
		}
		catch (ExecutionException ex) {
			if (ex.getCause() != null && String.valueOf(ex.getCause().getMessage()).startsWith("WRONGTYPE")) {
				return CounterValue.WRONG_TYPE;
			}
			throw new RedisSystemException("Redis did not answer a read: " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new RedisSystemException("Interrupted while waiting for Redis", ex);
		}
		catch (TimeoutException ex) {
			throw new RedisSystemException("Redis did not answer a read in time", ex);
		}
	}

	byte[] counterKey(long productId) {
		return bytes(this.settings.counterKey(productId));
	}

	private byte[] markerKey(CounterDelta delta) {
		return bytes("{" + this.settings.counterKey(delta.productId()) + "}:stockrecon-delivered:" + delta.outboxId());
	}

	/**
	 * Every command goes out on one dedicated connection whose commands are flushed in
	 * batches, not one write per command: a chunk's hundreds of commands leave in a few
	 * packets. {@link #await} flushes before it waits, so nothing waits on an unsent
	 * command.
	 */
	private <T> T withCommands(CommandsCallback<T> callback) {
		try {
			return callback.apply(commands());
		}
		catch (RedisConnectionException ex) {
			throw new RedisConnectionFailureException("Redis could not be reached: " + ex.getMessage(), ex);
		}
	}

	private synchronized RedisClusterAsyncCommands<byte[], byte[]> commands() {
		if (this.connection == null || !this.connection.isOpen()) {
			AbstractRedisClient client = ((LettuceConnectionFactory) this.connectionFactory).getRequiredNativeClient();
			if (client instanceof RedisClusterClient cluster) {
				StatefulRedisClusterConnection<byte[], byte[]> opened = cluster.connect(ByteArrayCodec.INSTANCE);
				this.commands = opened.async();
				this.connection = opened;
			}
			else {
				StatefulRedisConnection<byte[], byte[]> opened = ((RedisClient) client)
					.connect(ByteArrayCodec.INSTANCE);
				this.commands = opened.async();
				this.connection = opened;
			}
			this.connection.setAutoFlushCommands(false);
		}
		return this.commands;
	}

	@Override
	public synchronized void destroy() {
		if (this.connection != null && this.connection.isOpen()) {
			this.connection.close();
		}
	}

	private <T> T await(RedisFuture<T> reply) {
		if (!reply.isDone()) {
			this.connection.flushCommands();
		}
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

	/**
	 * A page of keys, and where the scan goes on ({@code null} when it is done).
	 */
	public record KeyPage(List<String> keys, ScanCursor next) {

	}

	@FunctionalInterface
	private interface CommandsCallback<T> {

		T apply(RedisClusterAsyncCommands<byte[], byte[]> commands);

	}

}
