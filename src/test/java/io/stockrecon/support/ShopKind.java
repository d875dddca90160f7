package io.stockrecon.support;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The shops a scenario can run on: stockrecon's own names, which the job creates itself,
 * and a shop mapped by settings alone, whose tables exist before the job first starts.
 */
public enum ShopKind {

	/**
	 * {@code inventory}, {@code orders}, {@code order_items} with bigint ids, and one
	 * Redis string key per product under the test's key prefix.
	 */
	DEFAULT("default") {

		@Override
		TestShop open(JdbcClient jdbc, StringRedisTemplate redis, String keyPrefix) {
			return new DefaultTestShop(jdbc, redis, keyPrefix);
		}

	},

	/**
	 * {@code "order"}, {@code order_line} and {@code products} with uuid ids, the
	 * cancelled status spelled {@code canceled}, and every counter a field of one Redis
	 * hash named after the test's key prefix.
	 */
	UUID_HASH("uuid-hash") {

		@Override
		TestShop open(JdbcClient jdbc, StringRedisTemplate redis, String keyPrefix) {
			return new UuidHashTestShop(jdbc, redis, keyPrefix + "counters");
		}

	};

	private final String label;

	ShopKind(String label) {
		this.label = label;
	}

	/**
	 * The shop on a test's stores; {@code keyPrefix} is the test's own Redis namespace.
	 */
	abstract TestShop open(JdbcClient jdbc, StringRedisTemplate redis, String keyPrefix);

	/**
	 * How a scenario names itself on this shop: its plain name on the default shop, so
	 * that its figures read as before, and {@code name[uuid-hash]} on the others.
	 */
	public String label(String scenario) {
		return (this == DEFAULT) ? scenario : scenario + "[" + this.label + "]";
	}

	@Override
	public String toString() {
		return this.label;
	}

}
