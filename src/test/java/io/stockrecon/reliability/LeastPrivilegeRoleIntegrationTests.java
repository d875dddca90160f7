package io.stockrecon.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.stockrecon.cli.ExitCode;
import io.stockrecon.restore.RestoreStepsConfiguration;
import io.stockrecon.support.DirectStores;
import io.stockrecon.support.PrivateRedisServer;
import io.stockrecon.support.RequiresStores;
import io.stockrecon.support.ShopData;
import io.stockrecon.support.StockreconJar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code jobs/least-privilege-role.sql} gives the job all it needs and no DDL: the
 * migrations are applied once by the owner, the script is applied, and then {@code run},
 * a {@code restart} after {@code kill -9}, {@code verify} and {@code prune} (its
 * temporary table) all work as that role, with exact results, while the role cannot
 * create, alter, drop or truncate anything. Roles are global to the server, so the test
 * applies the script under a name of its own and drops that role at the end.
 */
@ExtendWith(RequiresStores.class)
@Tag("reliability")
class LeastPrivilegeRoleIntegrationTests {

	static final Path SCRIPT = Path.of("jobs", "least-privilege-role.sql");

	static final String ROLE = "stockrecon_job_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

	static PrivateRedisServer redis;

	static DirectStores stores;

	static StockreconJar jar;

	static ReliabilityFigures.Tally tally = ReliabilityFigures.tally("LeastPrivilegeRole");

	@BeforeAll
	static void migrateAsOwnerThenApplyTheScript() throws IOException, SQLException {
		// a Redis of its own: the orphan scan walks the whole key space
		Assumptions.assumeTrue(PrivateRedisServer.available(), "redis-server is not on the PATH");
		redis = PrivateRedisServer.start();
		stores = DirectStores.fresh(redis);
		StockreconJar.Finished migrate = stores.jar().run("run", "--run-date=2000-01-01");
		assertThat(migrate.exitCode()).as(migrate.output()).isEqualTo(ExitCode.COMPLETED);
		String script = Files.readString(SCRIPT).replace("stockrecon_job", ROLE);
		try (Connection owner = owner(); Statement statement = owner.createStatement()) {
			statement.execute(script);
		}
		ShopData.generate(stores.jdbc(), stores.redis(), stores.keyPrefix(), 500, 5_000);
		jar = stores.jar()
			.env("SPRING_DATASOURCE_USERNAME", ROLE)
			.with("--stockrecon.restore.chunk-size=20", "--stockrecon.verify.settle-interval=200ms");
	}

	@AfterAll
	static void dropRole() throws SQLException {
		tally.print();
		if (stores == null) {
			return;
		}
		try (Connection owner = owner(); Statement statement = owner.createStatement()) {
			// its privileges here, on the database among them, go first
			statement.execute("DROP OWNED BY " + ROLE);
		}
		String url = stores.database().url();
		try (Connection admin = DriverManager.getConnection(url.substring(0, url.lastIndexOf('/') + 1) + "postgres",
				stores.database().username(), stores.database().password());
				Statement statement = admin.createStatement()) {
			statement.execute("DROP ROLE IF EXISTS " + ROLE);
		}
		stores.close();
		redis.close();
	}

	@Test
	void shouldRunRestartAndVerifyAsTheLeastPrivilegedRole() {
		JobWatch watch = new JobWatch(stores.database());
		try (watch) {
			long before = watch.latestExecution();
			StockreconJar.Launch killed = jar.start("run", "--run-date=2026-12-01");
			assertThat(watch.awaitStep(killed, before, RestoreStepsConfiguration.CANCELLED_STEP, (done) -> done >= 3,
					Duration.ofMinutes(2)))
				.as(killed.outputText())
				.isTrue();
			killed.kill();
			tally.fault();
		}
		StockreconJar.Finished restart = jar.run("restart");
		stores.redis().opsForValue().set(stores.keyPrefix() + "7", "-1");
		StockreconJar.Finished verify = jar.run("verify");
		StockreconJar.Finished prune = jar.run("prune", "--older-than=3650d");

		assertThat(restart.exitCode()).as(restart.output()).isEqualTo(ExitCode.COMPLETED);
		assertThat(restart.output()).contains("run date 2026-12-01");
		assertThat(verify.exitCode()).as(verify.output()).isEqualTo(ExitCode.COMPLETED);
		assertThat(verify.output()).contains("1 repaired");
		assertThat(prune.exitCode()).as(prune.output()).isEqualTo(ExitCode.COMPLETED);
		tally.scenario();
		Conservation.Result result = tally.checked(Conservation.check(stores));
		assertThat(result.violations()).as(result.describe()).isEmpty();
	}

	@Test
	void shouldRefuseAChangedMappingThatOnlyTheOwnerCanInstall() {
		StockreconJar.Finished refused = jar.run("verify", "--dry-run",
				"--stockrecon.shop.orders.cancelled-statuses=cancelled,canceled");

		assertThat(refused.exitCode()).as(refused.output()).isEqualTo(ExitCode.USAGE);
		assertThat(refused.output()).contains("The capture triggers must change for this mapping")
			.contains("Start stockrecon once as the owner of the shop's tables");
		assertThat(refused.output().strip().lines()).hasSize(1);
		assertThat(stores.jdbc().sql("SELECT ddl FROM stockrecon_shop_mapping").query(String.class).single())
			.doesNotContain("canceled");
	}

	@Test
	void shouldGiveTheRoleNoDdlAtAll() throws SQLException {
		try (Connection job = DriverManager.getConnection(stores.database().url(), ROLE, "");
				Statement statement = job.createStatement()) {
			for (String ddl : new String[] { "CREATE TABLE stockrecon_extra (id int)", "DROP TABLE inventory",
					"TRUNCATE stockrecon_drift_audit", "ALTER TABLE orders ADD COLUMN extra int",
					"CREATE INDEX extra_idx ON orders (status)",
					"INSERT INTO stockrecon_schema_history "
							+ "(installed_rank, description, type, script, installed_by, execution_time, success) "
							+ "VALUES (99, 'x', 'SQL', 'x', 'x', 0, true)" }) {
				assertThatExceptionOfType(SQLException.class).as(ddl)
					.isThrownBy(() -> statement.execute(ddl))
					.satisfies((ex) -> assertThat(ex.getSQLState()).as(ex.getMessage()).isIn("42501"));
			}
		}
	}

	private static Connection owner() throws SQLException {
		return DriverManager.getConnection(stores.database().url(), stores.database().username(),
				stores.database().password());
	}

}
