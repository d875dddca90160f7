package io.stockrecon.support;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.data.redis.core.HashOperations;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A shop that follows none of stockrecon's names ({@link ShopKind#UUID_HASH}), mapped by
 * settings alone: orders in {@code "order"} (a reserved word) with an
 * {@code order_status} whose cancelled value is {@code canceled}, lines in
 * {@code order_line}, stock in {@code products.stock_quantity}, uuid ids everywhere, and
 * every counter a field of one Redis hash ({@code HINCRBY <hash> <uuid> -1}).
 * <p>
 * Number n's uuid is {@code md5('order-' || n)} or {@code md5('product-' || n)}: random
 * in order like real uuids, yet the same in SQL and here, so a scenario picks orders and
 * products by number.
 */
final class UuidHashTestShop extends SqlTestShop {

	private static final String TABLES = """
			CREATE TABLE products (
			    id             uuid PRIMARY KEY,
			    stock_quantity bigint NOT NULL
			);
			CREATE TABLE "order" (
			    id           uuid PRIMARY KEY,
			    order_status text NOT NULL
			);
			CREATE TABLE order_line (
			    order_id   uuid NOT NULL REFERENCES "order" (id) ON DELETE CASCADE,
			    product_id uuid NOT NULL,
			    qty        integer NOT NULL
			);
			CREATE INDEX order_line_order_id_idx ON order_line (order_id);
			""";

	private static final String PRODUCTS = """
			INSERT INTO products (id, stock_quantity)
			SELECT md5('product-' || g)::uuid, :stock FROM generate_series(1, :products) g
			""";

	private static final String ORDERS = """
			INSERT INTO "order" (id, order_status)
			SELECT md5('order-' || g)::uuid, 'paid' FROM generate_series(1, :orders) g
			""";

	/** The same lines as the default shop's: product and quantity from the numbers. */
	private static final String LINES = """
			INSERT INTO order_line (order_id, product_id, qty)
			SELECT md5('order-' || o)::uuid, md5('product-' || (1 + ((o * 7 + k * 13) % :products)))::uuid,
			       1 + ((o + k) % 5)
			FROM generate_series(1, :orders) o, generate_series(1, 3) k
			""";

	private static final String TAKE_UNITS = """
			UPDATE products p SET stock_quantity = p.stock_quantity - t.units
			FROM (SELECT product_id, sum(qty) AS units FROM order_line GROUP BY product_id) t
			WHERE p.id = t.product_id
			""";

	private static final String CANCEL = """
			UPDATE "order" o SET order_status = c.status
			FROM (SELECT DISTINCT ON (n) n, status FROM unnest(:orders, :statuses) AS c(n, status)) c
			WHERE o.id = md5('order-' || c.n)::uuid AND o.order_status = 'paid'
			""";

	private static final String DELETE = """
			DELETE FROM "order" WHERE id IN (SELECT md5('order-' || n)::uuid FROM unnest(:orders) AS n)
			""";

	private static final String STOCK = """
			SELECT id::text, stock_quantity FROM products ORDER BY id
			""";

	private static final String EXPECTED_STOCK = """
			SELECT p.id::text, :initial - coalesce(sum(l.qty) FILTER (
			           WHERE o.id IS NOT NULL AND lower(btrim(o.order_status)) <> 'canceled'), 0)
			FROM products p
			LEFT JOIN order_line l ON l.product_id = p.id
			LEFT JOIN "order" o ON o.id = l.order_id
			GROUP BY p.id
			ORDER BY p.id
			""";

	private final String hash;

	UuidHashTestShop(JdbcClient jdbc, StringRedisTemplate redis, String hash) {
		super(ShopKind.UUID_HASH, jdbc, redis, CANCEL, DELETE);
		this.hash = hash;
	}

	@Override
	public List<String> settings() {
		return List.of("--stockrecon.shop.stock.table=products", "--stockrecon.shop.stock.key-column=id",
				"--stockrecon.shop.stock.quantity-column=stock_quantity", "--stockrecon.shop.orders.table=order",
				"--stockrecon.shop.orders.id-column=id", "--stockrecon.shop.orders.status-column=order_status",
				"--stockrecon.shop.orders.cancelled-statuses=canceled", "--stockrecon.shop.items.table=order_line",
				"--stockrecon.shop.items.order-column=order_id", "--stockrecon.shop.items.key-column=product_id",
				"--stockrecon.shop.items.quantity-column=qty", "--stockrecon.redis.key-template=" + this.hash,
				"--stockrecon.redis.hash-field-template=<id>");
	}

	@Override
	public void createTables() {
		this.jdbc.sql(TABLES).update();
	}

	@Override
	public void generatePaid(int products, int orders) {
		this.jdbc.sql(PRODUCTS).param("stock", INITIAL_STOCK).param("products", products).update();
		this.jdbc.sql(ORDERS).param("orders", orders).update();
		this.jdbc.sql(LINES).param("orders", orders).param("products", products).update();
		this.jdbc.sql(TAKE_UNITS).update();
		Map<String, String> counters = new LinkedHashMap<>();
		stock().forEach((key, units) -> counters.put(key, Long.toString(units)));
		setCounters(counters);
	}

	@Override
	public List<String> cancelledSpellings() {
		return List.of("canceled", " Canceled ", "CANCELED");
	}

	@Override
	public String productKey(long product) {
		String hex = HexFormat.of().formatHex(md5("product-" + product));
		return String.join("-", hex.substring(0, 8), hex.substring(8, 12), hex.substring(12, 16), hex.substring(16, 20),
				hex.substring(20));
	}

	@Override
	public void setCounters(Map<String, String> valuesByKey) {
		counters().putAll(this.hash, valuesByKey);
	}

	@Override
	public void deleteCounter(String key) {
		counters().delete(this.hash, key);
	}

	@Override
	public Map<String, Long> stock() {
		return unitsByKey(STOCK, Map.of());
	}

	@Override
	public Map<String, Long> expectedStock() {
		return unitsByKey(EXPECTED_STOCK, Map.of("initial", INITIAL_STOCK));
	}

	@Override
	public List<String> counters(List<String> keys) {
		return counters().multiGet(this.hash, keys);
	}

	private HashOperations<String, String, String> counters() {
		return this.redis.opsForHash();
	}

	private static byte[] md5(String text) {
		try {
			return MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every JVM has MD5", ex);
		}
	}

}
