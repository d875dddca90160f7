package io.stockrecon.reliability;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.stockrecon.cli.ExitCode;
import io.stockrecon.support.DirectStores;
import io.stockrecon.support.PrivateRedisServer;
import io.stockrecon.support.RequiresStores;
import io.stockrecon.support.ShopData;
import io.stockrecon.support.StockreconJar;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The PostgreSQL and Redis passwords, given as {@code SPRING_DATASOURCE_PASSWORD} and
 * {@code SPRING_DATA_REDIS_PASSWORD}, never appear in what the jar prints (with and
 * without {@code --debug}, on success and on failure) nor anywhere in the database: job
 * parameters, execution contexts, exit messages, audit tables. The PostgreSQL role is one
 * of the test's own with a password (the test server trusts local connections, so it is
 * not checked, but it is handed over all the same); Redis is a private
 * {@code redis-server --requirepass}, which does check it.
 */
@ExtendWith(RequiresStores.class)
@Tag("reliability")
class CredentialsNeverLeakIntegrationTests {

	static final String SUFFIX = UUID.randomUUID().toString().replace("-", "").substring(0, 12);

	static final String ROLE = "stockrecon_secret_" + SUFFIX;

	static final String PG_PASSWORD = "Pg-Pass-" + SUFFIX + "-x9Q";

	static final String REDIS_PASSWORD = "Redis-Pass-" + SUFFIX + "-k7W";

	static final String WRONG_REDIS_PASSWORD = "Wrong-Redis-" + SUFFIX + "-z3R";

	static PrivateRedisServer redis;

	static DirectStores stores;

	static StockreconJar jar;

	static ReliabilityFigures.Tally tally = ReliabilityFigures.tally("CredentialsNeverLeak");

	@BeforeAll
	static void storesWithPasswords() throws SQLException {
		Assumptions.assumeTrue(PrivateRedisServer.available(), "redis-server is not on the PATH");
		redis = PrivateRedisServer.start(REDIS_PASSWORD);
		stores = DirectStores.fresh(redis);
		String databaseName = databaseName();
		try (Connection admin = admin(); Statement statement = admin.createStatement()) {
			// names and password are this test's own constants, never data
			statement.execute("CREATE ROLE " + ROLE + " LOGIN PASSWORD '" + PG_PASSWORD + "'");
			statement.execute("ALTER DATABASE " + databaseName + " OWNER TO " + ROLE);
		}
		jar = stores.jar()
			.env("SPRING_DATASOURCE_USERNAME", ROLE)
			.env("SPRING_DATASOURCE_PASSWORD", PG_PASSWORD)
			.env("SPRING_DATA_REDIS_PASSWORD", REDIS_PASSWORD)
			.with("--stockrecon.verify.settle-interval=200ms");
	}

	@AfterAll
	static void dropRole() throws SQLException {
		tally.print();
		if (stores == null) {
			return;
		}
		try (Connection owner = DriverManager.getConnection(stores.database().url(), stores.database().username(),
				stores.database().password()); Statement statement = owner.createStatement()) {
			statement.execute("REASSIGN OWNED BY " + ROLE + " TO " + stores.database().username());
			statement.execute("DROP OWNED BY " + ROLE);
		}
		try (Connection admin = admin(); Statement statement = admin.createStatement()) {
			statement.execute("DROP ROLE IF EXISTS " + ROLE);
		}
		stores.close();
		redis.close();
	}

	@Test
	void shouldKeepBothPasswordsOutOfTheOutputAndTheDatabase() throws SQLException {
		List<StockreconJar.Finished> launches = new ArrayList<>();
		launches.add(expect(ExitCode.COMPLETED, jar.run("run", "--run-date=2000-01-01")));
		ShopData.generate(stores.jdbc(), stores.redis(), stores.keyPrefix(), 200, 2_000);
		stores.redis().opsForValue().set(stores.keyPrefix() + "1", "lots");
		launches.add(expect(ExitCode.COMPLETED, jar.run("run", "--run-date=2026-12-01", "--debug")));
		launches.add(expect(ExitCode.COMPLETED, jar.run("verify", "--debug")));
		// failures print their causes: still no password
		launches.add(expect(ExitCode.USAGE,
				jar.run("run", "--debug", "--spring.data.redis.password=" + WRONG_REDIS_PASSWORD)));
		launches.add(expect(ExitCode.USAGE,
				jar.run("run", "--debug", "--spring.datasource.url=jdbc:postgresql://127.0.0.1:1/" + databaseName())));
		tally.faults(2);

		for (StockreconJar.Finished launch : launches) {
			assertThat(launch.output()).doesNotContain(PG_PASSWORD, REDIS_PASSWORD, WRONG_REDIS_PASSWORD);
		}
		assertThat(launches.get(3).output()).contains("Redis could not be reached");
		assertThat(launches.get(4).output()).contains("PostgreSQL could not be reached");
		List<String> tables = stores.jdbc().sql("""
				SELECT table_name FROM information_schema.tables
				WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
				""").query(String.class).list();
		assertThat(tables).contains("batch_job_execution_params", "batch_job_execution_context",
				"batch_step_execution_context", "stockrecon_drift_audit");
		for (String table : tables) {
			for (String secret : List.of(PG_PASSWORD, REDIS_PASSWORD, WRONG_REDIS_PASSWORD)) {
				assertThat(stores.jdbc()
					// the table name comes from the catalog, the secret is a parameter
					.sql("SELECT count(*) FROM " + table + " t WHERE strpos(t::text, :secret) > 0")
					.param("secret", secret)
					.query(Long.class)
					.single()).as("rows of %s holding a password", table).isZero();
			}
		}
		tally.scenario();
		Conservation.Result result = tally.checked(Conservation.check(stores));
		assertThat(result.violations()).as(result.describe()).isEmpty();
	}

	private static StockreconJar.Finished expect(int exitCode, StockreconJar.Finished launch) {
		assertThat(launch.exitCode()).as(launch.output()).isEqualTo(exitCode);
		return launch;
	}

	private static String databaseName() {
		String url = stores.database().url();
		return url.substring(url.lastIndexOf('/') + 1);
	}

	private static Connection admin() throws SQLException {
		String url = stores.database().url();
		return DriverManager.getConnection(url.substring(0, url.lastIndexOf('/') + 1) + "postgres",
				stores.database().username(), stores.database().password());
	}

}
