package io.stockrecon.support;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A test shop: writes orders the way a shop does (plain SQL) and reads both stores back.
 */
public class Shop {

	private final JdbcClient jdbc;

	private final StringRedisTemplate redis;

	private final String keyPrefix;

	public Shop(JdbcClient jdbc, StringRedisTemplate redis, String keyPrefix) {
		this.jdbc = jdbc;
		this.redis = redis;
		this.keyPrefix = keyPrefix;
	}

	/** A product with the same stock in PostgreSQL and Redis. */
	public Shop product(long productId, int stock) {
		this.jdbc.sql("INSERT INTO inventory (product_id, stock) VALUES (:id, :stock)")
			.param("id", productId)
			.param("stock", stock)
			.update();
		this.redis.opsForValue().set(counterKey(productId), Integer.toString(stock));
		return this;
	}

	/**
	 * An order with items given as product, quantity pairs; its units are taken from
	 * stock in both stores as a checkout does.
	 */
	public Shop order(long orderId, String status, long... productQuantityPairs) {
		this.jdbc.sql("INSERT INTO orders (id, status, updated_at) VALUES (:id, :status, now())")
			.param("id", orderId)
			.param("status", status)
			.update();
		for (int i = 0; i < productQuantityPairs.length; i += 2) {
			long productId = productQuantityPairs[i];
			int quantity = (int) productQuantityPairs[i + 1];
			this.jdbc.sql("INSERT INTO order_items (order_id, product_id, quantity) VALUES (:order, :product, :qty)")
				.param("order", orderId)
				.param("product", productId)
				.param("qty", quantity)
				.update();
			this.jdbc.sql("UPDATE inventory SET stock = stock - :qty WHERE product_id = :product")
				.param("qty", quantity)
				.param("product", productId)
				.update();
			if (Boolean.TRUE.equals(this.redis.hasKey(counterKey(productId)))) {
				this.redis.opsForValue().decrement(counterKey(productId), quantity);
			}
		}
		return this;
	}

	/** Sets the status with plain SQL, leaving {@code updated_at} alone. */
	public Shop setStatus(long orderId, String status) {
		this.jdbc.sql("UPDATE orders SET status = :status WHERE id = :id")
			.param("status", status)
			.param("id", orderId)
			.update();
		return this;
	}

	public Shop cancel(long... orderIds) {
		Arrays.stream(orderIds).forEach((id) -> setStatus(id, "cancelled"));
		return this;
	}

	public Shop delete(long... orderIds) {
		Arrays.stream(orderIds)
			.forEach((id) -> this.jdbc.sql("DELETE FROM orders WHERE id = :id").param("id", id).update());
		return this;
	}

	public int stock(long productId) {
		return this.jdbc.sql("SELECT stock FROM inventory WHERE product_id = :id")
			.param("id", productId)
			.query(Integer.class)
			.single();
	}

	public String counter(long productId) {
		return this.redis.opsForValue().get(counterKey(productId));
	}

	public Shop setCounter(long productId, String value) {
		this.redis.opsForValue().set(counterKey(productId), value);
		return this;
	}

	public Shop deleteCounter(long productId) {
		this.redis.delete(counterKey(productId));
		return this;
	}

	public Map<Long, Integer> allStock() {
		Map<Long, Integer> stock = new HashMap<>();
		this.jdbc.sql("SELECT product_id, stock FROM inventory").query((rs) -> {
			stock.put(rs.getLong(1), rs.getInt(2));
		});
		return stock;
	}

	public long count(String sql) {
		return this.jdbc.sql(sql).query(Long.class).single();
	}

	public String counterKey(long productId) {
		return this.keyPrefix + productId;
	}

	public JdbcClient jdbc() {
		return this.jdbc;
	}

}
