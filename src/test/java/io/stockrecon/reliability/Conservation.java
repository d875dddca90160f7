package io.stockrecon.reliability;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.stockrecon.support.DirectStores;
import io.stockrecon.support.TestShop;

/**
 * Stock conservation, the invariant every fault must leave intact, on any shop: for every
 * product, PostgreSQL's stock is the initial stock minus the units of every order that
 * still exists and is not cancelled ({@link TestShop#expectedStock}), and the Redis
 * counter holds exactly PostgreSQL's stock, as a decimal integer.
 */
final class Conservation {

	private Conservation() {
	}

	static Result check(DirectStores stores) {
		TestShop shop = stores.shop();
		Map<String, Long> expected = shop.expectedStock();
		Map<String, Long> postgres = shop.stock();
		List<String> products = new ArrayList<>(postgres.keySet());
		List<String> counters = shop.counters(products);
		List<String> violations = new ArrayList<>();
		for (int i = 0; i < products.size(); i++) {
			String product = products.get(i);
			Long stock = postgres.get(product);
			if (!stock.equals(expected.get(product))) {
				violations.add("product %s: PostgreSQL has %d, conservation says %d".formatted(product, stock,
						expected.get(product)));
			}
			String counter = counters.get(i);
			if (!Long.toString(stock).equals(counter)) {
				violations.add("product %s: Redis has %s, PostgreSQL %d".formatted(product, counter, stock));
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
