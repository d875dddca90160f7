package io.stockrecon.restore;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.stockrecon.drift.VerifyStepsConfiguration;
import io.stockrecon.job.LaunchOutcome;
import io.stockrecon.shop.EventKinds;
import io.stockrecon.shop.ShopMapping;
import io.stockrecon.support.JobSteps;
import io.stockrecon.support.Shop;
import io.stockrecon.support.StoresIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The restore rules of the recovery job, each pinned by a scenario against real
 * PostgreSQL and Redis.
 */
@TestPropertySource(properties = "stockrecon.verify.settle-interval=100ms")
class RestoreJobIntegrationTests extends StoresIntegrationTest {

	private static final LocalDate NIGHT = LocalDate.of(2026, 11, 24);

	/** Sessions in a restore statement that wait for a lock the given session holds. */
	private static final String WAITING_FOR = """
			SELECT count(*) FROM pg_stat_activity
			WHERE :holder = ANY(pg_blocking_pids(pid)) AND query LIKE :statement
			""";

	@Autowired
	DataSource dataSource;

	@Autowired
	ShopMapping shopMapping;

	@Autowired
	PlatformTransactionManager transactionManager;

	Shop shop;

	@BeforeEach
	void startFromAnEmptyShop() {
		this.shop = emptyShop();
	}

	/**
	 * The reader's plan settings last for its chunk's transaction: outside one they would
	 * last one statement, and the plans that sort the whole queue would come back
	 * silently. Its generic plan ends with its page: the chunk's later statements (the
	 * shop's, on a possibly partitioned orders table) plan under the shop's own
	 * {@code plan_cache_mode} again.
	 */
	@Test
	void shouldReadTheCaptureQueueOnlyInAChunksTransaction() throws Exception {
		this.shop.product(1, 100).order(10, "paid", 1, 3);
		this.shop.cancel(10);
		CapturedEventPages events = new CapturedEventPages(this.jdbc, this.shopMapping, EventKinds.CANCELLED, 10, 0, 1);
		events.open(new ExecutionContext());
		try {
			assertThatIllegalStateException().isThrownBy(events::read).withMessageContaining("chunk's transaction");
			String[] planCacheMode = new String[2];
			OrderEvent read = new TransactionTemplate(this.transactionManager).execute((status) -> {
				try {
					planCacheMode[0] = this.jdbc.sql("SHOW plan_cache_mode").query(String.class).single();
					OrderEvent event = events.read();
					// the writer's statements, later in the same transaction, plan as the
					// shop's
					planCacheMode[1] = this.jdbc.sql("SHOW plan_cache_mode").query(String.class).single();
					return event;
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			});
			assertThat(read.orderId()).isEqualTo("10");
			assertThat(planCacheMode[1]).as("after the page")
				.isEqualTo(planCacheMode[0])
				.isNotEqualTo("force_generic_plan");
		}
		finally {
			events.close();
		}
	}

	@Test
	void shouldRestoreCancelledOrderOnceInPostgresAndRedis() {
		this.shop.product(1, 100).product(2, 50).order(10, "paid", 1, 3, 2, 4).order(11, "paid", 1, 1);
		this.shop.cancel(10);

		JobExecution first = runNightly();
		JobExecution again = runNightly();

		assertThat(first.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(again.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(this.shop.stock(1)).isEqualTo(99);
		assertThat(this.shop.stock(2)).isEqualTo(50);
		assertThat(this.shop.counter(1)).isEqualTo("99");
		assertThat(this.shop.counter(2)).isEqualTo("50");
		assertThat(this.jdbc.sql("SELECT reason, units, job_execution_id FROM stock_restorations WHERE order_id = 10")
			.query()
			.singleRow()).containsEntry("reason", "cancelled")
			.containsEntry("units", 7L)
			.containsEntry("job_execution_id", first.getId());
		assertThat(this.shop.count("SELECT count(*) FROM stockrecon_order_events")).isZero();
		assertThat(this.shop.count("SELECT count(*) FROM stockrecon_counter_outbox")).isZero();
	}

	/**
	 * The defaults of {@code stockrecon.scale}: the restore steps run one partition per
	 * thread (two), the verify's first look one, since a second made it slower and
	 * heavier.
	 */
	@Test
	void shouldRestoreOnAPartitionPerThreadAndLookFirstOnOneByDefault() {
		this.shop.product(1, 100).product(2, 50).order(10, "paid", 1, 3).order(11, "paid", 2, 4);
		this.shop.cancel(10).cancel(11);

		JobExecution execution = runNightly();

		assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(this.shop.stock(1)).isEqualTo(100);
		assertThat(this.shop.counter(2)).isEqualTo("50");
		assertThat(JobSteps.partitionsOf(execution, RestoreStepsConfiguration.CANCELLED_WORKER)).hasSize(2)
			.allSatisfy((partition) -> assertThat(partition.getWriteCount()).isOne());
		assertThat(JobSteps.partitionsOf(execution, RestoreStepsConfiguration.DELETED_WORKER)).hasSize(2);
		assertThat(JobSteps.partitionsOf(execution, VerifyStepsConfiguration.FIND_WORKER)).singleElement()
			.satisfies((partition) -> assertThat(partition.getReadCount()).isEqualTo(2));
	}

	@Test
	void shouldFindPlainSqlCancellationWhateverItsTimestampOrCase() {
		this.shop.product(1, 100).order(20, "paid", 1, 5).order(21, "paid", 1, 6).order(22, "paid", 1, 7);
		this.jdbc.sql("UPDATE orders SET status = 'cancelled', updated_at = now() - interval '400 days' WHERE id = 20")
			.update();
		this.jdbc.sql("UPDATE orders SET status = ' Cancelled ' WHERE id = 21").update();
		this.jdbc.sql("UPDATE orders SET status = 'CANCELLED', updated_at = NULL WHERE id = 22").update();

		runNightly();

		assertThat(this.shop.stock(1)).isEqualTo(100);
		assertThat(this.shop.counter(1)).isEqualTo("100");
	}

	@Test
	void shouldFindCancellationCommittedAfterALaterOne() throws Exception {
		this.shop.product(1, 100).order(30, "paid", 1, 2).order(31, "paid", 1, 3);
		try (Connection slow = this.dataSource.getConnection()) {
			slow.setAutoCommit(false);
			try (Statement statement = slow.createStatement()) {
				statement.executeUpdate("UPDATE orders SET status = 'cancelled' WHERE id = 30");
			}
			this.shop.cancel(31);
			runNightly();
			assertThat(this.shop.stock(1)).isEqualTo(98);
			slow.commit();
		}

		runNightly();

		assertThat(this.shop.stock(1)).isEqualTo(100);
		assertThat(this.shop.counter(1)).isEqualTo("100");
	}

	/**
	 * A checkout holds a product's stock row when the restore's chunk comes to lock it:
	 * the chunk waits, then adds its units to the stock the checkout committed. Its
	 * statement's snapshot is older than that commit; writing through the row address it
	 * read before the wait would skip the row and lose the restored units.
	 */
	@Test
	void shouldAddTheUnitsToTheStockACheckoutCommittedWhileTheChunkWaited() throws Exception {
		this.shop.product(1, 100).product(2, 50).order(10, "paid", 1, 3, 2, 4);
		this.shop.cancel(10);
		ExecutorService night = Executors.newSingleThreadExecutor();
		try {
			try (Connection checkout = this.dataSource.getConnection()) {
				checkout.setAutoCommit(false);
				int holder = backendPid(checkout);
				try (Statement statement = checkout.createStatement()) {
					// a checkout: reserve in Redis, then take the stock in PostgreSQL
					this.redis.opsForValue().decrement(this.shop.counterKey(1), 5);
					statement.executeUpdate("UPDATE inventory SET stock = stock - 5 WHERE product_id = 1");
				}
				Future<JobExecution> run = night.submit(this::runNightly);
				await().atMost(Duration.ofSeconds(30))
					.until(() -> waitingFor(holder, "%stock_restorations%") > 0 || run.isDone());
				assertThat(run).as("the restore waits for the checkout's row").isNotDone();
				checkout.commit();
				assertThat(run.get(1, TimeUnit.MINUTES).getStatus()).isEqualTo(BatchStatus.COMPLETED);
			}
		}
		finally {
			// the checkout's connection is closed (rolled back) first, so the run can end
			night.shutdownNow();
			night.awaitTermination(1, TimeUnit.MINUTES);
		}

		assertThat(this.shop.stock(1)).isEqualTo(100 - 3 - 5 + 3);
		assertThat(this.shop.stock(2)).isEqualTo(50);
		assertThat(this.shop.counter(1)).isEqualTo("95");
		assertThat(this.shop.counter(2)).isEqualTo("50");
	}

	@Test
	void shouldRestoreDeletedOrderFromItsCapturedItems() {
		this.shop.product(1, 100).product(2, 100).order(40, "paid", 1, 4, 2, 1);
		this.shop.delete(40);

		runNightly();

		assertThat(this.shop.stock(1)).isEqualTo(100);
		assertThat(this.shop.stock(2)).isEqualTo(100);
		assertThat(this.shop.counter(1)).isEqualTo("100");
		assertThat(reasonOf(40)).isEqualTo("deleted");
		assertThat(this.shop.count("SELECT count(*) FROM stockrecon_deleted_order_items")).as("gone with the event")
			.isZero();
	}

	@Test
	void shouldRestoreOrderCancelledThenDeletedBeforeTheJobOnce() {
		this.shop.product(1, 100).order(50, "paid", 1, 9);
		this.shop.cancel(50).delete(50);

		runNightly();

		assertThat(this.shop.stock(1)).isEqualTo(100);
		assertThat(this.shop.counter(1)).isEqualTo("100");
		assertThat(this.shop.count("SELECT count(*) FROM stock_restorations")).isEqualTo(1);
	}

	@Test
	void shouldNotRestoreAgainWhenRestoredOrderIsDeletedLater() {
		this.shop.product(1, 100).order(51, "paid", 1, 9);
		this.shop.cancel(51);
		runNightly();
		this.shop.delete(51);

		runNightly();

		assertThat(this.shop.stock(1)).isEqualTo(100);
		assertThat(this.shop.counter(1)).isEqualTo("100");
		assertThat(reasonOf(51)).isEqualTo("cancelled");
		assertThat(this.shop.count("SELECT count(*) FROM stockrecon_deleted_order_items")).as("gone with the event")
			.isZero();
	}

	@Test
	void shouldLeaveAnOrderTheApplicationRestoredAlone() {
		this.shop.product(1, 100).order(60, "paid", 1, 8);
		this.shop.cancel(60);
		// the application gives the stock back itself and says so in the ledger
		this.jdbc.sql("UPDATE inventory SET stock = stock + 8 WHERE product_id = 1").update();
		this.jdbc.sql("INSERT INTO stock_restorations (order_id, reason) VALUES (60, 'refund-service')").update();
		this.shop.setCounter(1, "100");

		runNightly();

		assertThat(this.shop.stock(1)).isEqualTo(100);
		assertThat(this.shop.counter(1)).isEqualTo("100");
		assertThat(reasonOf(60)).isEqualTo("refund-service");
	}

	@Test
	void shouldRestoreOnceWhenStatusFlipsBackAndForth() {
		this.shop.product(1, 100).order(70, "paid", 1, 5).order(71, "paid", 1, 6);
		this.shop.cancel(70).setStatus(70, "paid").cancel(70);
		this.shop.cancel(71).setStatus(71, "paid");

		runNightly();
		this.shop.cancel(71);
		runNightly();
		this.shop.setStatus(71, "paid").cancel(71);
		runNightly();

		assertThat(this.shop.stock(1)).isEqualTo(100);
		assertThat(this.shop.counter(1)).isEqualTo("100");
	}

	@Test
	void shouldSkipAndRecordBadItemsAndRestoreTheOrdersOtherItems() {
		this.shop.product(1, 100).product(2, Integer.MAX_VALUE - 3);
		this.shop.order(80, "paid", 1, 2);
		this.jdbc.sql("""
				INSERT INTO order_items (order_id, product_id, quantity)
				VALUES (80, 999, 4), (80, 1, 0), (80, 1, -3), (80, 2, 5), (80, 1, 1)
				""").update();
		this.shop.cancel(80);

		JobExecution execution = runNightly();

		assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(this.shop.stock(1)).isEqualTo(101);
		assertThat(this.shop.stock(2)).isEqualTo(Integer.MAX_VALUE - 3);
		assertThat(this.shop.counter(1)).isEqualTo("101");
		assertThat(this.jdbc.sql("""
				SELECT product_id, quantity, reason FROM stockrecon_skipped_items
				WHERE job_execution_id = :id ORDER BY product_id, quantity
				""").param("id", execution.getId()).query().listOfRows()).extracting((row) -> row.get("reason"))
			.containsExactly("non-positive-quantity", "non-positive-quantity", "stock-overflow", "unknown-product");
	}

	@Test
	void shouldRestoreAnOrderWithoutItemsAsZeroUnitsAndTheSameProductTwice() {
		this.shop.product(1, 100).order(90, "paid").order(91, "paid", 1, 2, 1, 3);
		this.shop.cancel(90, 91);

		runNightly();

		assertThat(this.shop.stock(1)).isEqualTo(100);
		assertThat(this.jdbc.sql("SELECT units FROM stock_restorations WHERE order_id = 90").query(Long.class).single())
			.isZero();
	}

	@Test
	void shouldNotCreateACounterFromAPartialValueButLeaveItToVerify() {
		this.shop.product(1, 100).order(100, "paid", 1, 5).deleteCounter(1);
		this.shop.cancel(100);

		JobExecution execution = runNightly();

		assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(this.shop.stock(1)).isEqualTo(100);
		assertThat(publishStep(execution).getFilterCount()).as("deltas left to the verify step").isEqualTo(1);
		// verify then sets the whole value from PostgreSQL, not the 5 restored units
		assertThat(this.shop.counter(1)).isEqualTo("100");
		assertThat(driftActions(execution)).containsExactly("key-missing repaired");
	}

	@Test
	void shouldLeaveANonIntegerCounterToTheVerifyStep() {
		this.shop.product(1, 100).order(101, "paid", 1, 5).setCounter(1, "lots");
		this.shop.cancel(101);

		JobExecution execution = runNightly();

		assertThat(this.shop.stock(1)).isEqualTo(100);
		assertThat(publishStep(execution).getFilterCount()).isEqualTo(1);
		assertThat(this.shop.counter(1)).isEqualTo("100");
		assertThat(driftActions(execution)).containsExactly("not-an-integer repaired");
	}

	private static StepExecution publishStep(JobExecution execution) {
		return JobSteps.named(execution, RestoreStepsConfiguration.PUBLISH_STEP);
	}

	private List<String> driftActions(JobExecution execution) {
		return this.jdbc.sql(
				"SELECT kind || ' ' || action FROM stockrecon_drift_audit WHERE job_execution_id = :id AND kind <> 'orphan'")
			.param("id", execution.getId())
			.query(String.class)
			.list();
	}

	@Test
	void shouldRestoreHistoryOnFullScan() {
		this.shop.product(1, 100).order(110, "paid", 1, 4).order(111, "paid", 1, 6);
		this.shop.cancel(110, 111);
		// as if both had been cancelled before stockrecon was installed
		this.jdbc.sql("DELETE FROM stockrecon_order_events").update();

		runNightly();
		assertThat(this.shop.stock(1)).isEqualTo(90);
		LaunchOutcome fullScan = this.launcher.run(NIGHT, true, true);
		LaunchOutcome fullScanAgain = this.launcher.run(NIGHT, true, true);

		assertThat(((LaunchOutcome.Ran) fullScan).execution().getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(((LaunchOutcome.Ran) fullScanAgain).execution().getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(this.shop.stock(1)).isEqualTo(100);
		assertThat(this.shop.counter(1)).isEqualTo("100");
	}

	@Test
	void shouldKeepNightlyWorkToTheQueueNotTheHistory() {
		this.shop.product(1, 1000);
		for (long id = 1; id <= 50; id++) {
			this.shop.order(id, "paid", 1, 1);
		}
		this.shop.cancel(3, 4);

		JobExecution execution = runNightly();

		assertThat(execution.getStepExecutions())
			.filteredOn((step) -> step.getStepName().equals(RestoreStepsConfiguration.CANCELLED_STEP))
			.singleElement()
			.satisfies((step) -> assertThat(step.getReadCount()).isEqualTo(2));
	}

	/**
	 * A remote worker can take a queued partition request of an execution that has ended:
	 * its chunk must not add to that execution's outbox rows, which a later publish may
	 * have delivered already.
	 */
	@Test
	void shouldRestoreNothingInAPartitionOfAnExecutionThatHasEnded() {
		this.shop.product(1, 100).order(30, "paid", 1, 4);
		JobExecution ended = runNightly();
		this.shop.cancel(30);
		OrderEvent event = onlyQueuedEvent();
		RestorationWriter late = latePartitionOf(ended);

		assertThatIllegalStateException().isThrownBy(() -> late.write(new Chunk<>(event)))
			.withMessageContaining("COMPLETED");
		assertRestoredOnlyByTheNextNight();
	}

	/**
	 * A partition request delivered a second time can run while its execution publishes
	 * (or verifies): its chunk must not queue rows the publish step has planned past. The
	 * chunk here checks while the publish step holds its execution's row: it must see the
	 * publish step that began while it waited.
	 */
	@Test
	void shouldRestoreNothingInAPartitionThatRunsAgainWhileItsExecutionPublishes() throws Exception {
		this.shop.product(1, 100).order(31, "paid", 1, 4);
		JobExecution publishing = runNightly();
		this.shop.cancel(31);
		OrderEvent event = onlyQueuedEvent();
		RestorationWriter late = latePartitionOf(publishing);
		// the execution runs again, its publish step not begun yet
		setStatus(publishing, "STARTED");
		renameStep(this.jdbc, publishing, RestoreStepsConfiguration.PUBLISH_STEP, "publish not begun");
		ExecutorService worker = Executors.newSingleThreadExecutor();
		try (Connection publish = this.dataSource.getConnection()) {
			publish.setAutoCommit(false);
			int holder = backendPid(publish);
			try (Statement statement = publish.createStatement()) {
				// as the publish step does before it plans
				statement.executeQuery("SELECT job_execution_id FROM batch_job_execution WHERE job_execution_id = "
						+ publishing.getId() + " FOR NO KEY UPDATE");
			}
			Future<?> chunk = worker.submit(() -> late.write(new Chunk<>(event)));
			await().atMost(Duration.ofSeconds(30))
				.until(() -> waitingFor(holder, "%batch_job_execution%") > 0 || chunk.isDone());
			assertThat(chunk).as("the chunk waits for the publish step").isNotDone();
			renameStep(JdbcClient.create(new SingleConnectionDataSource(publish, true)), publishing,
					"publish not begun", RestoreStepsConfiguration.PUBLISH_STEP);
			publish.commit();
			assertThatThrownBy(() -> chunk.get(1, TimeUnit.MINUTES)).cause()
				.isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("publishing its restored units already");
		}
		finally {
			worker.shutdownNow();
			worker.awaitTermination(1, TimeUnit.MINUTES);
			renameStep(this.jdbc, publishing, "publish not begun", RestoreStepsConfiguration.PUBLISH_STEP);
			setStatus(publishing, "COMPLETED");
		}
		assertRestoredOnlyByTheNextNight();
	}

	/**
	 * The late partition left product 1's 4 units queued and nothing else: the next night
	 * restores them, once.
	 */
	private void assertRestoredOnlyByTheNextNight() {
		assertThat(this.shop.stock(1)).isEqualTo(96);
		assertThat(this.shop.count("SELECT count(*) FROM stockrecon_counter_outbox")).isZero();
		assertThat(this.shop.count("SELECT count(*) FROM stock_restorations")).isZero();

		runNightly();

		assertThat(this.shop.stock(1)).isEqualTo(100);
		assertThat(this.shop.counter(1)).isEqualTo("100");
	}

	private void setStatus(JobExecution execution, String status) {
		this.jdbc.sql("UPDATE batch_job_execution SET status = :status WHERE job_execution_id = :id")
			.param("status", status)
			.param("id", execution.getId())
			.update();
	}

	private static void renameStep(JdbcClient jdbc, JobExecution execution, String from, String to) {
		jdbc.sql("UPDATE batch_step_execution SET step_name = :to WHERE job_execution_id = :id AND step_name = :from")
			.param("to", to)
			.param("id", execution.getId())
			.param("from", from)
			.update();
	}

	/** The only event in the capture queue. */
	private OrderEvent onlyQueuedEvent() {
		return this.jdbc.sql("SELECT id, order_id::text, kind, status FROM stockrecon_order_events")
			.query((rs, row) -> new OrderEvent(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)))
			.single();
	}

	/** A writer of a partition of this execution, as a worker that runs it late has. */
	private RestorationWriter latePartitionOf(JobExecution execution) {
		RestorationWriter late = new RestorationWriter(this.jdbc, this.shopMapping, this.properties.restore());
		late.beforeStep(
				new StepExecution(0L, RestoreStepsConfiguration.CANCELLED_STEP + "Partition:partition0", execution));
		return late;
	}

	private static int backendPid(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement();
				ResultSet pid = statement.executeQuery("SELECT pg_backend_pid()")) {
			pid.next();
			return pid.getInt(1);
		}
	}

	@Test
	void shouldAnswerAlreadyCompletedForADateThatCompleted() {
		LaunchOutcome first = this.launcher.run(LocalDate.of(2020, 1, 1), false, false);
		LaunchOutcome second = this.launcher.run(LocalDate.of(2020, 1, 1), false, false);

		assertThat(first).isInstanceOf(LaunchOutcome.Ran.class);
		assertThat(second).isInstanceOf(LaunchOutcome.AlreadyCompleted.class);
	}

	private String reasonOf(long orderId) {
		return this.jdbc.sql("SELECT reason FROM stock_restorations WHERE order_id = :id")
			.param("id", orderId)
			.query(String.class)
			.single();
	}

	/** Backends that wait for the holder's locks, running a statement that matches. */
	private long waitingFor(int holder, String statement) {
		return this.jdbc.sql(WAITING_FOR)
			.param("holder", holder)
			.param("statement", statement)
			.query(Long.class)
			.single();
	}

	private JobExecution runNightly() {
		LaunchOutcome outcome = this.launcher.run(NIGHT, false, true);
		assertThat(outcome).isInstanceOf(LaunchOutcome.Ran.class);
		return ((LaunchOutcome.Ran) outcome).execution();
	}

}
