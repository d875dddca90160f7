package io.stockrecon.stock;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import io.stockrecon.StockreconProperties;

/**
 * The products' stock counters in Redis ({@code <prefix><productId>}): the only class
 * that talks to Redis.
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

	/**
	 * Reads the counters of these products, pipelined, one key per command.
	 * @return one value per product, in the same order
	 */
	public List<CounterValue> read(List<Long> productIds) {
		return withCommands((redis) -> {
			List<RedisFuture<byte[]>> replies = new ArrayList<>(productIds.size());
			for (long productId : productIds) {
				replies.add(redis.get(counterKey(productId)));
			}
			List<CounterValue> values = new ArrayList<>(productIds.size());
			for (RedisFuture<byte[]> reply : replies) {
				values.add(valueOf(reply));
			}
			return values;
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

	private static CounterValue valueOf(RedisFuture<byte[]> reply) {
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
