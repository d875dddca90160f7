package io.stockrecon.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongFunction;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The one traffic generator of the tests: checkouts as a shop makes them on stockrecon's
 * default tables. Each reserves its items in Redis first ({@code DECRBY}), then writes
 * the order, its items and the stock in one PostgreSQL transaction, products in id order,
 * and waits a moment before it commits: the window in which the two stores disagree for a
 * good reason, which a repair must never close by force.
 */
public final class Checkouts {

	private final ConnectionSource connections;

	private final StringRedisTemplate redis;

	private final LongFunction<String> counterKey;

	private final Shape shape;

	private final AtomicLong orderIds;

	private final AtomicLong committed = new AtomicLong();

	/**
	 * @param connections a new PostgreSQL connection for each checkout thread
	 * @param counterKey the Redis key of a product's counter
	 * @param orderIds the last order id used; checkouts take the next ones
	 */
	public Checkouts(ConnectionSource connections, StringRedisTemplate redis, LongFunction<String> counterKey,
			Shape shape, AtomicLong orderIds) {
		this.connections = connections;
		this.redis = redis;
		this.counterKey = counterKey;
		this.shape = shape;
		this.orderIds = orderIds;
	}

	/** The checkouts committed so far, by every thread. */
	public long committed() {
		return this.committed.get();
	}

	/**
	 * Checks out on the calling thread while {@code on} says so.
	 * @return the checkouts this thread committed
	 */
	public long whileOn(BooleanSupplier on) throws SQLException, InterruptedException {
		long mine = 0;
		try (Connection connection = this.connections.open();
				PreparedStatement order = connection
					.prepareStatement("INSERT INTO orders (id, status, updated_at) VALUES (?, 'paid', now())");
				PreparedStatement item = connection
					.prepareStatement("INSERT INTO order_items (order_id, product_id, quantity) VALUES (?, ?, ?)");
				PreparedStatement stock = connection
					.prepareStatement("UPDATE inventory SET stock = stock - ? WHERE product_id = ?")) {
			connection.setAutoCommit(false);
			while (on.getAsBoolean()) {
				ThreadLocalRandom random = ThreadLocalRandom.current();
				TreeMap<Long, Integer> items = new TreeMap<>();
				for (int i = 0, count = 1 + random.nextInt(this.shape.maxLines()); i < count; i++) {
					items.merge(1L + random.nextInt(this.shape.products()),
							1 + random.nextInt(this.shape.maxQuantity()), Integer::sum);
				}
				items.forEach((product, quantity) -> this.redis.opsForValue()
					.decrement(this.counterKey.apply(product), quantity));
				long orderId = this.orderIds.incrementAndGet();
				order.setLong(1, orderId);
				order.executeUpdate();
				for (var line : items.entrySet()) {
					item.setLong(1, orderId);
					item.setLong(2, line.getKey());
					item.setInt(3, line.getValue());
					item.executeUpdate();
					stock.setInt(1, line.getValue());
					stock.setLong(2, line.getKey());
					stock.executeUpdate();
				}
				Thread.sleep(this.shape.minPauseMillis()
						+ random.nextInt(this.shape.maxPauseMillis() - this.shape.minPauseMillis() + 1));
				connection.commit();
				this.committed.incrementAndGet();
				mine++;
			}
		}
		return mine;
	}

	/**
	 * What the checkouts look like.
	 *
	 * @param products products 1 to this many are sold
	 * @param maxLines lines per order, from 1
	 * @param maxQuantity units per line, from 1
	 * @param minPauseMillis the least time between reservation and commit
	 * @param maxPauseMillis the most
	 */
	public record Shape(int products, int maxLines, int maxQuantity, int minPauseMillis, int maxPauseMillis) {

	}

	/** Where a checkout thread gets its connection. */
	@FunctionalInterface
	public interface ConnectionSource {

		Connection open() throws SQLException;

	}

}
