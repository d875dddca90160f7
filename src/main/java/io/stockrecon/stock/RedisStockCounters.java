package io.stockrecon.stock;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.Supplier;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.KeyValue;
import io.lettuce.core.MapScanCursor;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import io.stockrecon.StockreconProperties;
import io.stockrecon.shop.CounterKeys;

/**
 * The stock counters in Redis, one per stock key, laid out as {@link CounterKeys} says (a
 * string key each, or a field each of one hash): the only class that sends commands to
 * Redis, all on one {@link PipelinedConnection}.
 * <p>
 * Commands go out pipelined on Lettuce's asynchronous API, one key each, so the same code
 * works against a single Redis and a Redis Cluster (every command stays inside one slot).
 */
public class RedisStockCounters implements DisposableBean {

	/**
	 * Adds the units of one delivery at most once. {@code KEYS[1]} is the delivery's
	 * marker, {@code KEYS[2..n]} its counters, {@code ARGV[1]} the marker's time to live
	 * and {@code ARGV[2..n]} the units of each counter. Setting the marker and adding the
	 * units happen in one script, so a delivery is applied entirely or not at all; the
	 * marker shares the counters' hash slot through its hash tag, so this holds on a
	 * cluster too. A missing counter is left missing: the verify step owns it. Answers an
	 * empty list when the marker was already there, else one code per counter.
	 */
	private static final String DELIVER_ONCE = """
			if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then return {} end
			local outcomes = {}
			for i = 2, #KEYS do
			  if redis.call('EXISTS', KEYS[i]) == 0 then
			    outcomes[i - 1] = 2
			  else
			    local result = redis.pcall('INCRBY', KEYS[i], ARGV[i])
			    if type(result) == 'table' and result.err then outcomes[i - 1] = 3 else outcomes[i - 1] = 1 end
			  end
			end
			return outcomes
			""";

	/**
	 * Compare-and-set of a block of counters: each one is set only if it still holds
	 * exactly what the verifier saw (same type, same bytes), so a checkout that moved it
	 * in between is never undone. {@code ARGV} holds per counter its expected state, its
	 * expected bytes and the new value. One call per block, not per counter: after a
	 * Redis restart every counter is repaired, and a call per counter cost more than the
	 * work. Answers 1 (set) or 0 (left alone) per counter.
	 */
	private static final String SET_IF_UNCHANGED = """
			local applied = {}
			for i = 1, #KEYS do
			  local state = ARGV[3 * i - 2]
			  local kind = redis.call('TYPE', KEYS[i]).ok
			  local unchanged
			  if state == 'MISSING' then
			    unchanged = kind == 'none'
			  elseif state == 'STRING' then
			    unchanged = kind == 'string' and redis.call('GET', KEYS[i]) == ARGV[3 * i - 1]
			  else
			    unchanged = kind ~= 'none' and kind ~= 'string'
			  end
			  if unchanged then
			    redis.call('SET', KEYS[i], ARGV[3 * i])
			    applied[i] = 1
			  else
			    applied[i] = 0
			  end
			end
			return applied
			""";

	/**
	 * {@link #DELIVER_ONCE} for counters that are fields of one hash: {@code KEYS[2]} is
	 * the hash, {@code ARGV[2..n]} are pairs of field and units.
	 */
	private static final String DELIVER_ONCE_TO_FIELDS = """
			if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then return {} end
			local outcomes = {}
			for i = 2, #ARGV, 2 do
			  if redis.call('HEXISTS', KEYS[2], ARGV[i]) == 0 then
			    outcomes[i / 2] = 2
			  else
			    local result = redis.pcall('HINCRBY', KEYS[2], ARGV[i], ARGV[i + 1])
			    if type(result) == 'table' and result.err then outcomes[i / 2] = 3 else outcomes[i / 2] = 1 end
			  end
			end
			return outcomes
			""";

	/**
	 * {@link #SET_IF_UNCHANGED} for counters that are fields of one hash: {@code KEYS[1]}
	 * is the hash, {@code ARGV} holds per field its expected state, its expected bytes,
	 * the new value and the field.
	 */
	private static final String SET_FIELDS_IF_UNCHANGED = """
			local applied = {}
			for i = 1, #ARGV / 4 do
			  local field = ARGV[4 * i]
			  local unchanged
			  if ARGV[4 * i - 3] == 'MISSING' then
			    unchanged = redis.call('HEXISTS', KEYS[1], field) == 0
			  else
			    unchanged = redis.call('HGET', KEYS[1], field) == ARGV[4 * i - 2]
			  end
			  if unchanged then
			    redis.call('HSET', KEYS[1], field, ARGV[4 * i - 1])
			    applied[i] = 1
			  else
			    applied[i] = 0
			  end
			end
			return applied
			""";

	/**
	 * The most counters one compare-and-set call handles: Redis runs nothing else while a
	 * script runs, and checkouts should not wait more than about a millisecond for it.
	 */
	private static final int REPAIRS_PER_CALL = 256;

	/**
	 * The most counters one delivery script adds to: an {@code INCRBY} costs a fraction
	 * of a compare-and-set, so a call of this many still ends in about a millisecond.
	 * Part of the markers' contract, with the product order and the split by hash slot in
	 * {@link #calls}: a relaunch must cut a delivery into the same calls as the attempt
	 * that died, so a release must not change it while deliveries may be in flight.
	 */
	static final int COUNTERS_PER_DELIVERY = 1024;

	private static final String DELETE_FIELD_IF_UNCHANGED = """
			if redis.call('HGET', KEYS[1], ARGV[2]) ~= ARGV[1] then return 0 end
			redis.call('HDEL', KEYS[1], ARGV[2])
			return 1
			""";

	private static final String DELETE_IF_UNCHANGED = """
			if redis.call('TYPE', KEYS[1]).ok ~= 'string' or redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
			redis.call('DEL', KEYS[1])
			return 1
			""";

	private final PipelinedConnection connection;

	private final StockreconProperties.Redis settings;

	private final CounterKeys keys;

	public RedisStockCounters(RedisConnectionFactory connectionFactory, StockreconProperties.Redis settings) {
		this.connection = new PipelinedConnection(connectionFactory);
		this.settings = settings;
		this.keys = CounterKeys.of(settings);
	}

	/**
	 * Checks that Redis answers, so that a launch fails before it starts when Redis
	 * cannot be reached.
	 */
	public void ping() {
		withCommands((redis) -> await(redis.ping()));
	}

	/**
	 * Every key in the counters' database ({@code DBSIZE}, summed over the masters of a
	 * cluster), counters or not, or every field of their hash ({@code HLEN}): what
	 * {@link #scanLater} would walk, counted without walking it.
	 */
	public long keysWhereCountersLive() {
		return withCommands(
				(redis) -> await(this.keys.inHash() ? redis.hlen(bytes(this.keys.hash())) : redis.dbsize()));
	}

	/**
	 * Delivers the units of one planned delivery (outbox rows of one execution) exactly
	 * once: they are summed per counter and sent as one script call per
	 * {@link #COUNTERS_PER_DELIVERY} counters (and per hash slot on a cluster), each call
	 * under a marker of its own, so a redelivery after a crash finds the markers and adds
	 * nothing. The calls are sent now and this answers at once, so the caller can work on
	 * PostgreSQL while Redis runs them; {@link PendingDelivery#outcomes()} waits for
	 * them.
	 * @param delivery the delivery's id, which names its markers
	 * @param rows every row of the delivery, the same on every attempt
	 */
	public PendingDelivery deliverLater(long delivery, List<QueuedUnits> rows) {
		byte[] ttl = bytes(Long.toString(Math.max(1, this.settings.appliedMarkerTtl().toSeconds())));
		return withCommands((redis) -> {
			List<DeliveryCall> calls = calls(delivery, rows);
			// loaded once per delivery (on every master of a cluster), then called by
			// digest
			String script = await(redis.scriptLoad(this.keys.inHash() ? DELIVER_ONCE_TO_FIELDS : DELIVER_ONCE));
			List<RedisFuture<List<Object>>> replies = new ArrayList<>(calls.size());
			calls.forEach((call) -> replies.add(deliver(redis, script, ttl, call)));
			this.connection.flush();
			return new PendingDelivery(calls, replies);
		});
	}

	private RedisFuture<List<Object>> deliver(RedisClusterAsyncCommands<byte[], byte[]> redis, String script,
			byte[] ttl, DeliveryCall call) {
		List<Map.Entry<String, Long>> units = call.units();
		if (this.keys.inHash()) {
			List<byte[]> arguments = new ArrayList<>(1 + 2 * units.size());
			arguments.add(ttl);
			units.forEach((unit) -> {
				arguments.add(bytes(this.keys.field(unit.getKey())));
				arguments.add(bytes(Long.toString(unit.getValue())));
			});
			return redis.evalsha(script, ScriptOutputType.MULTI,
					new byte[][] { call.marker(), bytes(this.keys.hash()) }, arguments.toArray(byte[][]::new));
		}
		List<byte[]> keys = new ArrayList<>(1 + units.size());
		List<byte[]> arguments = new ArrayList<>(1 + units.size());
		keys.add(call.marker());
		arguments.add(ttl);
		units.forEach((unit) -> {
			keys.add(counterKey(unit.getKey()));
			arguments.add(bytes(Long.toString(unit.getValue())));
		});
		return redis.evalsha(script, ScriptOutputType.MULTI, keys.toArray(byte[][]::new),
				arguments.toArray(byte[][]::new));
	}

	/**
	 * The script calls of one delivery, each with its marker: its rows' units summed per
	 * counter, taken in product order (per hash slot on a cluster: a script may only
	 * touch keys of one slot there) and cut into calls of at most
	 * {@link #COUNTERS_PER_DELIVERY}. The same rows always make the same calls under the
	 * same markers. A row migration V9 made of an earlier release's block of rows is
	 * delivered alone; it holds at most 1024 products and keeps that release's one call
	 * per slot and its marker, so a block delivered before the upgrade is not delivered
	 * again.
	 */
	private List<DeliveryCall> calls(long delivery, List<QueuedUnits> rows) {
		long jobExecutionId = rows.get(0).jobExecutionId();
		Long legacyBlock = rows.get(0).legacyBlock();
		for (QueuedUnits row : rows) {
			if (row.jobExecutionId() != jobExecutionId || (row.legacyBlock() != null && rows.size() > 1)) {
				throw new IllegalArgumentException(
						"delivery %d mixes outbox rows of executions or an earlier release's row with others"
							.formatted(delivery));
			}
		}
		boolean split = !this.keys.inHash() && this.connection.isCluster();
		Map<Integer, TreeMap<String, Long>> bySlot = new TreeMap<>();
		for (QueuedUnits row : rows) {
			for (int i = 0; i < row.size(); i++) {
				String productId = row.productIds().get(i);
				int slot = split ? SlotHash.getSlot(counterKey(productId)) : -1;
				bySlot.computeIfAbsent(slot, (any) -> new TreeMap<>()).merge(productId, row.deltas().get(i), Long::sum);
			}
		}
		List<DeliveryCall> calls = new ArrayList<>();
		for (TreeMap<String, Long> slot : bySlot.values()) {
			List<Map.Entry<String, Long>> units = List.copyOf(slot.entrySet());
			int perCall = (legacyBlock != null) ? units.size() : COUNTERS_PER_DELIVERY;
			for (int from = 0, part = 0; from < units.size(); from += perCall, part++) {
				List<Map.Entry<String, Long>> call = units.subList(from, Math.min(units.size(), from + perCall));
				String name = (legacyBlock != null) ? Long.toString(legacyBlock) : "delivery-" + delivery + "." + part;
				calls.add(new DeliveryCall(markerKey(jobExecutionId, name, call.get(0).getKey()), call));
			}
		}
		return calls;
	}

	/**
	 * Sends the read of the counters of these stock keys now and answers at once: the
	 * caller can read the next page of PostgreSQL while Redis answers this one. One
	 * {@code MGET} (on a cluster, Lettuce splits it by hash slot), or one {@code HMGET}
	 * of their fields. {@code MGET} answers nil for a missing key and for a key of
	 * another type alike; one {@code EXISTS} over those tells whether any exists, and
	 * only then a pipelined {@code TYPE} each tells them apart (after a Redis restart
	 * every key is missing: a {@code TYPE} per key doubled the reads).
	 * <p>
	 * The {@code EXISTS} leaves from Lettuce's thread the moment the values arrive, not
	 * when the caller asks for them: asked then, it waited behind the reads of the pages
	 * in flight, and with a third of 0.1 % of the counters missing, a third of the reads
	 * of a million counters have a nil (about 1.1 to 1.6 s of a 3.3 to 4.1 s first look
	 * waited for those answers, measured by hand).
	 */
	public PendingRead readLater(List<String> productIds) {
		if (productIds.isEmpty()) {
			return new PendingRead(null, null, null);
		}
		return withCommands((redis) -> {
			if (this.keys.inHash()) {
				// a hash's fields are strings: a nil field is missing
				byte[][] fields = productIds.stream().map((id) -> bytes(this.keys.field(id))).toArray(byte[][]::new);
				RedisFuture<List<KeyValue<byte[], byte[]>>> reply = redis.hmget(bytes(this.keys.hash()), fields);
				this.connection.flush();
				return new PendingRead(null, reply, null);
			}
			byte[][] keys = productIds.stream().map(this::counterKey).toArray(byte[][]::new);
			RedisFuture<List<KeyValue<byte[], byte[]>>> reply = redis.mget(keys);
			/*
			 * On Lettuce's event loop: it only writes a command and flushes, never waits,
			 * and a caller's await flushes again while it waits (a cluster node whose
			 * connection is still opening).
			 */
			CompletableFuture<Long> nilsThatExist = reply.thenCompose((values) -> {
				byte[][] nils = nilKeys(keys, values);
				if (nils.length == 0) {
					return CompletableFuture.completedFuture(0L);
				}
				RedisFuture<Long> exists = redis.exists(nils);
				this.connection.flush();
				return exists;
			}).toCompletableFuture();
			this.connection.flush();
			return new PendingRead(keys, reply, nilsThatExist);
		});
	}

	private static byte[][] nilKeys(byte[][] keys, List<KeyValue<byte[], byte[]>> values) {
		List<byte[]> nils = new ArrayList<>();
		for (int i = 0; i < values.size(); i++) {
			if (!values.get(i).hasValue()) {
				nils.add(keys[i]);
			}
		}
		return nils.toArray(byte[][]::new);
	}

	/**
	 * Sends each repair, to be applied only where the counter still holds the expected
	 * value, a block of counters per script call, and answers at once: the caller can
	 * work on PostgreSQL while Redis runs them.
	 * @return for each repair, whether it was applied, once Redis answered
	 */
	public PendingRepairs setIfUnchangedLater(List<CounterRepair> repairs) {
		return withCommands((redis) -> {
			/*
			 * EVAL, not a loaded script: its text is small beside a block's keys, and a
			 * Redis that restarted in the middle of a repair (the case this serves) has
			 * forgotten every loaded script.
			 */
			String script = this.keys.inHash() ? SET_FIELDS_IF_UNCHANGED : SET_IF_UNCHANGED;
			// a script may only touch keys of one hash slot on a cluster
			boolean split = !this.keys.inHash() && this.connection.isCluster();
			Map<Integer, List<Integer>> bySlot = new LinkedHashMap<>();
			for (int i = 0; i < repairs.size(); i++) {
				int slot = split ? SlotHash.getSlot(counterKey(repairs.get(i).productId())) : -1;
				bySlot.computeIfAbsent(slot, (any) -> new ArrayList<>()).add(i);
			}
			List<RepairCall> calls = new ArrayList<>();
			for (List<Integer> slot : bySlot.values()) {
				for (int from = 0; from < slot.size(); from += REPAIRS_PER_CALL) {
					List<Integer> block = slot.subList(from, Math.min(slot.size(), from + REPAIRS_PER_CALL));
					calls.add(new RepairCall(block,
							setBlockIfUnchanged(redis, script, block.stream().map(repairs::get).toList())));
				}
			}
			this.connection.flush();
			return new PendingRepairs(() -> {
				Boolean[] applied = new Boolean[repairs.size()];
				for (RepairCall call : calls) {
					List<Object> codes = await(call.reply());
					for (int i = 0; i < call.repairs().size(); i++) {
						applied[call.repairs().get(i)] = Long.valueOf(1L).equals(codes.get(i));
					}
				}
				return List.of(applied);
			});
		});
	}

	private RedisFuture<List<Object>> setBlockIfUnchanged(RedisClusterAsyncCommands<byte[], byte[]> redis,
			String script, List<CounterRepair> block) {
		int perRepair = this.keys.inHash() ? 4 : 3;
		byte[][] keys = this.keys.inHash() ? new byte[][] { bytes(this.keys.hash()) } : new byte[block.size()][];
		byte[][] arguments = new byte[perRepair * block.size()][];
		for (int i = 0; i < block.size(); i++) {
			CounterRepair repair = block.get(i);
			CounterValue expected = repair.expected();
			// to the script a binary value is a string: compared byte for byte
			String state = (expected.state() == CounterValue.State.BINARY) ? CounterValue.State.STRING.name()
					: expected.state().name();
			arguments[perRepair * i] = bytes(state);
			arguments[perRepair * i + 1] = (expected.bytes() != null) ? expected.bytes() : new byte[0];
			arguments[perRepair * i + 2] = bytes(Long.toString(repair.newValue()));
			if (this.keys.inHash()) {
				arguments[perRepair * i + 3] = bytes(this.keys.field(repair.productId()));
			}
			else {
				keys[i] = counterKey(repair.productId());
			}
		}
		return redis.eval(script, ScriptOutputType.MULTI, keys, arguments);
	}

	/**
	 * Deletes a counter key (or hash field) found by {@link #scanLater} only if it still
	 * holds the value seen.
	 * @return whether it was deleted
	 */
	public boolean deleteIfUnchanged(String keyOrField, String expected) {
		Long deleted = withCommands((redis) -> await(this.keys.inHash()
				? redis.<Long>eval(DELETE_FIELD_IF_UNCHANGED, ScriptOutputType.INTEGER,
						new byte[][] { bytes(this.keys.hash()) }, bytes(expected), bytes(keyOrField))
				: redis.<Long>eval(DELETE_IF_UNCHANGED, ScriptOutputType.INTEGER, new byte[][] { bytes(keyOrField) },
						bytes(expected))));
		return deleted == 1L;
	}

	/**
	 * Asks for one page of a cluster-wide {@code SCAN} over the counter keys, or of an
	 * {@code HSCAN} over the fields of the counters' hash, and answers at once: the
	 * caller can check one page while Redis scans the next.
	 * @param cursor {@code null} to start
	 * @return the page on its way: its keys (or fields), with the cursor to go on from
	 */
	public PendingKeyPage scanLater(ScanCursor cursor, int pageSize) {
		ScanArgs args = ScanArgs.Builder.matches(this.keys.pattern()).limit(pageSize);
		if (this.keys.inHash()) {
			byte[] hash = bytes(this.keys.hash());
			return withCommands((redis) -> {
				RedisFuture<MapScanCursor<byte[], byte[]>> reply = (cursor != null) ? redis.hscan(hash, cursor, args)
						: redis.hscan(hash, args);
				this.connection.flush();
				return new PendingKeyPage(() -> {
					MapScanCursor<byte[], byte[]> page = await(reply);
					return new KeyPage(strings(page.getMap().keySet()), page.isFinished() ? null : page);
				});
			});
		}
		return withCommands((redis) -> {
			RedisFuture<KeyScanCursor<byte[]>> reply = (cursor != null) ? redis.scan(cursor, args) : redis.scan(args);
			this.connection.flush();
			return new PendingKeyPage(() -> {
				KeyScanCursor<byte[]> page = await(reply);
				return new KeyPage(strings(page.getKeys()), page.isFinished() ? null : page);
			});
		});
	}

	private static List<String> strings(Collection<byte[]> keys) {
		List<String> strings = new ArrayList<>(keys.size());
		keys.forEach((key) -> strings.add(new String(key, StandardCharsets.UTF_8)));
		return strings;
	}

	/** The stored value of a key (or hash field) found by {@link #scanLater}. */
	public CounterValue readKey(String keyOrField) {
		return withCommands((redis) -> valueOf(this.keys.inHash()
				? redis.hget(bytes(this.keys.hash()), bytes(keyOrField)) : redis.get(bytes(keyOrField))));
	}

	/** Where the counters live. */
	public CounterKeys keys() {
		return this.keys;
	}

	private CounterValue valueOf(RedisFuture<byte[]> reply) {
		try {
			byte[] value = await(reply);
			return (value != null) ? CounterValue.of(value) : CounterValue.MISSING;
		}
		catch (RedisSystemException ex) {
			if (ex.getCause() != null && String.valueOf(ex.getCause().getMessage()).startsWith("WRONGTYPE")) {
				return CounterValue.WRONG_TYPE;
			}
			throw ex;
		}
	}

	byte[] counterKey(String productId) {
		return bytes(this.keys.key(productId));
	}

	/**
	 * In the hash slot of its call: the key of the call's first counter (the hash, for
	 * counters in a hash) is the marker's hash tag. The name is the delivery's and the
	 * call's ({@code delivery-<id>.<part>}), or for a row an earlier release queued, its
	 * block of ids: that release's markers were {@code {<first counter
	 * key>}:stockrecon-delivered:<execution>:<block>}.
	 */
	private byte[] markerKey(long jobExecutionId, String delivery, String firstProductId) {
		return bytes("{" + this.keys.key(firstProductId) + "}:stockrecon-delivered:" + jobExecutionId + ":" + delivery);
	}

	/**
	 * Every command goes out on one dedicated connection: {@link PipelinedConnection}.
	 */
	private <T> T withCommands(Function<RedisClusterAsyncCommands<byte[], byte[]>, T> callback) {
		return this.connection.withCommands(callback);
	}

	@Override
	public void destroy() {
		this.connection.close();
	}

	private <T> T await(Future<T> reply) {
		return this.connection.await(reply);
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Counters asked for with {@link #readLater}, on their way.
	 */
	public final class PendingRead {

		private final byte[][] keys;

		private final RedisFuture<List<KeyValue<byte[], byte[]>>> reply;

		/** How many of the keys {@code MGET} answered nil for exist; null for a hash. */
		private final CompletableFuture<Long> nilsThatExist;

		private PendingRead(byte[][] keys, RedisFuture<List<KeyValue<byte[], byte[]>>> reply,
				CompletableFuture<Long> nilsThatExist) {
			this.keys = keys;
			this.reply = reply;
			this.nilsThatExist = nilsThatExist;
		}

		/**
		 * Waits for the answer.
		 * @return one value per stock key, in the order asked
		 */
		public List<CounterValue> values() {
			if (this.reply == null) {
				return List.of();
			}
			return withCommands((redis) -> {
				List<KeyValue<byte[], byte[]>> values = await(this.reply);
				if (this.keys == null) {
					return values.stream()
						.map((value) -> value.hasValue() ? CounterValue.of(value.getValue()) : CounterValue.MISSING)
						.toList();
				}
				List<CounterValue> counters = new ArrayList<>(values.size());
				List<Integer> nil = new ArrayList<>();
				for (int i = 0; i < values.size(); i++) {
					KeyValue<byte[], byte[]> value = values.get(i);
					if (value.hasValue()) {
						counters.add(CounterValue.of(value.getValue()));
					}
					else {
						counters.add(CounterValue.MISSING);
						nil.add(i);
					}
				}
				if (nil.isEmpty() || await(this.nilsThatExist) == 0) {
					// none exists: all are missing (as after a Redis restart)
					return counters;
				}
				Map<Integer, RedisFuture<String>> types = new HashMap<>();
				nil.forEach((i) -> types.put(i, redis.type(this.keys[i])));
				types.forEach((index, type) -> {
					if (!"none".equals(await(type))) {
						counters.set(index, CounterValue.WRONG_TYPE);
					}
				});
				return counters;
			});
		}

	}

	/**
	 * Repairs sent with {@link #setIfUnchangedLater}, their script calls on their way.
	 */
	public static final class PendingRepairs {

		private final Supplier<List<Boolean>> applied;

		private PendingRepairs(Supplier<List<Boolean>> applied) {
			this.applied = applied;
		}

		/**
		 * Waits for the answers.
		 * @return for each repair, in the order sent, whether it was applied
		 */
		public List<Boolean> applied() {
			return this.applied.get();
		}

	}

	/**
	 * A delivery sent with {@link #deliverLater}, its script calls on their way.
	 */
	public final class PendingDelivery {

		private final List<DeliveryCall> calls;

		private final List<RedisFuture<List<Object>>> replies;

		private PendingDelivery(List<DeliveryCall> calls, List<RedisFuture<List<Object>>> replies) {
			this.calls = calls;
			this.replies = replies;
		}

		/**
		 * Waits for the answers.
		 * @return one outcome per counter (its units summed over the delivery's rows), in
		 * product order
		 */
		public List<DeliveryOutcome> outcomes() {
			return withCommands((redis) -> {
				List<DeliveryOutcome> outcomes = new ArrayList<>();
				for (int i = 0; i < this.calls.size(); i++) {
					List<Object> codes = await(this.replies.get(i));
					int counters = this.calls.get(i).units().size();
					for (int j = 0; j < counters; j++) {
						outcomes.add(codes.isEmpty() ? DeliveryOutcome.ALREADY_APPLIED
								: DeliveryOutcome.fromScriptResult((Long) codes.get(j)));
					}
				}
				return outcomes;
			});
		}

		/**
		 * Removes the markers once the rows are gone from PostgreSQL: they can no longer
		 * be delivered again, so their markers only cost memory.
		 */
		public void forgetMarkers() {
			withCommands((redis) -> {
				List<RedisFuture<Long>> replies = new ArrayList<>(this.calls.size());
				this.calls.forEach((call) -> replies.add(redis.unlink(call.marker())));
				replies.forEach(RedisStockCounters.this::await);
				return null;
			});
		}

	}

	/**
	 * One compare-and-set call: the indexes of its repairs among those sent, and its
	 * answer on the way.
	 */
	private record RepairCall(List<Integer> repairs, RedisFuture<List<Object>> reply) {

	}

	/**
	 * One script call of a delivery: its marker, and its counters (all in one hash slot)
	 * with their units.
	 */
	private record DeliveryCall(byte[] marker, List<Map.Entry<String, Long>> units) {

	}

	/**
	 * A page of keys, and where the scan goes on ({@code null} when it is done).
	 */
	public record KeyPage(List<String> keys, ScanCursor next) {

	}

	/**
	 * A page asked for with {@link #scanLater}, on its way.
	 */
	public static final class PendingKeyPage {

		private final Supplier<KeyPage> page;

		private PendingKeyPage(Supplier<KeyPage> page) {
			this.page = page;
		}

		/** Waits for the page. */
		public KeyPage page() {
			return this.page.get();
		}

	}

}
