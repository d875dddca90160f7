package io.stockrecon.support;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * stockrecon's own shop ({@link ShopKind#DEFAULT}): bigint ids that are the numbers
 * themselves, created by the job's first run, and a string key per product.
 */
final class DefaultTestShop implements TestShop {

	private static final String CANCEL = """
			UPDATE orders o SET status = c.status
			FROM (SELECT DISTINCT ON (id) id, status FROM unnest(:ids, :statuses) AS c(id, status)) c
			WHERE o.id = c.id AND o.status = 'paid'
			""";

	private static final String DELETE = """
			DELETE FROM orders WHERE id = ANY(:ids)
			""";

	private static final String STOCK = """
			SELECT product_id, stock FROM inventory
			""";

	private final JdbcClient jdbc;

	private final StringRedisTemplate redis;

	private final String keyPrefix;

	DefaultTestShop(JdbcClient jdbc, StringRedisTemplate redis, String keyPrefix) {
		this.jdbc = jdbc;
		this.redis = redis;
		this.keyPrefix = keyPrefix;
	}

	@Override
	public ShopKind kind() {
		return ShopKind.DEFAULT;
	}

	@Override
	public List<String> settings() {
		return List.of("--stockrecon.redis.key-prefix=" + this.keyPrefix);
	}

	@Override
	public void createTables() {
		// the first run creates inventory, orders and order_items
	}

	@Override
	public void generatePaid(int products, int orders) {
		ShopData.generatePaid(this.jdbc, this.redis, this.keyPrefix, products, orders);
	}

	@Override
	public List<String> cancelledSpellings() {
		return List.of("cancelled", " Cancelled ", "CANCELLED");
	}

	@Override
	public int cancel(long[] orders, String[] statuses) {
		return this.jdbc.sql(CANCEL).param("ids", orders).param("statuses", statuses).update();
	}

	@Override
	public int delete(long[] orders) {
		return this.jdbc.sql(DELETE).param("ids", orders).update();
	}

	@Override
	public String productKey(long product) {
		return Long.toString(product);
	}

	@Override
	public void setCounters(Map<String, String> valuesByKey) {
		Map<String, String> counters = new LinkedHashMap<>();
		valuesByKey.forEach((key, value) -> counters.put(this.keyPrefix + key, value));
		this.redis.opsForValue().multiSet(counters);
	}

	@Override
	public void deleteCounter(String key) {
		this.redis.delete(this.keyPrefix + key);
	}

	@Override
	public Map<String, Long> stock() {
		Map<Long, Long> stock = new TreeMap<>();
		this.jdbc.sql(STOCK).query((rs) -> {
			stock.put(rs.getLong(1), rs.getLong(2));
		});
		return byKey(stock);
	}

	@Override
	public Map<String, Long> expectedStock() {
		Map<Long, Long> expected = new TreeMap<>();
		ShopData.expectedStock(this.jdbc).forEach((product, units) -> expected.put(product, (long) units));
		return byKey(expected);
	}

	@Override
	public List<String> counters(List<String> keys) {
		List<String> values = this.redis.opsForValue()
			.multiGet(keys.stream().map((key) -> this.keyPrefix + key).toList());
		return (values != null) ? values : Arrays.asList(new String[keys.size()]);
	}

	/** In numeric order, as the job walks them. */
	private static Map<String, Long> byKey(Map<Long, Long> byNumber) {
		Map<String, Long> byKey = new LinkedHashMap<>();
		byNumber.forEach((product, units) -> byKey.put(Long.toString(product), units));
		return byKey;
	}

}
