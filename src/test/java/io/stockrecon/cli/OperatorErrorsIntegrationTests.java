package io.stockrecon.cli;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.stockrecon.support.RequiresStores;
import io.stockrecon.support.TestStores;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Operator errors through the real command line: one readable paragraph and an exit code,
 * fast, with no stack trace.
 */
@ExtendWith(RequiresStores.class)
class OperatorErrorsIntegrationTests {

	static TestStores.TestDatabase database;

	static String keyPrefix;

	@BeforeAll
	static void database() {
		database = TestStores.newDatabase();
		keyPrefix = TestStores.newKeyPrefix();
	}

	@Test
	void shouldFailWithinSecondsWhenTheDatabaseIsUnreachable() {
		Instant start = Instant.now();
		CommandLineRun result = CommandLineRun.of("run",
				"--spring.datasource.url=jdbc:postgresql://127.0.0.1:1/nowhere");

		assertThat(result.exit()).isEqualTo(ExitCode.USAGE);
		assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(30));
		assertThat(result.err()).contains("PostgreSQL could not be reached").doesNotContain("\tat ");
	}

	@Test
	void shouldNameBadCredentials() {
		CommandLineRun result = CommandLineRun.of("run", "--spring.datasource.url=" + database.url(),
				"--spring.datasource.username=no_such_role_here");

		assertThat(result.exit()).isEqualTo(ExitCode.USAGE);
		assertThat(result.err()).contains("SPRING_DATASOURCE_USERNAME").doesNotContain("\tat ");
	}

	@Test
	void shouldRefuseARestartWhenNothingFailed() {
		CommandLineRun result = CommandLineRun.of("restart", "--spring.datasource.url=" + database.url(),
				"--spring.datasource.username=" + database.username(),
				"--spring.data.redis.host=" + TestStores.redisHost(),
				"--spring.data.redis.port=" + TestStores.redisPort(), "--stockrecon.redis.key-prefix=" + keyPrefix);

		assertThat(result.exit()).as(result.err()).isEqualTo(ExitCode.REFUSED);
		assertThat(result.out()).contains("nothing to restart");
	}

	@Test
	void shouldExplainARedisThatIsDownAsAFailedStart() {
		CommandLineRun result = CommandLineRun.of("run", "--run-date=2001-02-03",
				"--spring.datasource.url=" + database.url(), "--spring.datasource.username=" + database.username(),
				"--spring.data.redis.host=127.0.0.1", "--spring.data.redis.port=1",
				"--stockrecon.redis.key-prefix=" + keyPrefix);

		assertThat(result.exit()).isEqualTo(ExitCode.USAGE);
		assertThat(result.err()).startsWith("Redis could not be reached")
			.contains("SPRING_DATA_REDIS_HOST")
			.doesNotContain("\tat ");
	}

	@Test
	void shouldAnswerARunOfACompletedDateFromTheJobRepositoryAlone() {
		CommandLineRun first = CommandLineRun.of("run", "--run-date=2001-02-04",
				"--spring.datasource.url=" + database.url(), "--spring.datasource.username=" + database.username(),
				"--spring.data.redis.host=" + TestStores.redisHost(),
				"--spring.data.redis.port=" + TestStores.redisPort(), "--stockrecon.redis.key-prefix=" + keyPrefix);

		// the second launch never starts the job, so it never notices that Redis is down
		CommandLineRun again = CommandLineRun.of("run", "--run-date=2001-02-04",
				"--spring.datasource.url=" + database.url(), "--spring.datasource.username=" + database.username(),
				"--spring.data.redis.port=1", "--stockrecon.redis.key-prefix=" + keyPrefix);

		assertThat(first.exit()).as(first.err()).isEqualTo(ExitCode.COMPLETED);
		assertThat(again.exit()).as(again.err()).isEqualTo(ExitCode.COMPLETED);
		assertThat(again.out()).startsWith("Nothing to do: this run date completed in execution");
	}

	@Test
	void shouldSayThatTheTablesAreMissingWhenNothingEverRanThere() {
		TestStores.TestDatabase empty = TestStores.newDatabase();

		CommandLineRun result = CommandLineRun.of("history", "--spring.datasource.url=" + empty.url(),
				"--spring.datasource.username=" + empty.username());

		assertThat(result.exit()).isEqualTo(ExitCode.USAGE);
		assertThat(result.err()).startsWith("stockrecon's tables are missing").doesNotContain("\tat ");
	}

}
