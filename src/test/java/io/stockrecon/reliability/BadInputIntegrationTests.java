package io.stockrecon.reliability;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.data.redis.core.RedisCallback;

import io.stockrecon.cli.ExitCode;
import io.stockrecon.support.RequiresStores;
import io.stockrecon.support.Shop;
import io.stockrecon.support.StockreconJar;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input through the packaged jar, each with the outcome the README documents: bad
 * order items skipped and audited, odd but valid orders restored once, statuses read
 * trimmed and case-insensitively and nothing more, every broken counter value repaired
 * from PostgreSQL, odd keys under the prefix reported and deleted only on request. The
 * rules already pinned in-process (restore and verify integration tests) are covered here
 * only where the jar adds something: the exit codes, a second run, the values and key
 * names those tests do not plant.
 */
@ExtendWith(RequiresStores.class)
@Tag("reliability")
class BadInputIntegrationTests {

	static final int NEAR_MAX = Integer.MAX_VALUE - 10;

	static Shop shop;

	/**
	 * One restore partition: two orders that overflow a product together are decided by
	 * order id within a partition, and these two would fall into different ones (where
	 * the chunk that locks the product first fits).
	 */
	@RegisterExtension
	static final PrivateShop fixture = PrivateShop.create()
		.named("BadInput")
		.jar((jar) -> jar.with("--stockrecon.verify.settle-interval=200ms", "--stockrecon.scale.threads=1"));

	@BeforeAll
	static void shop() {
		shop = new Shop(fixture.stores().jdbc(), fixture.stores().redis(), fixture.stores().keyPrefix());
	}

	@Test
	void shouldSkipBadItemsWithTheirReasonAndRestoreOddOrdersOnce() {
		for (long product = 1; product <= 5; product++) {
			shop.product(product, 100);
		}
		shop.product(10, NEAR_MAX);
		// unknown product beside a good item
		shop.order(1, "paid", 1, 2);
		item(1, 999, 4);
		// zero and negative quantities beside a good item
		shop.order(2, "paid", 2, 5);
		item(2, 2, 0);
		item(2, 2, -3);
		// a quantity that alone overflows inventory.stock
		shop.order(3, "paid");
		item(3, 3, Integer.MAX_VALUE);
		// two orders that overflow together: the first (by order id) fits, the second not
		shop.order(4, "paid", 10, 8);
		shop.order(5, "paid");
		item(5, 10, 12);
		// the same product twice in one order, and an order without items
		shop.order(6, "paid", 4, 2, 4, 3);
		shop.order(7, "paid");
		// cancelled -> paid -> cancelled before the run, and again after it
		shop.order(8, "paid", 5, 4);
		shop.cancel(1, 2, 3, 4, 5, 6, 7).cancel(8).setStatus(8, "paid").cancel(8);
		// a deleted order's bad items are audited just the same
		shop.order(9, "paid", 1, 3);
		item(9, 998, 2);
		item(9, 1, 0);
		shop.delete(9);
		fixture.tally().faults(8);

		StockreconJar.Finished run = fixture.jar().run("run", "--run-date=2026-12-01");
		shop.setStatus(8, "paid").cancel(8);
		StockreconJar.Finished again = fixture.jar().run("run", "--run-date=2026-12-01", "--force");

		assertThat(run.exitCode()).as(run.output()).isEqualTo(ExitCode.COMPLETED);
		assertThat(again.exitCode()).as(again.output()).isEqualTo(ExitCode.COMPLETED);
		assertThat(run.output()).contains("skipped items: 7");
		assertThat(fixture.stores().jdbc().sql("""
				SELECT order_id || ' ' || product_id || ' ' || quantity || ' ' || reason FROM stockrecon_skipped_items
				WHERE order_id < 10 ORDER BY order_id, product_id, quantity
				""").query(String.class).list()).as("recorded once, by the first run")
			.containsExactly("1 999 4 unknown-product", "2 2 -3 non-positive-quantity", "2 2 0 non-positive-quantity",
					"3 3 %d stock-overflow".formatted(Integer.MAX_VALUE), "5 10 12 stock-overflow",
					"9 1 0 non-positive-quantity", "9 998 2 unknown-product");
		assertThat(List.of(1L, 2L, 3L, 4L, 5L, 10L).stream().map(shop::stock).toList()).containsExactly(100, 100, 100,
				100, 100, NEAR_MAX);
		assertThat(fixture.stores().jdbc().sql("""
				SELECT order_id || ' ' || reason || ' ' || units FROM stock_restorations
				WHERE order_id < 10 ORDER BY order_id
				""").query(String.class).list()).containsExactly("1 cancelled 2", "2 cancelled 5", "3 cancelled 0",
				"4 cancelled 8", "5 cancelled 0", "6 cancelled 5", "7 cancelled 0", "8 cancelled 4", "9 deleted 3");
		assertThat(fixture.stores()
			.jdbc()
			.sql("SELECT count(*) FROM stockrecon_deleted_order_items")
			.query(Long.class)
			.single()).as("the lines kept with the deletion, gone with its event after the item-by-item path").isZero();
		for (long product : List.of(1L, 2L, 3L, 4L, 5L, 10L)) {
			assertThat(shop.counter(product)).as("counter of %d", product)
				.isEqualTo(Integer.toString(shop.stock(product)));
		}
		fixture.tally().scenario();
		checked();
	}

	@Test
	void shouldReadStatusesTrimmedAndInAnyCaseButNothingElse() {
		shop.product(20, 100).product(21, 100);
		shop.order(20, "paid", 20, 1).order(21, "paid", 20, 2).order(22, "paid", 20, 4).order(23, "paid", 20, 8);
		shop.setStatus(20, "\tCancelled\n").setStatus(21, "CANCELLED   ");
		// not the word: American spelling, and a no-break space PostgreSQL's btrim keeps
		shop.setStatus(22, "canceled").setStatus(23, "cancelled\u00a0");
		// inserted as cancelled: no status change for the trigger to capture
		shop.order(24, "cancelled", 21, 5);
		fixture.tally().faults(5);

		StockreconJar.Finished nightly = fixture.jar().run("run", "--run-date=2026-12-02");
		int afterNightly = shop.stock(21);
		StockreconJar.Finished fullScan = fixture.jar().run("run", "--run-date=2026-12-02", "--full-scan", "--force");

		assertThat(nightly.exitCode()).as(nightly.output()).isEqualTo(ExitCode.COMPLETED);
		assertThat(fullScan.exitCode()).as(fullScan.output()).isEqualTo(ExitCode.COMPLETED);
		assertThat(shop.stock(20)).as("orders 20 and 21 back, 22 and 23 still sold").isEqualTo(100 - 4 - 8);
		assertThat(afterNightly).as("inserted cancelled: unseen by the nightly run").isEqualTo(95);
		assertThat(shop.stock(21)).as("found by --full-scan").isEqualTo(100);
		assertThat(shop.counter(20)).isEqualTo("88");
		assertThat(shop.counter(21)).isEqualTo("100");
		fixture.tally().scenario();
		checked();
	}

	@Test
	void shouldRepairEveryBrokenCounterValueFromPostgres() {
		Map<Long, byte[]> broken = Map.ofEntries(Map.entry(30L, utf8("abc")), Map.entry(31L, utf8("-7")),
				Map.entry(32L, utf8("99999999999999999999")), Map.entry(33L, utf8("9223372036854775807")),
				Map.entry(34L, utf8("-9223372036854775809")), Map.entry(35L, utf8(" 100")), Map.entry(36L, utf8("")),
				Map.entry(37L, new byte[] { (byte) 0xff, (byte) 0xfe }), Map.entry(38L, new byte[] { '1', 0, '2' }),
				Map.entry(39L, utf8("1e2")));
		broken.keySet().forEach((product) -> shop.product(product, 100));
		// stock 0 and "-0", which Redis refuses to DECRBY
		shop.product(40, 0);
		// restored units arrive at a counter they would overflow
		shop.product(41, 100).order(41, "paid", 41, 5).setCounter(41, "9223372036854775806").cancel(41);
		broken.forEach((product, value) -> setRaw(shop.counterKey(product), value));
		shop.setCounter(40, "-0");
		fixture.tally().faults(broken.size() + 2);

		StockreconJar.Finished dryRun = fixture.jar().run("verify", "--dry-run", "--fail-on-drift");
		String untouched = shop.counter(30);
		StockreconJar.Finished run = fixture.jar().run("run", "--run-date=2026-12-03");
		StockreconJar.Finished clean = fixture.jar().run("verify", "--dry-run", "--fail-on-drift");

		assertThat(dryRun.exitCode()).as(dryRun.output()).isEqualTo(ExitCode.DRIFT_FOUND);
		assertThat(untouched).isEqualTo("abc");
		assertThat(run.exitCode()).as(run.output()).isEqualTo(ExitCode.COMPLETED);
		assertThat(clean.exitCode()).as("nothing left to repair: %s", clean.output()).isEqualTo(ExitCode.COMPLETED);
		for (long product = 30; product <= 41; product++) {
			assertThat(shop.counter(product)).as("counter of %d", product)
				.isEqualTo(Integer.toString(shop.stock(product)));
		}
		assertThat(fixture.stores()
			.jdbc()
			.sql("""
					SELECT a.product_id || ' ' || a.kind || ' ' || coalesce(a.redis_before, 'null') FROM stockrecon_drift_audit a
					WHERE a.action = 'repaired' AND a.product_id BETWEEN 30 AND 41
					  AND a.job_execution_id = (SELECT max(job_execution_id) FROM batch_job_execution e
					                            JOIN batch_job_instance i USING (job_instance_id) WHERE i.job_name = 'stockrecon')
					ORDER BY a.product_id
					""")
			.query(String.class)
			.list()).containsExactly("30 not-an-integer abc", "31 negative -7",
					"32 not-an-integer 99999999999999999999", "33 redis-higher 9223372036854775807",
					"34 not-an-integer -9223372036854775809", "35 not-an-integer  100", "36 not-an-integer ",
					"37 not-an-integer <bytes fffe>", "38 not-an-integer <bytes 310032>", "39 not-an-integer 1e2",
					"40 not-an-integer -0", "41 redis-higher 9223372036854775806");
		fixture.tally().scenario();
		checked();
	}

	@Test
	void shouldReportOddKeysUnderThePrefixAndDeleteOnlyStringsWhenAsked() {
		shop.product(50, 100);
		List<String> odd = List.of("abc", "12:x", "", "-5", "01", "+5", " 5", "a\u0000b");
		odd.forEach((suffix) -> setRaw(fixture.stores().keyPrefix() + suffix, utf8("7")));
		setRaw(fixture.stores().keyPrefix() + "\u00ff", new byte[] { '7' });
		byte[] notUtf8Key = concat(utf8(fixture.stores().keyPrefix()), new byte[] { (byte) 0xff });
		fixture.stores()
			.redis()
			.execute((RedisCallback<Object>) (redis) -> redis.stringCommands().set(notUtf8Key, utf8("7")));
		fixture.stores().redis().opsForHash().put(fixture.stores().keyPrefix() + "h", "units", "7");
		fixture.tally().faults(odd.size() + 3);

		StockreconJar.Finished report = fixture.jar().run("verify");
		List<String> reported = orphanRows();
		StockreconJar.Finished delete = fixture.jar().run("verify", "--delete-orphans");

		assertThat(report.exitCode()).as(report.output()).isEqualTo(ExitCode.COMPLETED);
		assertThat(delete.exitCode()).as(delete.output()).isEqualTo(ExitCode.COMPLETED);
		assertThat(reported).contains("abc null reported", "12:x null reported", " null reported", "-5 -5 reported",
				"01 null reported", "+5 null reported", " 5 null reported", "a\\0b null reported",
				"\u00ff null reported", "h null reported", "\ufffd null reported");
		for (String suffix : odd) {
			assertThat(fixture.stores().redis().hasKey(fixture.stores().keyPrefix() + suffix))
				.as("'%s' deleted", suffix)
				.isFalse();
		}
		assertThat(fixture.stores().redis().hasKey(fixture.stores().keyPrefix() + "\u00ff")).isFalse();
		assertThat(fixture.stores().redis().hasKey(fixture.stores().keyPrefix() + "h"))
			.as("not a string: reported, kept")
			.isTrue();
		assertThat(fixture.stores()
			.redis()
			.execute((RedisCallback<Boolean>) (redis) -> redis.keyCommands().exists(notUtf8Key)))
			.as("a name that is not UTF-8 cannot be read back: reported, kept")
			.isTrue();
		assertThat(shop.counter(50)).isEqualTo("100");
		fixture.tally().scenario();
		checked();
	}

	private static List<String> orphanRows() {
		return fixture.stores()
			.jdbc()
			.sql("""
					SELECT substr(redis_key, length(:prefix) + 1) || ' ' || coalesce(product_id::text, 'null') || ' ' || action
					FROM stockrecon_drift_audit WHERE kind = 'orphan'
					  AND job_execution_id = (SELECT max(job_execution_id) FROM stockrecon_drift_audit)
					""")
			.param("prefix", fixture.stores().keyPrefix())
			.query(String.class)
			.list();
	}

	/**
	 * Every product of the shop, also those of the other tests: Redis holds exactly
	 * PostgreSQL's stock.
	 */
	private static void checked() {
		List<String> violations = shop.allStock()
			.entrySet()
			.stream()
			.filter((entry) -> !Integer.toString(entry.getValue()).equals(shop.counter(entry.getKey())))
			.map((entry) -> "product %d: Redis %s, PostgreSQL %d".formatted(entry.getKey(),
					shop.counter(entry.getKey()), entry.getValue()))
			.toList();
		fixture.tally().checked(new Conservation.Result(shop.allStock().size(), violations));
		assertThat(violations).isEmpty();
	}

	private static void item(long orderId, long productId, int quantity) {
		fixture.stores()
			.jdbc()
			.sql("INSERT INTO order_items (order_id, product_id, quantity) VALUES (:order, :product, :quantity)")
			.param("order", orderId)
			.param("product", productId)
			.param("quantity", quantity)
			.update();
	}

	private static void setRaw(String key, byte[] value) {
		fixture.stores()
			.redis()
			.execute((RedisCallback<Object>) (redis) -> redis.stringCommands().set(utf8(key), value));
	}

	private static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static byte[] concat(byte[] first, byte[] second) {
		byte[] both = new byte[first.length + second.length];
		System.arraycopy(first, 0, both, 0, first.length);
		System.arraycopy(second, 0, both, first.length, second.length);
		return both;
	}

}
