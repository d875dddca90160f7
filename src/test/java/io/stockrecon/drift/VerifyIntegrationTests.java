package io.stockrecon.drift;

import java.io.IOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.postgresql.PGConnection;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.batch.test.MetaDataInstanceFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.test.context.TestPropertySource;

import io.stockrecon.JobParameterNames;
import io.stockrecon.audit.ExecutionAudit;
import io.stockrecon.cli.Commands;
import io.stockrecon.cli.ExitCode;
import io.stockrecon.job.LaunchOutcome;
import io.stockrecon.shop.KeyType;
import io.stockrecon.shop.ShopMapping;
import io.stockrecon.stock.CounterRepair;
import io.stockrecon.stock.CounterValue;
import io.stockrecon.stock.RedisStockCounters;
import io.stockrecon.support.Shop;
import io.stockrecon.support.StoresIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Each kind of drift is planted, found, audited and repaired; a dry run changes nothing.
 */
@TestPropertySource(properties = { "stockrecon.verify.settle-interval=100ms", "stockrecon.verify.chunk-size=3",
		"stockrecon.verify.first-look-chunk-size=5" })
class VerifyIntegrationTests extends StoresIntegrationTest {

	@Autowired
	ExecutionAudit audit;

	@Autowired
	RedisStockCounters counters;

	@Autowired
	ShopMapping shopMapping;

	@Autowired
	ApplicationContext context;

	@Autowired
	DataSource dataSource;

	@Autowired
	JobRepository jobRepository;

	Shop shop;

	@BeforeEach
	void shopWithEveryKindOfDrift() {
		this.shop = emptyShop();
		for (long id = 1; id <= 8; id++) {
			this.shop.product(id, 100);
		}
		this.shop.setCounter(2, "130")
			.setCounter(3, "60")
			.deleteCounter(4)
			.setCounter(5, "lots")
			.setCounter(6, "-4")
			.setCounter(7, "99999999999999999999");
		this.redis.delete(this.shop.counterKey(8));
		this.redis.opsForHash().put(this.shop.counterKey(8), "units", "100");
		this.redis.opsForValue().set(this.properties.redis().keyPrefix() + "404", "7");
		this.redis.opsForValue().set(this.properties.redis().keyPrefix() + "old:format", "7");
	}

	@Test
	void shouldRepairEveryKindOfDriftAndAuditIt() {
		JobExecution execution = verify(new VerifyMode(false, false));

		assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		for (long id = 1; id <= 8; id++) {
			assertThat(this.shop.counter(id)).as("counter of product %d", id).isEqualTo("100");
		}
		assertThat(auditRows(execution)).containsExactlyInAnyOrder("2 redis-higher 130 100 100 repaired",
				"3 redis-lower 60 100 100 repaired", "4 key-missing null 100 100 repaired",
				"5 not-an-integer lots 100 100 repaired", "6 negative -4 100 100 repaired",
				"7 not-an-integer 99999999999999999999 100 100 repaired",
				"8 not-an-integer <not a string> 100 100 repaired", "404 orphan 7 null 7 reported",
				"null orphan 7 null 7 reported");
		assertThat(this.redis.opsForValue().get(this.properties.redis().keyPrefix() + "404")).isEqualTo("7");
		assertThat(this.shop.count("SELECT count(*) FROM stockrecon_drift_suspects")).isZero();
	}

	/**
	 * The orphan scan checks numeric keys against a bitmap of the stock keys: a negative
	 * id and one past 32 bits are products like any other, their neighbours are not.
	 */
	@Test
	void shouldTellOrphansFromProductsWhateverTheirNumericId() {
		long wide = 4_294_967_297L;
		this.shop.product(-6, 100).product(wide, 100);
		String prefix = this.properties.redis().keyPrefix();
		this.redis.opsForValue().set(prefix + "-7", "7");
		this.redis.opsForValue().set(prefix + (wide + 1), "7");

		JobExecution execution = verify(new VerifyMode(false, false));

		assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(auditRows(execution)).filteredOn((row) -> row.contains(" orphan "))
			.containsExactlyInAnyOrder("404 orphan 7 null 7 reported", "null orphan 7 null 7 reported",
					"-7 orphan 7 null 7 reported", (wide + 1) + " orphan 7 null 7 reported");
		assertThat(this.shop.counter(-6)).isEqualTo("100");
		assertThat(this.shop.counter(wide)).isEqualTo("100");
	}

	/**
	 * The stock keys come from a binary {@code COPY}, parsed by hand: every key as
	 * PostgreSQL holds it, sign and width included, and no other. (A wrong parse would
	 * only slow the scan down: the keys it does not know are asked of PostgreSQL again.)
	 */
	@Test
	void shouldHoldEveryStockKeyAsPostgreSqlHoldsIt() {
		long[] products = { -6, 0, 255, 256, 4_294_967_297L, Long.MAX_VALUE, Long.MIN_VALUE };
		for (long id : products) {
			this.shop.product(id, 1);
		}

		KnownStockKeys keys = KnownStockKeys.read(this.dataSource, this.shopMapping, 0);

		for (long id : products) {
			assertThat(keys.contains(Long.toString(id))).as("key %d", id).isTrue();
		}
		for (long id = 1; id <= 8; id++) {
			assertThat(keys.contains(Long.toString(id))).as("key %d", id).isTrue();
		}
		for (long id : new long[] { -5, 9, 254, 257, 4_294_967_296L, Long.MAX_VALUE - 1, 1L << 40 }) {
			assertThat(keys.contains(Long.toString(id))).as("key %d", id).isFalse();
		}
	}

	/**
	 * Uuid keys and narrower integer keys (cast to bigint by the copy) as PostgreSQL
	 * sends them.
	 */
	@Test
	void shouldReadUuidAndIntegerKeysFromARealCopy() throws Exception {
		try (Connection connection = this.dataSource.getConnection()) {
			KnownStockKeys uuids = copy(connection,
					"""
							COPY (SELECT CAST(k AS uuid) FROM (VALUES (md5('a')::uuid), (NULL), ('ffffffff-0000-0000-0000-000000000001'))
							      AS t(k)) TO STDOUT (FORMAT binary)
							""",
					KeyType.UUID);
			KnownStockKeys integers = copy(connection,
					"""
							COPY (SELECT CAST(k AS bigint) FROM (VALUES (-2147483648), (0), (2147483647), (NULL::integer)) AS t(k))
							     TO STDOUT (FORMAT binary)
							""",
					KeyType.BIGINT);

			assertThat(uuids.contains("0cc175b9-c0f1-b6a8-31c3-99e269772661")).as("md5('a')").isTrue();
			assertThat(uuids.contains("ffffffff-0000-0000-0000-000000000001")).isTrue();
			assertThat(uuids.contains("ffffffff-0000-0000-0000-000000000000")).isFalse();
			assertThat(integers.contains("-2147483648")).isTrue();
			assertThat(integers.contains("0")).isTrue();
			assertThat(integers.contains("2147483647")).isTrue();
			assertThat(integers.contains("1")).isFalse();
		}
	}

	/**
	 * A read that fails mid-copy reads the rest off the wire before the connection is
	 * used again: a cancelled copy would leave its rows and its error as the reply to the
	 * connection's next command.
	 */
	@Test
	void shouldLeaveTheConnectionInStepWhenAKeyReadFails() throws Exception {
		try (Connection connection = this.dataSource.getConnection()) {
			// uuids where bigints are expected: the first key fails, 50 000 rows follow
			assertThatExceptionOfType(IOException.class).isThrownBy(() -> copy(connection, """
					COPY (SELECT md5(n::text)::uuid FROM generate_series(1, 50000) AS n) TO STDOUT (FORMAT binary)
					""", KeyType.BIGINT)).withMessageContaining("16 bytes where 8 were expected");

			try (Statement statement = connection.createStatement();
					ResultSet answer = statement.executeQuery("SELECT 42")) {
				assertThat(answer.next()).isTrue();
				assertThat(answer.getInt(1)).isEqualTo(42);
			}
		}
	}

	private static KnownStockKeys copy(Connection connection, String copySql, KeyType keyType)
			throws IOException, SQLException {
		try (KnownStockKeys.KeyStream keys = new KnownStockKeys.KeyStream(connection.unwrap(PGConnection.class),
				copySql)) {
			return KnownStockKeys.read(keys, keyType, 16);
		}
	}

	@Test
	void shouldChangeNothingInADryRunAndExitFourWhenAsked() {
		Commands commands = new Commands(this.context, System.out);

		int exitCode = commands.verify(true, true, true);

		assertThat(exitCode).isEqualTo(ExitCode.DRIFT_FOUND);
		assertThat(this.shop.counter(2)).isEqualTo("130");
		assertThat(this.shop.counter(4)).isNull();
		assertThat(this.shop.counter(5)).isEqualTo("lots");
		assertThat(this.redis.opsForValue().get(this.properties.redis().keyPrefix() + "404")).isEqualTo("7");
		assertThat(this.shop.count("SELECT count(*) FROM stockrecon_drift_audit WHERE action = 'reported'"))
			.isGreaterThanOrEqualTo(9);
	}

	@Test
	void shouldPublishRestoredUnitsFirstExceptInADryRun() {
		JobExecution dryRun = verify(new VerifyMode(true, false));
		JobExecution repair = verify(new VerifyMode(false, false));

		assertThat(stepNames(dryRun)).doesNotContain("publishRestoredUnits").contains("findDrift", "repairDrift");
		assertThat(stepNames(repair)).startsWith("publishRestoredUnits").contains("findDrift", "repairDrift");
	}

	@Test
	void shouldExitZeroOnADryRunWithoutDrift() {
		verify(new VerifyMode(false, true));
		Commands commands = new Commands(this.context, System.out);

		assertThat(commands.verify(true, true, false)).isEqualTo(ExitCode.COMPLETED);
	}

	@Test
	void shouldDeleteOrphansOnlyWhenAsked() {
		JobExecution execution = verify(new VerifyMode(false, true));

		assertThat(this.redis.hasKey(this.properties.redis().keyPrefix() + "404")).isFalse();
		assertThat(this.redis.hasKey(this.properties.redis().keyPrefix() + "old:format")).isFalse();
		assertThat(this.audit.drift(execution.getId()).byKindAndAction().get("orphan"))
			.isEqualTo(Map.of("deleted", 2L));
	}

	@Test
	void shouldNotRepairACounterThatMovedAfterTheFirstLook() throws Exception {
		this.jdbc.sql("TRUNCATE inventory").update();
		this.shop.product(1, 100).setCounter(1, "90");
		// the first look saw 95 and recorded it; a checkout has since taken 5 more units
		// in Redis
		RepairAtHand repair = repairOf("redis-lower", "95", 1);

		repair.writer()
			.write(Chunk.of(new DriftSuspect("1", DriftKind.REDIS_LOWER, CounterValue.of("95"), 100,
					OffsetDateTime.now().minusSeconds(1))));

		assertThat(this.shop.counter(1)).isEqualTo("90");
		assertThat(this.audit.drift(repair.step().getJobExecutionId()).byKindAndAction())
			.isEqualTo(Map.of("redis-lower", Map.of("unsettled", 1L)));
		assertThat(this.jdbc.sql("SELECT count(*) FROM stockrecon_drift_suspects").query(Long.class).single()).isZero();
	}

	/**
	 * The second look asks whether a product exists only when its stock was not read: a
	 * row a checkout holds is in flight (unsettled), a row that is gone is reported gone.
	 */
	@Test
	void shouldTellAProductInFlightFromAProductGone() throws Exception {
		RepairAtHand repair = repairOf("redis-higher", "130", 2, 9);
		OffsetDateTime seen = OffsetDateTime.now().minusSeconds(1);
		try (Connection checkout = this.dataSource.getConnection()) {
			checkout.setAutoCommit(false);
			try (Statement statement = checkout.createStatement()) {
				statement.execute("SELECT stock FROM inventory WHERE product_id = 2 FOR UPDATE");
			}

			repair.writer()
				.write(Chunk.of(new DriftSuspect("2", DriftKind.REDIS_HIGHER, CounterValue.of("130"), 100, seen),
						new DriftSuspect("9", DriftKind.REDIS_HIGHER, CounterValue.of("130"), 100, seen)));
			checkout.rollback();
		}

		assertThat(this.shop.counter(2)).isEqualTo("130");
		assertThat(this.jdbc.sql("""
				SELECT string_agg(product_id || '=' || action, ' ' ORDER BY product_id) FROM stockrecon_drift_audit
				WHERE job_execution_id = :id
				""").param("id", repair.step().getJobExecutionId()).query(String.class).single())
			.isEqualTo("2=unsettled 9=product-gone");
	}

	/**
	 * The repair deletes a chunk's suspects as the range from its first product to its
	 * last: a chunk that is not consecutive suspects in product order would delete
	 * suspects it never handled, so it fails instead (and its transaction rolls back).
	 */
	@Test
	void shouldFailAChunkWhoseRangeHoldsSuspectsItDidNotHandle() {
		RepairAtHand repair = repairOf("redis-higher", "130", 1, 2, 3);
		OffsetDateTime seen = OffsetDateTime.now().minusSeconds(1);

		// products 1 and 3, without 2 between them
		assertThatIllegalStateException()
			.isThrownBy(() -> repair.writer()
				.write(Chunk.of(new DriftSuspect("1", DriftKind.REDIS_HIGHER, CounterValue.of("130"), 100, seen),
						new DriftSuspect("3", DriftKind.REDIS_HIGHER, CounterValue.of("130"), 100, seen))))
			.withMessageContaining("covers 3 suspects, not its 2");
	}

	/**
	 * A repair writer outside a job, its step started, and the suspects its first look
	 * would have recorded (PostgreSQL at 100, the counter at {@code redisValue}).
	 */
	private RepairAtHand repairOf(String kind, String redisValue, long... productIds) {
		DriftRepairWriter writer = new DriftRepairWriter(this.jdbc, this.shopMapping, this.counters, Duration.ZERO);
		StepExecution step = MetaDataInstanceFactory.createStepExecution(new JobParameters());
		writer.beforeStep(step);
		this.jdbc
			.sql("""
					INSERT INTO stockrecon_drift_suspects (job_instance_id, product_id, kind, redis_state, redis_value, postgres_value)
					SELECT :instance, id, :kind, 'STRING', :redisValue, 100 FROM unnest(CAST(:ids AS bigint[])) AS id
					""")
			.param("instance", step.getJobExecution().getJobInstance().getInstanceId())
			.param("kind", kind)
			.param("redisValue", redisValue)
			.param("ids", productIds)
			.update();
		return new RepairAtHand(writer, step);
	}

	@Test
	void shouldNotOverwriteACounterThatChangedSinceTheSecondLook() {
		this.shop.setCounter(1, "90");

		List<Boolean> applied = this.counters
			.setIfUnchangedLater(List.of(new CounterRepair("1", CounterValue.of("95"), 100),
					new CounterRepair("2", CounterValue.MISSING, 100)))
			.applied();

		assertThat(applied).containsExactly(false, false);
		assertThat(this.shop.counter(1)).isEqualTo("90");
		assertThat(this.shop.counter(2)).isEqualTo("130");
	}

	@Test
	void shouldDecideEachRepairOfAScriptCallOnItsOwn() {
		// more repairs than one script call takes: every third counter moved since the
		// second look, the others are as it saw them (missing or 7)
		List<CounterRepair> repairs = new ArrayList<>();
		List<Boolean> expected = new ArrayList<>();
		for (int id = 1001; id <= 1700; id++) {
			boolean moved = id % 3 == 0;
			boolean missing = id % 2 == 0;
			if (moved) {
				this.shop.setCounter(id, "6");
			}
			else if (!missing) {
				this.shop.setCounter(id, "7");
			}
			repairs.add(
					new CounterRepair(Integer.toString(id), missing ? CounterValue.MISSING : CounterValue.of("7"), id));
			expected.add(!moved);
		}

		try {
			List<Boolean> applied = this.counters.setIfUnchangedLater(repairs).applied();

			assertThat(applied).isEqualTo(expected);
			for (int id = 1001; id <= 1700; id++) {
				assertThat(this.shop.counter(id)).isEqualTo((id % 3 == 0) ? "6" : Integer.toString(id));
			}
		}
		finally {
			// counters of no product: the other tests' orphan scans would find them
			for (int id = 1001; id <= 1700; id++) {
				this.shop.deleteCounter(id);
			}
		}
	}

	@Test
	void shouldRunVerifyAsTheLastStepOfTheNightlyJob() {
		LaunchOutcome outcome = this.launcher.run(LocalDate.of(2026, 11, 24), false, true);
		JobExecution execution = ((LaunchOutcome.Ran) outcome).execution();

		assertThat(execution.getStepExecutions()).last()
			.satisfies((step) -> assertThat(step.getStepName()).isEqualTo(VerifyStepsConfiguration.REPAIR_STEP));
		assertThat(this.shop.counter(2)).isEqualTo("100");
	}

	/**
	 * The orphan scan holds the stock keys it read at its start. A product created while
	 * it runs, its counter set first as checkout does, is asked of PostgreSQL again: its
	 * live counter is not deleted as an orphan. Only a counter seen before its product
	 * existed is.
	 */
	@Test
	void shouldKeepTheCounterOfAProductCreatedDuringTheOrphanScan() throws Exception {
		String prefix = this.properties.redis().keyPrefix();
		List<Long> created = LongStream.rangeClosed(1001, 1050).boxed().toList();
		created.forEach((id) -> this.redis.opsForValue().set(prefix + id, "5"));
		// SCAN pages of about one key: the first transaction checks only a few of them
		OrphanCounterScan scan = new OrphanCounterScan(this.jdbc, this.dataSource, this.shopMapping, this.counters,
				this.jobRepository, 1);
		StepExecution step = MetaDataInstanceFactory.createStepExecution(
				new JobParametersBuilder().addString(JobParameterNames.DELETE_ORPHANS, "true").toJobParameters());
		StepContribution contribution = step.createStepContribution();
		scan.beforeStep(step);

		RepeatStatus first;
		try {
			first = scan.execute(contribution, null);
			created.forEach((id) -> this.jdbc.sql("INSERT INTO inventory (product_id, stock) VALUES (:id, 5)")
				.param("id", id)
				.update());
			while (scan.execute(contribution, null) == RepeatStatus.CONTINUABLE) {
				// the rest of the keyspace
			}
		}
		finally {
			// ends the walk over the keys, as the step does
			scan.afterStep(step);
		}

		assertThat(first).isEqualTo(RepeatStatus.CONTINUABLE);
		assertThat(step.getExecutionContext().getString(VerifyStepsConfiguration.ORPHAN_CHECK))
			.as("more keys than products: it walked at once")
			.startsWith("walked: ")
			.endsWith(" products");
		long kept = created.stream().filter((id) -> "5".equals(this.redis.opsForValue().get(prefix + id))).count();
		long deletedAsOrphans = this.jdbc.sql("""
				SELECT count(*) FROM stockrecon_drift_audit
				WHERE kind = 'orphan' AND action = 'deleted' AND product_id BETWEEN 1001 AND 1050
				""").query(Long.class).single();
		assertThat(kept).as("counters of products created during the scan").isPositive();
		assertThat(deletedAsOrphans).as("seen before their product existed").isEqualTo(created.size() - kept);
	}

	/**
	 * The walk over the counter keys runs on a thread of its own: when it cannot reach
	 * Redis, the orphan scan fails with Redis's own failure (the exit code says Redis)
	 * instead of waiting for pages that never come.
	 */
	@Test
	@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
	void shouldFailTheOrphanScanWithRedisUnreachableWhenItsWalkCannotReachRedis() throws Exception {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		LettuceConnectionFactory nowhere = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration("127.0.0.1", closedPort),
				LettuceClientConfiguration.builder().commandTimeout(Duration.ofSeconds(2)).build());
		nowhere.afterPropertiesSet();
		nowhere.start();
		RedisStockCounters unreachable = new RedisStockCounters(nowhere, this.properties.redis()) {

			// the count that decides to walk, as if Redis had answered it: the walk fails
			@Override
			public long keysWhereCountersLive() {
				return Long.MAX_VALUE;
			}

		};
		OrphanCounterScan scan = new OrphanCounterScan(this.jdbc, this.dataSource, this.shopMapping, unreachable,
				this.jobRepository, VerifyStepsConfiguration.ORPHAN_SCAN_PAGE);
		StepExecution step = MetaDataInstanceFactory.createStepExecution();
		scan.beforeStep(step);
		try {
			assertThatExceptionOfType(RedisConnectionFailureException.class)
				.isThrownBy(() -> scan.execute(step.createStepContribution(), null));
		}
		finally {
			scan.afterStep(step);
			unreachable.destroy();
			nowhere.destroy();
		}
	}

	private List<String> auditRows(JobExecution execution) {
		return this.jdbc.sql("""
				SELECT product_id, kind, redis_before, postgres_value, redis_after, action
				FROM stockrecon_drift_audit WHERE job_execution_id = :id
				""")
			.param("id", execution.getId())
			.query((rs, row) -> "%s %s %s %s %s %s".formatted(rs.getObject(1), rs.getString(2), rs.getString(3),
					rs.getObject(4), rs.getString(5), rs.getString(6)))
			.list();
	}

	private static List<String> stepNames(JobExecution execution) {
		return execution.getStepExecutions()
			.stream()
			.sorted(Comparator.comparing(StepExecution::getId))
			.map(StepExecution::getStepName)
			.toList();
	}

	private JobExecution verify(VerifyMode mode) {
		return ((LaunchOutcome.Ran) this.launcher.verify(mode)).execution();
	}

	private record RepairAtHand(DriftRepairWriter writer, StepExecution step) {

	}

}
