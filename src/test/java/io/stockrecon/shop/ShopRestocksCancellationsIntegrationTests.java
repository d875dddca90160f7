package io.stockrecon.shop;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.stockrecon.support.MappedShop;
import io.stockrecon.support.MappedShopIntegrationTest;
import io.stockrecon.support.TestStores;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A shop that restocks cancelled orders itself ({@code on-cancel=false}), with camel-case
 * names and integer ids: stockrecon restores deletions only, and verifies the counters.
 */
class ShopRestocksCancellationsIntegrationTests extends MappedShopIntegrationTest {

	static final String SHOP = """
			CREATE TABLE "Products" ("productId" integer PRIMARY KEY, "qty" integer NOT NULL);
			CREATE TABLE "Orders" ("orderId" integer PRIMARY KEY, "state" varchar(20) NOT NULL);
			CREATE TABLE "OrderLines" (
			    "orderId"   integer NOT NULL REFERENCES "Orders" ("orderId") ON DELETE CASCADE,
			    "productId" integer NOT NULL,
			    "qty"       integer NOT NULL
			);
			""";

	static MappedShop shop;

	static String prefix;

	@DynamicPropertySource
	static void camelCaseShop(DynamicPropertyRegistry registry) {
		prefix = TestStores.newKeyPrefix();
		shop = MappedShop.create(SHOP,
				Map.ofEntries(Map.entry("stockrecon.shop.stock.table", "Products"),
						Map.entry("stockrecon.shop.stock.key-column", "productId"),
						Map.entry("stockrecon.shop.stock.quantity-column", "qty"),
						Map.entry("stockrecon.shop.orders.table", "Orders"),
						Map.entry("stockrecon.shop.orders.id-column", "orderId"),
						Map.entry("stockrecon.shop.orders.status-column", "state"),
						Map.entry("stockrecon.shop.items.table", "OrderLines"),
						Map.entry("stockrecon.shop.items.order-column", "orderId"),
						Map.entry("stockrecon.shop.items.key-column", "productId"),
						Map.entry("stockrecon.shop.items.quantity-column", "qty"),
						Map.entry("stockrecon.restore.on-cancel", "false"),
						Map.entry("stockrecon.redis.key-template", prefix + "p:<id>"),
						Map.entry("stockrecon.verify.settle-interval", "100ms")));
		shop.register(registry);
	}

	@Test
	void shouldLeaveCancellationsToTheShopAndRestoreDeletions() {
		product(1, 100);
		order(10, "paid", 1, 4);
		order(11, "paid", 1, 6);
		order(12, "paid", 1, 5);
		// the shop cancels order 10 and restocks it in both stores itself
		this.jdbc.sql("UPDATE \"Orders\" SET \"state\" = 'cancelled' WHERE \"orderId\" = 10").update();
		this.jdbc.sql("UPDATE \"Products\" SET \"qty\" = \"qty\" + 4 WHERE \"productId\" = 1").update();
		this.redis.opsForValue().increment(prefix + "p:1", 4);
		/*
		 * Order 11 is deleted while paid; order 12 is cancelled (restocked by the shop)
		 * and deleted later: only 11 gives units back.
		 */
		this.jdbc.sql("DELETE FROM \"Orders\" WHERE \"orderId\" = 11").update();
		this.jdbc.sql("UPDATE \"Orders\" SET \"state\" = 'cancelled' WHERE \"orderId\" = 12").update();
		this.jdbc.sql("UPDATE \"Products\" SET \"qty\" = \"qty\" + 5 WHERE \"productId\" = 1").update();
		this.redis.opsForValue().increment(prefix + "p:1", 5);
		this.jdbc.sql("DELETE FROM \"Orders\" WHERE \"orderId\" = 12").update();

		JobExecution first = runNightly(false);
		JobExecution fullScan = runNightly(true);

		assertThat(first.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(fullScan.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(
				this.jdbc.sql("SELECT \"qty\" FROM \"Products\" WHERE \"productId\" = 1").query(Integer.class).single())
			.isEqualTo(100);
		assertThat(this.redis.opsForValue().get(prefix + "p:1")).isEqualTo("100");
		assertThat(this.jdbc.sql("SELECT order_id::text || ' ' || reason FROM stock_restorations")
			.query(String.class)
			.list()).containsExactly("11 deleted");
		assertThat(this.jdbc.sql("SELECT count(*) FROM pg_trigger WHERE tgname = 'stockrecon_order_cancelled'")
			.query(Long.class)
			.single()).isZero();
	}

}
