package io.stockrecon.shop;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import io.stockrecon.drift.VerifyMode;
import io.stockrecon.support.MappedShop;
import io.stockrecon.support.MappedShopIntegrationTest;
import io.stockrecon.support.TestStores;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A shop in a schema of its own with text ids ({@code ord_01H...}), its status in an enum
 * type, orders soft-deleted through {@code deleted_at}, lines that do not cascade (the
 * application deletes them first, then the order, in one transaction), stock keyed by a
 * varchar SKU, quantities in {@code bigint} and counters named
 * {@code <prefix>sku:<id>:available}.
 */
class TextIdShopIntegrationTests extends MappedShopIntegrationTest {

	static final String SHOP = """
			CREATE SCHEMA shop;
			CREATE TYPE shop.order_state AS ENUM ('new', 'paid', 'Cancelled', 'refunded');
			CREATE TABLE shop.stock (sku varchar(40) PRIMARY KEY, available integer NOT NULL);
			CREATE TABLE shop.orders (
			    id           text PRIMARY KEY,
			    state        shop.order_state NOT NULL,
			    deleted_at   timestamptz,
			    cancelled_at timestamptz
			);
			CREATE FUNCTION shop.derive_state() RETURNS trigger LANGUAGE plpgsql AS $$
			BEGIN
			    IF NEW.cancelled_at IS NOT NULL AND OLD.cancelled_at IS NULL THEN
			        NEW.state := 'Cancelled';
			    END IF;
			    RETURN NEW;
			END $$;
			CREATE TRIGGER derive_state BEFORE UPDATE ON shop.orders FOR EACH ROW EXECUTE FUNCTION shop.derive_state();
			CREATE TABLE shop.order_items (
			    order_id text NOT NULL REFERENCES shop.orders (id),
			    sku      varchar(40) NOT NULL,
			    quantity bigint NOT NULL
			);
			""";

	static MappedShop shop;

	static String prefix;

	@Autowired
	TransactionTemplate transaction;

	@DynamicPropertySource
	static void textIdShop(DynamicPropertyRegistry registry) {
		prefix = TestStores.newKeyPrefix();
		shop = MappedShop.create(SHOP, Map.ofEntries(Map.entry("stockrecon.shop.schema", "shop"),
				Map.entry("stockrecon.shop.stock.table", "stock"), Map.entry("stockrecon.shop.stock.key-column", "sku"),
				Map.entry("stockrecon.shop.stock.quantity-column", "available"),
				Map.entry("stockrecon.shop.orders.status-column", "state"),
				Map.entry("stockrecon.shop.orders.cancelled-statuses", "cancelled"),
				Map.entry("stockrecon.shop.orders.deleted-at-column", "deleted_at"),
				Map.entry("stockrecon.shop.items.key-column", "sku"),
				Map.entry("stockrecon.redis.key-template", prefix + "sku:<id>:available"),
				Map.entry("stockrecon.verify.settle-interval", "100ms"),
				// repair chunks of two suspects: several chunks even in a small shop
				Map.entry("stockrecon.verify.chunk-size", "2")));
		shop.register(registry);
	}

	/** Counters of products a test added, deleted after it. */
	final List<String> cleanUp = new ArrayList<>();

	@AfterEach
	void deleteCountersOfAddedProducts() {
		this.redis.delete(this.cleanUp);
	}

	@BeforeEach
	void emptyShop() {
		this.jdbc.sql("TRUNCATE shop.stock, shop.orders, shop.order_items, stock_restorations").update();
		product("SKU-A", 100);
		product("SKU-B", 40);
	}

	@Test
	void shouldRestoreAnEnumCancellationOnce() {
		order("ord_01HCANCEL", "paid", "SKU-A", 3, "SKU-B", 2);
		this.jdbc.sql("UPDATE shop.orders SET state = 'Cancelled' WHERE id = 'ord_01HCANCEL'").update();

		runNightly();
		runNightly();

		assertThat(stock("SKU-A")).isEqualTo(100);
		assertThat(stock("SKU-B")).isEqualTo(40);
		assertThat(counter("SKU-A")).isEqualTo("100");
		assertThat(
				this.jdbc.sql("SELECT pg_typeof(order_id)::text FROM stock_restorations").query(String.class).single())
			.isEqualTo("text");
	}

	/**
	 * Two orders whose units of one SKU together pass the range of {@code bigint}: both
	 * items are skipped as overflows and recorded, and the run goes on (a sum that failed
	 * the chunk would fail it again on every relaunch).
	 */
	@Test
	void shouldSkipUnitsThatTogetherPassTheRangeOfBigint() {
		List<String> orders = List.of("ord_01HHUGE1", "ord_01HHUGE2");
		for (String id : orders) {
			order(id, "paid");
			this.jdbc.sql("INSERT INTO shop.order_items (order_id, sku, quantity) VALUES (:id, 'SKU-A', :quantity)")
				.param("id", id)
				.param("quantity", 5_000_000_000_000_000_000L)
				.update();
		}
		this.jdbc.sql("UPDATE shop.orders SET state = 'Cancelled' WHERE id IN (:ids)").param("ids", orders).update();

		runNightly();

		assertThat(stock("SKU-A")).isEqualTo(100);
		assertThat(this.jdbc.sql("""
				SELECT order_id || ' ' || reason FROM stockrecon_skipped_items
				WHERE order_id IN (:ids) ORDER BY order_id
				""").param("ids", orders).query(String.class).list()).containsExactly("ord_01HHUGE1 stock-overflow",
				"ord_01HHUGE2 stock-overflow");
	}

	/**
	 * Text keys are not held in memory: the orphan scan asks the stock table about each
	 * page of keys.
	 */
	@Test
	void shouldReportCountersOfSkusThatDoNotExist() {
		runNightly();
		List<String> orphans = List.of(prefix + "sku:SKU-GONE:available", prefix + "sku:sku-a:available");
		this.redis.opsForValue().set(orphans.get(0), "4");
		this.redis.opsForValue().set(orphans.get(1), "9");
		try {
			JobExecution verified = verify(new VerifyMode(false, false));

			assertThat(verified.getStatus()).isEqualTo(BatchStatus.COMPLETED);
			assertThat(this.jdbc
				.sql("""
						SELECT string_agg(redis_key || '=' || redis_before, ' ' ORDER BY redis_key) FROM stockrecon_drift_audit
						WHERE job_execution_id = :id AND kind = 'orphan' AND action = 'reported'
						""")
				.param("id", verified.getId())
				.query(String.class)
				.single()).isEqualTo(orphans.get(0) + "=4 " + orphans.get(1) + "=9");
			assertThat(counter("SKU-A")).isEqualTo("100");
		}
		finally {
			this.redis.delete(orphans);
		}
	}

	/**
	 * The repair deletes each chunk's suspects as a range of keys in the order it read
	 * them: every suspect is repaired, and none is left behind.
	 */
	@Test
	void shouldRepairEveryCounterOfARefillInChunks() {
		List<String> skus = List.of("sku_10", "sku_9", "Zebra", "apple", "SKU-C", "sku-c", "\u00e4rmel");
		for (int i = 0; i < skus.size(); i++) {
			product(skus.get(i), 10 + i);
		}
		runNightly();
		// Redis came back empty, but for one counter that drifted
		List<String> keys = new ArrayList<>(skus.stream().map((sku) -> prefix + "sku:" + sku + ":available").toList());
		keys.addAll(List.of(prefix + "sku:SKU-A:available", prefix + "sku:SKU-B:available"));
		this.redis.delete(keys);
		this.redis.opsForValue().set(prefix + "sku:Zebra:available", "3");
		// the other tests' orphan scans must not find them
		skus.forEach((sku) -> this.cleanUp.add(prefix + "sku:" + sku + ":available"));

		JobExecution verified = verify(new VerifyMode(false, false));

		assertThat(verified.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		for (int i = 0; i < skus.size(); i++) {
			assertThat(counter(skus.get(i))).as(skus.get(i)).isEqualTo(Integer.toString(10 + i));
		}
		assertThat(counter("SKU-A")).isEqualTo("100");
		assertThat(counter("SKU-B")).isEqualTo("40");
		assertThat(this.jdbc
			.sql("SELECT count(*) FROM stockrecon_drift_audit WHERE job_execution_id = :id AND action = 'repaired'")
			.param("id", verified.getId())
			.query(Long.class)
			.single()).isEqualTo(9);
		assertThat(this.jdbc.sql("SELECT count(*) FROM stockrecon_drift_suspects").query(Long.class).single()).isZero();
	}

	@Test
	void shouldFindAnOrderInsertedCancelledWithAFullScan() {
		order("ord_01HBORN", "Cancelled", "SKU-B", 6);

		runNightly();
		assertThat(stock("SKU-B")).as("no status change to capture").isEqualTo(34);
		JobExecution fullScan = runNightly(true);

		assertThat(fullScan.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(stock("SKU-B")).isEqualTo(40);
		assertThat(counter("SKU-B")).isEqualTo("40");
	}

	@Test
	void shouldCaptureACancellationThatTheShopsOwnTriggerWrites() {
		order("ord_01HDERIVED", "paid", "SKU-A", 7);
		// the application sets cancelled_at; the shop's BEFORE trigger sets the status
		this.jdbc.sql("UPDATE shop.orders SET cancelled_at = now() WHERE id = 'ord_01HDERIVED'").update();

		runNightly();

		assertThat(stock("SKU-A")).isEqualTo(100);
		assertThat(counter("SKU-A")).isEqualTo("100");
	}

	@Test
	void shouldRestoreTheLinesASoftDeletingTransactionDeletedFirst() {
		order("ord_01HSOFTLINES", "paid", "SKU-A", 2, "SKU-B", 3);
		this.transaction.executeWithoutResult((status) -> {
			this.jdbc.sql("DELETE FROM shop.order_items WHERE order_id = 'ord_01HSOFTLINES'").update();
			this.jdbc.sql("UPDATE shop.orders SET deleted_at = now() WHERE id = 'ord_01HSOFTLINES'").update();
		});

		runNightly();

		assertThat(stock("SKU-A")).isEqualTo(100);
		assertThat(stock("SKU-B")).isEqualTo(40);
		assertThat(this.jdbc.sql("SELECT count(*) FROM stockrecon_removed_lines").query(Long.class).single()).isZero();
	}

	@Test
	void shouldRestoreASoftDeletedOrderOnceEvenIfDeletedAgain() {
		order("ord_01HSOFT", "paid", "SKU-A", 4);
		this.jdbc.sql("UPDATE shop.orders SET deleted_at = now() WHERE id = 'ord_01HSOFT'").update();

		runNightly();
		this.jdbc.sql("UPDATE shop.orders SET deleted_at = NULL WHERE id = 'ord_01HSOFT'").update();
		this.jdbc.sql("UPDATE shop.orders SET deleted_at = now() WHERE id = 'ord_01HSOFT'").update();
		runNightly();

		assertThat(stock("SKU-A")).isEqualTo(100);
		assertThat(counter("SKU-A")).isEqualTo("100");
		assertThat(this.jdbc.sql("SELECT reason FROM stock_restorations").query(String.class).single())
			.isEqualTo("deleted");
	}

	@Test
	void shouldNotRestoreASoftDeletionTakenBackBeforeTheRun() {
		order("ord_01HUNDO", "paid", "SKU-B", 5);
		this.jdbc.sql("UPDATE shop.orders SET deleted_at = now() WHERE id = 'ord_01HUNDO'").update();
		this.jdbc.sql("UPDATE shop.orders SET deleted_at = NULL WHERE id = 'ord_01HUNDO'").update();

		runNightly();

		assertThat(stock("SKU-B")).isEqualTo(35);
		assertThat(counter("SKU-B")).isEqualTo("35");
		assertThat(this.jdbc.sql("SELECT count(*) FROM stockrecon_deleted_order_items").query(Long.class).single())
			.as("the lines kept with a deletion that restores nothing, gone with its event")
			.isZero();
	}

	@Test
	void shouldRestoreAnOrderWhoseLinesWereDeletedFirstInTheSameTransaction() {
		order("ord_01HLINES", "paid", "SKU-A", 2, "SKU-B", 3);
		this.transaction.executeWithoutResult((status) -> {
			this.jdbc.sql("DELETE FROM shop.order_items WHERE order_id = 'ord_01HLINES'").update();
			this.jdbc.sql("DELETE FROM shop.orders WHERE id = 'ord_01HLINES'").update();
		});

		runNightly();
		runNightly();

		assertThat(stock("SKU-A")).isEqualTo(100);
		assertThat(stock("SKU-B")).isEqualTo(40);
		assertThat(counter("SKU-B")).isEqualTo("40");
		assertThat(this.jdbc.sql("SELECT count(*) FROM stockrecon_removed_lines").query(Long.class).single()).isZero();
	}

	@Test
	void shouldNotRestoreALineEditedAwayFromAnOrderThatStays() {
		order("ord_01HEDIT", "paid", "SKU-A", 2, "SKU-B", 3);
		this.jdbc.sql("DELETE FROM shop.order_items WHERE order_id = 'ord_01HEDIT' AND sku = 'SKU-B'").update();
		// a later transaction deletes the order: only the line it still had comes back
		this.transaction.executeWithoutResult((status) -> {
			this.jdbc.sql("DELETE FROM shop.order_items WHERE order_id = 'ord_01HEDIT'").update();
			this.jdbc.sql("DELETE FROM shop.orders WHERE id = 'ord_01HEDIT'").update();
		});

		runNightly();

		assertThat(stock("SKU-A")).isEqualTo(100);
		assertThat(stock("SKU-B")).isEqualTo(37);
		assertThat(this.jdbc.sql("SELECT count(*) FROM stockrecon_removed_lines").query(Long.class).single()).isZero();
	}

	@Override
	protected JobExecution runNightly() {
		JobExecution execution = super.runNightly();
		assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		return execution;
	}

}
