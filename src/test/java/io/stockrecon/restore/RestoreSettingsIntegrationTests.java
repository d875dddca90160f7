package io.stockrecon.restore;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import io.stockrecon.job.LaunchOutcome;
import io.stockrecon.support.Shop;
import io.stockrecon.support.StoresIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The restore settings: which statuses give stock back on deletion, and the skip limit.
 */
@TestPropertySource(properties = { "stockrecon.restore.statuses-restored-on-delete= Pending ,paid",
		"stockrecon.restore.skip-limit=1", "stockrecon.restore.chunk-size=2",
		"stockrecon.verify.settle-interval=100ms" })
class RestoreSettingsIntegrationTests extends StoresIntegrationTest {

	/** Sessions of this database that wait for a lock: a table's, an advisory one. */
	private static final String WAITING_SESSIONS = """
			SELECT count(DISTINCT pid) FROM pg_locks
			WHERE NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
			""";

	/**
	 * Sessions of this database whose restore statement waits for a lock: the first
	 * waiter of a row waits for the transaction that holds it, whose lock
	 * {@code pg_locks} lists with no database; the second for the first, on the row's own
	 * lock.
	 */
	private static final String RESTORES_WAITING_FOR_A_LOCK = """
			SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'WITH due AS%'
			""";

	@Autowired
	DataSource dataSource;

	Shop shop;

	@BeforeEach
	void startFromAnEmptyShop() {
		this.shop = emptyShop();
	}

	@Test
	void shouldRestoreOnDeleteOnlyTheConfiguredStatusesAndCancelledOnes() {
		this.shop.product(1, 100)
			.order(1, "pending", 1, 1)
			.order(2, "PAID", 1, 2)
			.order(3, "shipped", 1, 4)
			.order(4, "paid", 1, 8);
		this.shop.cancel(4).delete(1, 2, 3, 4);

		JobExecution execution = runNightly();

		assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(this.shop.stock(1)).isEqualTo(100 - 4);
		assertThat(this.shop.counter(1)).isEqualTo("96");
		assertThat(this.shop.count("SELECT count(*) FROM stockrecon_order_events")).isZero();
	}

	/**
	 * The two restore partitions (order id modulo 2) each meet one bad item, on products
	 * of their own, and both are held by a share lock on the skips table just before they
	 * record their skip, so that they count at the same moment once it opens: the chunk
	 * that counts second must see the first one's skip, pass the limit and roll back
	 * whole. Without their taking turns, each saw its own skip alone and both committed.
	 */
	@Test
	void shouldFailTheRunWhenBadItemsOfPartitionsRunningAtOnceExceedTheSkipLimit() throws Exception {
		this.shop.product(1, 100)
			.product(2, 100)
			.order(10, "paid", 1, 1)
			.order(11, "paid", 2, 1)
			.order(12, "paid", 1, 1);
		this.jdbc.sql("INSERT INTO order_items (order_id, product_id, quantity) VALUES (10, 77, 1), (11, 78, 1)")
			.update();
		this.shop.cancel(10, 11, 12);

		JobExecution execution = runNightlyHeldUntilTwoWait("LOCK TABLE stockrecon_skipped_items IN SHARE MODE",
				WAITING_SESSIONS);

		assertThat(execution.getStatus()).isEqualTo(BatchStatus.FAILED);
		assertThat(execution.getAllFailureExceptions())
			.anySatisfy((failure) -> assertThat(failure).hasStackTraceContaining("stockrecon.restore.skip-limit=1"));
		assertThat(this.shop.count("SELECT count(*) FROM stockrecon_skipped_items")).as("no more than the limit")
			.isEqualTo(1);
		assertThat(this.shop.count("SELECT count(*) FROM stock_restorations")
				+ this.shop.count("SELECT count(*) FROM stockrecon_order_events"))
			.as("every order restored or still queued, none both")
			.isEqualTo(3);
		assertThat(this.shop.stock(1) + this.shop.stock(2))
			.as("the stock moved by the units of the restored orders only")
			.isEqualTo(98 + 99 + this.shop.count("SELECT coalesce(sum(units), 0) FROM stock_restorations"));
	}

	/**
	 * Two orders in different partitions (order id modulo 2) that together would push a
	 * product's stock past its column, each within it alone. A side session holds the
	 * stock row until both partitions' chunks wait for it, then lets them go: the chunk
	 * that locks the row first fits, the other finds the stock it left and skips its
	 * item. Never both, never neither.
	 */
	@Test
	void shouldLetTheFirstOfTwoPartitionsThatOverflowAProductTogetherFit() throws Exception {
		this.shop.product(1, 100).order(10, "paid", 1, 6).order(11, "paid", 1, 6);
		// a restock in both stores after the orders: room for 8 units, each order gives 6
		this.jdbc.sql("UPDATE inventory SET stock = :stock WHERE product_id = 1")
			.param("stock", Integer.MAX_VALUE - 8)
			.update();
		this.shop.setCounter(1, Integer.toString(Integer.MAX_VALUE - 8));
		this.shop.cancel(10, 11);

		JobExecution execution = runNightlyHeldUntilTwoWait(
				"SELECT stock FROM inventory WHERE product_id = 1 FOR UPDATE", RESTORES_WAITING_FOR_A_LOCK);

		assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(this.shop.stock(1)).isEqualTo(Integer.MAX_VALUE - 2);
		assertThat(this.shop.counter(1)).as("the fitting order's units, published to Redis")
			.isEqualTo(Integer.toString(Integer.MAX_VALUE - 2));
		assertThat(this.shop.count("SELECT count(*) FROM stockrecon_drift_audit")).as("nothing left for the verify")
			.isZero();
		assertThat(
				this.jdbc.sql("SELECT product_id, quantity, reason FROM stockrecon_skipped_items").query().singleRow())
			.containsEntry("product_id", 1L)
			.containsEntry("quantity", 6L)
			.containsEntry("reason", SkipReason.STOCK_OVERFLOW.code());
		assertThat(this.jdbc.sql("SELECT units FROM stock_restorations ORDER BY units").query(Long.class).list())
			.as("both orders claimed once, one of them with its units")
			.containsExactly(0L, 6L);
		assertThat(this.shop.count("SELECT count(*) FROM stockrecon_order_events")).isZero();
	}

	/**
	 * Runs the night while a side transaction holds a lock, and lets it go once two
	 * sessions wait (as the given count says) or the run ended first: the two partitions'
	 * chunks then meet what the lock guarded at the same moment.
	 */
	private JobExecution runNightlyHeldUntilTwoWait(String lock, String waitingSessions) throws Exception {
		try (Connection gate = this.dataSource.getConnection()) {
			gate.setAutoCommit(false);
			try (Statement statement = gate.createStatement()) {
				statement.execute(lock);
			}
			CompletableFuture<JobExecution> run = CompletableFuture.supplyAsync(this::runNightly);
			Awaitility.await()
				.atMost(Duration.ofSeconds(30))
				.until(() -> run.isDone() || this.shop.count(waitingSessions) >= 2);
			gate.rollback();
			return run.get(60, TimeUnit.SECONDS);
		}
	}

	private JobExecution runNightly() {
		LaunchOutcome outcome = this.launcher.run(LocalDate.of(2026, 11, 24), false, true);
		return ((LaunchOutcome.Ran) outcome).execution();
	}

}
