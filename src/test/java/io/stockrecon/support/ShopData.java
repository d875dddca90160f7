package io.stockrecon.support;

import java.util.HashMap;
import java.util.Map;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A generated shop big enough for a run to be caught mid-step, and the stock conservation
 * invariant that must hold after any sequence of faults and relaunches.
 */
public final class ShopData {

	public static final int INITIAL_STOCK = 1_000_000;

	private ShopData() {
	}

	/**
	 * Products with {@link #INITIAL_STOCK} units, orders of three items each that took
	 * their units, then a share of them cancelled and a share deleted with plain SQL.
	 */
	public static void generate(JdbcClient jdbc, StringRedisTemplate redis, String keyPrefix, int products,
			int orders) {
		generatePaid(jdbc, redis, keyPrefix, products, orders);
		jdbc.sql("UPDATE orders SET status = 'cancelled' WHERE id % 5 IN (1, 2)").update();
		jdbc.sql("DELETE FROM orders WHERE id % 10 = 3").update();
	}

	/**
	 * Products with {@link #INITIAL_STOCK} units and paid orders of three items each that
	 * took their units in both stores; nothing cancelled or deleted yet, for tests that
	 * bring their own trouble.
	 */
	public static void generatePaid(JdbcClient jdbc, StringRedisTemplate redis, String keyPrefix, int products,
			int orders) {
		jdbc.sql("INSERT INTO inventory (product_id, stock) SELECT g, :stock FROM generate_series(1, :products) g")
			.param("stock", INITIAL_STOCK)
			.param("products", products)
			.update();
		jdbc.sql(
				"INSERT INTO orders (id, status, updated_at) SELECT g, 'paid', now() FROM generate_series(1, :orders) g")
			.param("orders", orders)
			.update();
		jdbc.sql("""
				INSERT INTO order_items (order_id, product_id, quantity)
				SELECT o, 1 + ((o * 7 + k * 13) % :products), 1 + ((o + k) % 5)
				FROM generate_series(1, :orders) o, generate_series(1, 3) k
				""").param("orders", orders).param("products", products).update();
		jdbc.sql("""
				UPDATE inventory i SET stock = i.stock - t.units
				FROM (SELECT product_id, sum(quantity) AS units FROM order_items GROUP BY product_id) t
				WHERE i.product_id = t.product_id
				""").update();
		Map<String, String> counters = new HashMap<>();
		jdbc.sql("SELECT product_id, stock FROM inventory").query((rs) -> {
			counters.put(keyPrefix + rs.getLong(1), Integer.toString(rs.getInt(2)));
		});
		redis.opsForValue().multiSet(counters);
	}

	/**
	 * Stock conservation: for every product, stock = initial stock minus the units of
	 * every order that still exists and is not cancelled. Deleted orders were deleted
	 * with their items, so their units are back too.
	 */
	public static Map<Long, Integer> expectedStock(JdbcClient jdbc) {
		Map<Long, Integer> expected = new HashMap<>();
		jdbc.sql("""
				SELECT i.product_id, :initial - coalesce(sum(oi.quantity) FILTER (
				           WHERE o.id IS NOT NULL AND lower(btrim(o.status)) <> 'cancelled'), 0) AS stock
				FROM inventory i
				LEFT JOIN order_items oi ON oi.product_id = i.product_id
				LEFT JOIN orders o ON o.id = oi.order_id
				GROUP BY i.product_id
				""").param("initial", INITIAL_STOCK).query((rs) -> {
			expected.put(rs.getLong(1), rs.getInt(2));
		});
		return expected;
	}

	public static Map<Long, Integer> redisStock(JdbcClient jdbc, StringRedisTemplate redis, String keyPrefix) {
		Map<Long, Integer> stock = new HashMap<>();
		jdbc.sql("SELECT product_id FROM inventory").query((rs) -> {
			String value = redis.opsForValue().get(keyPrefix + rs.getLong(1));
			stock.put(rs.getLong(1), (value != null) ? Integer.parseInt(value) : null);
		});
		return stock;
	}

}
