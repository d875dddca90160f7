package io.stockrecon.support;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What every {@link TestShop} does the same way, whatever its schema: it cancels and
 * deletes orders by number with one statement of its own, and reads stock back as rows of
 * (stock key, units).
 */
abstract class SqlTestShop implements TestShop {

	private final ShopKind kind;

	protected final JdbcClient jdbc;

	protected final StringRedisTemplate redis;

	private final String cancel;

	private final String delete;

	/**
	 * @param cancel sets {@code :statuses} on the paid orders of numbers {@code :orders}
	 * @param delete deletes the orders of numbers {@code :orders}
	 */
	SqlTestShop(ShopKind kind, JdbcClient jdbc, StringRedisTemplate redis, String cancel, String delete) {
		this.kind = kind;
		this.jdbc = jdbc;
		this.redis = redis;
		this.cancel = cancel;
		this.delete = delete;
	}

	@Override
	public ShopKind kind() {
		return this.kind;
	}

	@Override
	public int cancel(long[] orders, String[] statuses) {
		return this.jdbc.sql(this.cancel).param("orders", orders).param("statuses", statuses).update();
	}

	@Override
	public int delete(long[] orders) {
		return this.jdbc.sql(this.delete).param("orders", orders).update();
	}

	/** Rows of (stock key as text, units), in the statement's order. */
	protected Map<String, Long> unitsByKey(String sql, Map<String, ?> parameters) {
		Map<String, Long> units = new LinkedHashMap<>();
		this.jdbc.sql(sql).params(parameters).query((rs) -> {
			units.put(rs.getString(1), rs.getLong(2));
		});
		return units;
	}

}
