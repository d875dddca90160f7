package io.stockrecon.support;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * stockrecon's own shop ({@link ShopKind#DEFAULT}): bigint ids that are the numbers
 * themselves, created by the job's first run, and a string key per product.
 */
final class DefaultTestShop extends SqlTestShop {

	private static final String CANCEL = """
			UPDATE orders o SET status = c.status
			FROM (SELECT DISTINCT ON (id) id, status FROM unnest(:orders, :statuses) AS c(id, status)) c
			WHERE o.id = c.id AND o.status = 'paid'
			""";

	private static final String DELETE = """
			DELETE FROM orders WHERE id = ANY(:orders)
			""";

	/** In numeric order, as the job walks them. */
	private static final String STOCK = """
			SELECT product_id::text, stock FROM inventory ORDER BY product_id
			""";

	private final String keyPrefix;

	DefaultTestShop(JdbcClient jdbc, StringRedisTemplate redis, String keyPrefix) {
		super(ShopKind.DEFAULT, jdbc, redis, CANCEL, DELETE);
		this.keyPrefix = keyPrefix;
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
		return unitsByKey(STOCK, Map.of());
	}

	@Override
	public Map<String, Long> expectedStock() {
		Map<String, Long> expected = new LinkedHashMap<>();
		ShopData.expectedStock(this.jdbc)
			.entrySet()
			.stream()
			.sorted(Map.Entry.comparingByKey())
			.forEach((entry) -> expected.put(Long.toString(entry.getKey()), (long) entry.getValue()));
		return expected;
	}

	@Override
	public List<String> counters(List<String> keys) {
		List<String> values = this.redis.opsForValue()
			.multiGet(keys.stream().map((key) -> this.keyPrefix + key).toList());
		return (values != null) ? values : Arrays.asList(new String[keys.size()]);
	}

}
