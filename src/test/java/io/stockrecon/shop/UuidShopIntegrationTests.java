package io.stockrecon.shop;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.stockrecon.audit.ExecutionAudit;
import io.stockrecon.audit.ExecutionHistory;
import io.stockrecon.audit.ExecutionReport;
import io.stockrecon.drift.VerifyMode;
import io.stockrecon.drift.VerifyStepsConfiguration;
import io.stockrecon.support.JobSteps;
import io.stockrecon.support.MappedShop;
import io.stockrecon.support.MappedShopIntegrationTest;
import io.stockrecon.support.TestStores;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A shop in the style of a Next.js store: uuid ids, an orders table called {@code order}
 * (a reserved word) with an {@code order_status} column where cancelled is spelled
 * {@code canceled}, stock in {@code products.stock_quantity}, and every counter a field
 * of one Redis hash. The job runs on three partitions, so uuid keys are split too.
 */
class UuidShopIntegrationTests extends MappedShopIntegrationTest {

	static final String SHOP = """
			CREATE TABLE products (id uuid PRIMARY KEY, name text, stock_quantity bigint NOT NULL);
			CREATE TABLE "order" (id uuid PRIMARY KEY, order_status text NOT NULL, total numeric(10, 2));
			CREATE TABLE order_line (
			    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
			    order_id   uuid NOT NULL REFERENCES "order" (id) ON DELETE CASCADE,
			    product_id uuid NOT NULL,
			    qty        integer NOT NULL
			);
			""";

	static final UUID P1 = UUID.fromString("00000000-0000-4000-8000-000000000001");

	static final UUID P2 = UUID.fromString("00000000-0000-4000-8000-000000000002");

	static final UUID P3 = UUID.fromString("00000000-0000-4000-8000-000000000003");

	static MappedShop shop;

	static String hash;

	@Autowired
	ExecutionAudit audit;

	@Autowired
	ExecutionHistory history;

	@DynamicPropertySource
	static void uuidShop(DynamicPropertyRegistry registry) {
		hash = TestStores.newKeyPrefix() + "inventory";
		shop = MappedShop.create(SHOP,
				Map.ofEntries(Map.entry("stockrecon.shop.stock.table", "products"),
						Map.entry("stockrecon.shop.stock.key-column", "id"),
						Map.entry("stockrecon.shop.stock.quantity-column", "stock_quantity"),
						Map.entry("stockrecon.shop.orders.table", "order"),
						Map.entry("stockrecon.shop.orders.status-column", "order_status"),
						Map.entry("stockrecon.shop.orders.cancelled-statuses", "canceled"),
						Map.entry("stockrecon.shop.items.table", "order_line"),
						Map.entry("stockrecon.shop.items.quantity-column", "qty"),
						Map.entry("stockrecon.redis.key-template", hash),
						Map.entry("stockrecon.redis.hash-field-template", "<id>"),
						Map.entry("stockrecon.scale.partitions", "3"), Map.entry("stockrecon.scale.threads", "2"),
						Map.entry("spring.datasource.hikari.maximum-pool-size", "6"),
						Map.entry("stockrecon.verify.settle-interval", "100ms")));
		shop.register(registry);
	}

	@BeforeEach
	void emptyShop() {
		this.jdbc.sql("TRUNCATE products, \"order\", order_line, stock_restorations, stockrecon_drift_audit").update();
		this.redis.delete(hash);
		product(P1, 100);
		product(P2, 50);
		product(P3, 10);
	}

	@Test
	void shouldRestoreACanceledOrderOnceInStockAndInItsHashField() {
		UUID order = paidOrder(P1, 3, P2, 4);
		this.jdbc.sql("UPDATE \"order\" SET order_status = ' Canceled ' WHERE id = :id").param("id", order).update();

		JobExecution first = runNightly();
		JobExecution again = runNightly();

		assertThat(first.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(again.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(stock(P1)).isEqualTo(100);
		assertThat(stock(P2)).isEqualTo(50);
		assertThat(counter(P1)).isEqualTo("100");
		assertThat(counter(P2)).isEqualTo("50");
		assertThat(this.jdbc.sql("SELECT reason, units, pg_typeof(order_id)::text AS type FROM stock_restorations")
			.query()
			.singleRow()).containsEntry("reason", "cancelled").containsEntry("units", 7L).containsEntry("type", "uuid");
	}

	@Test
	void shouldRestoreADeletedOrderOnceFromItsCascadedLines() {
		UUID order = paidOrder(P1, 2, P3, 1);
		UUID cancelledThenDeleted = paidOrder(P1, 5);
		this.jdbc.sql("UPDATE \"order\" SET order_status = 'canceled' WHERE id = :id")
			.param("id", cancelledThenDeleted)
			.update();
		this.jdbc.sql("DELETE FROM \"order\" WHERE id IN (:ids)")
			.param("ids", java.util.List.of(order, cancelledThenDeleted))
			.update();

		runNightly();
		runNightly();

		assertThat(stock(P1)).isEqualTo(100);
		assertThat(stock(P3)).isEqualTo(10);
		assertThat(counter(P1)).isEqualTo("100");
		assertThat(this.jdbc.sql("SELECT count(*) FROM stock_restorations WHERE reason = 'deleted'")
			.query(Long.class)
			.single()).isEqualTo(2);
	}

	@Test
	void shouldLeaveAnOrderTheApplicationRestoredItselfAlone() {
		UUID order = paidOrder(P2, 5);
		/*
		 * The application gives the units back and records it in the ledger, in one
		 * transaction: the ledger's order_id is a uuid like the shop's.
		 */
		this.jdbc.sql("UPDATE \"order\" SET order_status = 'canceled' WHERE id = :id").param("id", order).update();
		this.jdbc.sql("INSERT INTO stock_restorations (order_id, reason) VALUES (:id, 'application')")
			.param("id", order)
			.update();
		this.jdbc.sql("UPDATE products SET stock_quantity = stock_quantity + 5 WHERE id = :id")
			.param("id", P2)
			.update();
		this.redis.opsForHash().increment(hash, P2.toString(), 5);

		runNightly();

		assertThat(stock(P2)).isEqualTo(50);
		assertThat(counter(P2)).isEqualTo("50");
	}

	@Test
	void shouldRepairDriftedFieldsAndDeleteOrphanFieldsOnlyWhenAsked() {
		this.redis.opsForHash().put(hash, P1.toString(), "97");
		this.redis.opsForHash().delete(hash, P2.toString());
		this.redis.opsForHash().put(hash, P3.toString(), "oops");
		this.redis.opsForHash().put(hash, "not-a-uuid", "7");
		this.redis.opsForHash().put(hash, "00000000-0000-4000-8000-0000000000ff", "3");

		JobExecution reported = verify(new VerifyMode(false, false));

		assertThat(reported.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(counter(P1)).isEqualTo("100");
		assertThat(counter(P2)).isEqualTo("50");
		assertThat(counter(P3)).isEqualTo("10");
		assertThat(this.jdbc.sql("""
				SELECT count(*) FROM stockrecon_drift_audit
				WHERE job_execution_id = :id AND kind <> 'orphan' AND action = 'repaired'
				""").param("id", reported.getId()).query(Long.class).single()).isEqualTo(3);
		assertThat(this.jdbc.sql("""
				SELECT count(*) FROM stockrecon_drift_audit
				WHERE job_execution_id = :id AND kind = 'orphan' AND action = 'reported'
				""").param("id", reported.getId()).query(Long.class).single()).isEqualTo(2);
		assertThat(this.redis.opsForHash().hasKey(hash, "not-a-uuid")).isTrue();

		verify(new VerifyMode(false, true));

		assertThat(this.redis.opsForHash().hasKey(hash, "not-a-uuid")).isFalse();
		assertThat(this.redis.opsForHash().hasKey(hash, "00000000-0000-4000-8000-0000000000ff")).isFalse();
		assertThat(counter(P1)).isEqualTo("100");
	}

	/**
	 * The hash holds a field per product and none else: its length, before and after the
	 * first look, equals the fields the first look found over its three partitions, so no
	 * field can be an orphan and the hash is not walked.
	 */
	@Test
	void shouldRuleOrphanFieldsOutByCountingTheHashsFields() {
		this.redis.opsForHash().put(hash, P1.toString(), "97");
		this.redis.opsForHash().delete(hash, P2.toString());

		JobExecution execution = verify(new VerifyMode(false, false));

		StepExecution scan = JobSteps.named(execution, VerifyStepsConfiguration.ORPHANS_STEP);
		assertThat(scan.getExecutionContext().getString(VerifyStepsConfiguration.ORPHAN_CHECK))
			.startsWith("counted: 2 keys where the counters live");
		assertThat(scan.getReadCount()).as("pages walked").isZero();
		assertThat(counter(P1)).isEqualTo("100");
		assertThat(counter(P2)).isEqualTo("50");
	}

	@Test
	void shouldReportWithoutChangingAnythingInADryRunAndNameSkippedItemsByUuid() {
		UUID order = paidOrder(P1, 2);
		UUID gone = UUID.fromString("00000000-0000-4000-8000-0000000000aa");
		this.jdbc.sql("INSERT INTO order_line (order_id, product_id, qty) VALUES (:order, :gone, 1)")
			.param("order", order)
			.param("gone", gone)
			.update();
		this.jdbc.sql("UPDATE \"order\" SET order_status = 'canceled' WHERE id = :id").param("id", order).update();
		JobExecution restored = runNightly();
		this.redis.opsForHash().put(hash, P3.toString(), "4");

		JobExecution dryRun = verify(new VerifyMode(true, false));

		assertThat(counter(P3)).isEqualTo("4");
		assertThat(this.audit.drift(dryRun.getId()).byKindAndAction())
			.isEqualTo(Map.of("redis-lower", Map.of("reported", 1L)));
		ExecutionReport report = this.history.report(restored.getId(), 10).orElseThrow();
		assertThat(report.skippedItems()).singleElement()
			.satisfies((item) -> assertThat(item.orderId()).isEqualTo(order.toString()))
			.satisfies((item) -> assertThat(item.productId()).isEqualTo(gone.toString()));
		assertThat(stock(P1)).isEqualTo(100);
	}

	@Test
	void shouldCreateNoTableBesideTheShopsOwn() {
		assertThat(this.jdbc
			.sql("""
					SELECT count(*) FROM pg_class
					WHERE relname IN ('inventory', 'orders', 'order_items') AND relnamespace = current_schema()::regnamespace
					""")
			.query(Long.class)
			.single()).isZero();
		assertThat(this.jdbc.sql("""
				SELECT string_agg(tgname, ',' ORDER BY tgname) FROM pg_trigger WHERE NOT tgisinternal
				""").query(String.class).single())
			.isEqualTo("stockrecon_line_removed,stockrecon_order_cancelled,stockrecon_order_deleted");
	}

	/** A paid order of a new uuid. */
	private UUID paidOrder(Object... productQuantityPairs) {
		UUID id = UUID.randomUUID();
		order(id, "paid", productQuantityPairs);
		return id;
	}

}
