package io.stockrecon.reliability;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.stockrecon.support.DirectStores;
import io.stockrecon.support.ShopData;

/**
 * Stock conservation, the invariant every fault must leave intact: for every product,
 * PostgreSQL's stock is the initial stock minus the units of every order that still
 * exists and is not cancelled ({@link ShopData#expectedStock}), and the Redis counter
 * holds exactly PostgreSQL's stock, as a decimal integer.
 */
final class Conservation {

	private Conservation() {
	}

	static Result check(DirectStores stores) {
		Map<Long, Integer> expected = new TreeMap<>(ShopData.expectedStock(stores.jdbc()));
		Map<Long, Integer> postgres = new TreeMap<>();
		stores.jdbc().sql("SELECT product_id, stock FROM inventory").query((rs) -> {
			postgres.put(rs.getLong(1), rs.getInt(2));
		});
		List<Long> products = new ArrayList<>(postgres.keySet());
		List<String> counters = stores.redis()
			.opsForValue()
			.multiGet(products.stream().map((id) -> stores.keyPrefix() + id).toList());
		List<String> violations = new ArrayList<>();
		for (int i = 0; i < products.size(); i++) {
			long product = products.get(i);
			Integer stock = postgres.get(product);
			if (!stock.equals(expected.get(product))) {
				violations.add("product %d: PostgreSQL has %d, conservation says %d".formatted(product, stock,
						expected.get(product)));
			}
			String counter = (counters != null) ? counters.get(i) : null;
			if (!Integer.toString(stock).equals(counter)) {
				violations.add("product %d: Redis has %s, PostgreSQL %d".formatted(product, counter, stock));
			}
		}
		return new Result(products.size(), violations);
	}

	/**
	 * What a check found.
	 */
	record Result(int productsChecked, List<String> violations) {

		/** The first violations, for an assertion message. */
		String describe() {
			return violations().size() + " violations: " + violations().stream().limit(20).toList();
		}

	}

}
