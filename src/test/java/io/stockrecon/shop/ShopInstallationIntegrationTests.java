package io.stockrecon.shop;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.jdbc.core.simple.JdbcClient;

import io.stockrecon.cli.ExitCode;
import io.stockrecon.support.DirectStores;
import io.stockrecon.support.MappedShop;
import io.stockrecon.support.RequiresStores;
import io.stockrecon.support.StockreconJar;
import io.stockrecon.support.TestStores;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The installation over a shop's life: a mapping that changes while the shop takes
 * orders, and a database that an earlier stockrecon migrated.
 */
@ExtendWith(RequiresStores.class)
class ShopInstallationIntegrationTests {

	static final String SHOP_WITH_TWO_STATUS_COLUMNS = """
			CREATE TABLE inventory (product_id bigint PRIMARY KEY, stock integer NOT NULL);
			CREATE TABLE orders (id bigint PRIMARY KEY, status text NOT NULL, state text NOT NULL);
			CREATE TABLE order_items (
			    order_id   bigint NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
			    product_id bigint NOT NULL,
			    quantity   integer NOT NULL
			);
			INSERT INTO inventory VALUES (1, 100000 - 20000);
			INSERT INTO orders SELECT g, 'paid', 'paid' FROM generate_series(1, 20000) g;
			INSERT INTO order_items SELECT g, 1, 1 FROM generate_series(1, 20000) g;
			""";

	static final String STOCK = """
			SELECT stock FROM inventory WHERE product_id = 1
			""";

	@Test
	void shouldMoveTheCaptureTriggersAtomicallyWhileOrdersAreCancelled() throws Exception {
		// the prefix as registered, so that the test stores unlink its keys at the end
		MappedShop shop = MappedShop.create(SHOP_WITH_TWO_STATUS_COLUMNS,
				Map.of("stockrecon.redis.key-template", TestStores.newKeyPrefix() + "<id>"));
		JdbcClient jdbc = shop.jdbc();
		StockreconJar installing = shop.jar(Map.of("stockrecon.shop.orders.status-column", "status"));
		StockreconJar.Finished installed = installing.run("run", "--run-date=2026-01-01");
		jdbc.sql("UPDATE orders SET status = 'cancelled', state = 'cancelled' WHERE id = 1").update();
		StockreconJar.Finished restoredBefore = installing.run("run", "--run-date=2026-01-02");
		assertThat(installed.exitCode()).as(installed.output()).isEqualTo(ExitCode.COMPLETED);
		assertThat(restoredBefore.exitCode()).as(restoredBefore.output()).isEqualTo(ExitCode.COMPLETED);

		/*
		 * The shop cancels orders one by one, writing both columns, while stockrecon
		 * starts with the mapping switched to the other column.
		 */
		AtomicBoolean stop = new AtomicBoolean();
		AtomicInteger cancelled = new AtomicInteger(1);
		Thread traffic = new Thread(() -> {
			for (int id = 2; id <= 20000 && !stop.get(); id++) {
				jdbc.sql("UPDATE orders SET status = 'cancelled', state = 'cancelled' WHERE id = :id")
					.param("id", id)
					.update();
				cancelled.incrementAndGet();
				sleep(Duration.ofMillis(15));
			}
		});
		traffic.start();
		await().atMost(Duration.ofSeconds(60)).until(() -> cancelled.get() > 2);
		int beforeTheSwitch = cancelled.get();
		StockreconJar switched = shop.jar(Map.of("stockrecon.shop.orders.status-column", "state"));
		StockreconJar.Finished moved = switched.run("verify", "--dry-run");
		int whenSwitched = cancelled.get();
		await().atMost(Duration.ofSeconds(60)).until(() -> cancelled.get() > whenSwitched + 2);
		stop.set(true);
		traffic.join();
		StockreconJar.Finished restored = switched.run("run", "--run-date=2026-01-03");

		assertThat(moved.exitCode()).as(moved.output()).isEqualTo(ExitCode.COMPLETED);
		assertThat(restored.exitCode()).as(restored.output()).isEqualTo(ExitCode.COMPLETED);
		assertThat(beforeTheSwitch).as("cancelled before the switch").isGreaterThan(1);
		assertThat(cancelled.get()).as("cancelled after the switch").isGreaterThan(whenSwitched).isLessThan(20000);
		assertThat(jdbc.sql(STOCK).query(Integer.class).single()).isEqualTo(100000 - 20000 + cancelled.get());
		assertThat(jdbc.sql("SELECT count(*) FROM stock_restorations").query(Long.class).single())
			.isEqualTo(cancelled.get());
		assertThat(jdbc.sql("SELECT ddl FROM stockrecon_shop_mapping").query(String.class).single())
			.contains("WHEN (OLD.state IS DISTINCT FROM NEW.state)")
			.doesNotContain("OLD.status IS DISTINCT");
		// two runs before the switch, the dry-run verify that switched, the run after it
		assertThat(jdbc.sql("SELECT count(*) FROM batch_job_execution").query(Long.class).single()).isEqualTo(4);
	}

	@Test
	void shouldTakeOverADatabaseThatAnEarlierStockreconMigrated() {
		try (DirectStores stores = DirectStores.fresh()) {
			TestStores.TestDatabase database = stores.database();
			Flyway.configure()
				.dataSource(database.url(), database.username(), database.password())
				.locations("classpath:db/legacy")
				.table("stockrecon_schema_history")
				.load()
				.migrate();
			JdbcClient jdbc = stores.jdbc();
			jdbc.sql("INSERT INTO inventory VALUES (1, 97), (2, 50), (3, 10)").update();
			jdbc.sql("INSERT INTO orders (id, status) VALUES (5, 'paid'), (6, 'paid')").update();
			jdbc.sql("INSERT INTO order_items VALUES (5, 1, 3), (6, 2, 4)").update();
			jdbc.sql("UPDATE inventory SET stock = 46 WHERE product_id = 2").update();
			stores.redis().opsForValue().set(stores.keyPrefix() + "1", "97");
			stores.redis().opsForValue().set(stores.keyPrefix() + "2", "46");
			/*
			 * Units of product 3 that an earlier run restored in PostgreSQL and queued,
			 * one row per chunk, but never delivered (Redis was down): two rows of one
			 * execution and product, which the one-row-per-product index (V6) must leave
			 * alone.
			 */
			stores.redis().opsForValue().set(stores.keyPrefix() + "3", "7");
			/*
			 * And units of product 4 that the earlier release had delivered (the counter
			 * holds them, the block's marker is there) when it died before deleting their
			 * rows: V9 moves every block into a row that keeps the block's marker, so
			 * they are not added a second time.
			 */
			jdbc.sql("INSERT INTO inventory VALUES (4, 20)").update();
			stores.redis().opsForValue().set(stores.keyPrefix() + "4", "20");
			stores.redis()
				.opsForValue()
				.set("{" + stores.keyPrefix() + "4}:stockrecon-delivered:42:0", "1", Duration.ofHours(1));
			jdbc.sql("""
					INSERT INTO stockrecon_counter_outbox (product_id, delta, job_execution_id)
					VALUES (3, 1, 41), (3, 2, 41), (4, 5, 42)
					""").update();
			// captured by the earlier version's own trigger
			jdbc.sql("UPDATE orders SET status = 'cancelled' WHERE id = 5").update();

			StockreconJar.Finished upgraded = stores.jar().run("run", "--run-date=2026-01-01");
			// a trigger switched off by hand is put back by the next start
			jdbc.sql("ALTER TABLE orders DISABLE TRIGGER stockrecon_order_deleted").update();
			StockreconJar.Finished reinstalled = stores.jar().run("verify", "--dry-run");
			jdbc.sql("DELETE FROM orders WHERE id = 6").update();
			StockreconJar.Finished next = stores.jar().run("run", "--run-date=2026-01-02");

			assertThat(upgraded.exitCode()).as(upgraded.output()).isEqualTo(ExitCode.COMPLETED);
			assertThat(reinstalled.exitCode()).as(reinstalled.output()).isEqualTo(ExitCode.COMPLETED);
			assertThat(next.exitCode()).as(next.output()).isEqualTo(ExitCode.COMPLETED);
			assertThat(jdbc.sql("SELECT stock FROM inventory ORDER BY product_id").query(Integer.class).list())
				.containsExactly(100, 50, 10, 20);
			assertThat(stores.redis().opsForValue().get(stores.keyPrefix() + "1")).isEqualTo("100");
			assertThat(stores.redis().opsForValue().get(stores.keyPrefix() + "2")).isEqualTo("50");
			// delivered by the publish step, not repaired by the verify
			assertThat(stores.redis().opsForValue().get(stores.keyPrefix() + "3")).isEqualTo("10");
			assertThat(stores.redis().opsForValue().get(stores.keyPrefix() + "4")).isEqualTo("20");
			assertThat(jdbc.sql("SELECT count(*) FROM stockrecon_drift_audit WHERE product_id IN (3, 4)")
				.query(Long.class)
				.single()).isZero();
			assertThat(jdbc.sql("SELECT count(*) FROM stockrecon_counter_outbox").query(Long.class).single()).isZero();
			// V7: a deletion's kept lines go with its event by the restore's own hand
			assertThat(jdbc
				.sql("SELECT count(*) FROM pg_constraint WHERE conrelid = 'stockrecon_deleted_order_items'::regclass")
				.query(Long.class)
				.single()).isZero();
			assertThat(jdbc.sql("SELECT count(*) FROM stockrecon_deleted_order_items").query(Long.class).single())
				.isZero();
			// V9: one outbox row per chunk; no room kept for updates in place any more
			assertThat(jdbc
				.sql("SELECT reloptions IS NULL FROM pg_class WHERE oid = 'stockrecon_counter_outbox'::regclass")
				.query(Boolean.class)
				.single()).isTrue();
			assertThat(jdbc.sql("""
					SELECT string_agg(version || '=' || checksum, ' ' ORDER BY installed_rank)
					FROM stockrecon_schema_history WHERE version IN ('1', '3')
					""").query(String.class).single()).isEqualTo("1=-835927352 3=1818812063");
			assertThat(jdbc.sql("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'stockrecon%' AND tgenabled = 'O'")
				.query(Long.class)
				.single()).isEqualTo(3);
		}
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
