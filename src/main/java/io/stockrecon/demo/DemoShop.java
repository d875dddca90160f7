package io.stockrecon.demo;

import java.util.List;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.stockrecon.shop.CounterKeys;

/**
 * A small shop with a day of trouble: sales, cancellations made every which way,
 * deletions, a bad item, and Redis counters that drifted.
 */
final class DemoShop {

	static final int PRODUCTS = 20;

	static final int ORDERS = 60;

	private DemoShop() {
	}

	static void seed(JdbcClient jdbc, StringRedisTemplate redis, CounterKeys keys) {
		jdbc.sql("INSERT INTO inventory (product_id, stock) SELECT g, 100 FROM generate_series(1, :products) g")
			.param("products", PRODUCTS)
			.update();
		jdbc.sql(
				"INSERT INTO orders (id, status, updated_at) SELECT g, 'paid', now() FROM generate_series(1, :orders) g")
			.param("orders", ORDERS)
			.update();
		// one to three lines per order; every sale took its units from stock
		jdbc.sql("""
				INSERT INTO order_items (order_id, product_id, quantity)
				SELECT o, 1 + (o * 7 + k * 3) % :products, 1 + (o + k) % 4
				FROM generate_series(1, :orders) o, generate_series(1, 1 + o % 3) k
				""").param("orders", ORDERS).param("products", PRODUCTS).update();
		jdbc.sql("""
				UPDATE inventory i SET stock = i.stock - s.units
				FROM (SELECT product_id, sum(quantity) AS units FROM order_items GROUP BY product_id) s
				WHERE i.product_id = s.product_id
				""").update();
		jdbc.sql("SELECT product_id, stock FROM inventory").query((rs) -> {
			redis.opsForValue().set(keys.key(rs.getString(1)), Integer.toString(rs.getInt(2)));
		});

		// the day's trouble
		jdbc.sql("UPDATE orders SET status = 'cancelled', updated_at = now() WHERE id IN (3, 8, 15, 22)").update();
		jdbc.sql("UPDATE orders SET status = ' CANCELLED ' WHERE id = 31").update();
		jdbc.sql("UPDATE orders SET status = 'cancelled', updated_at = now() - interval '30 days' WHERE id = 40")
			.update();
		jdbc.sql("INSERT INTO order_items (order_id, product_id, quantity) VALUES (22, 9999, 2)").update();
		jdbc.sql("UPDATE orders SET status = 'cancelled' WHERE id = 50").update();
		jdbc.sql("DELETE FROM orders WHERE id IN (12, 27, 50, 58)").update();
		redis.opsForValue().increment(keys.key("4"), 5);
		redis.delete(keys.key("7"));
		redis.opsForValue().set(keys.key("11"), "oops");
		redis.opsForValue().set(keys.key("999"), "12");
	}

	static List<String> story() {
		return List.of("A shop of " + PRODUCTS + " products sold " + ORDERS + " orders today. Then:",
				"  - orders 3, 8, 15, 22 were cancelled by the application, 31 by an admin as ' CANCELLED ',",
				"    40 with a back-dated timestamp; order 22 also had an item for a product that does not exist;",
				"  - orders 12, 27, 58 were deleted, and 50 was cancelled and then deleted;",
				"  - Redis drifted: product 4 shows 5 units too many, product 7 lost its key,",
				"    product 11 holds 'oops', and stock:999 names no product.");
	}

}
