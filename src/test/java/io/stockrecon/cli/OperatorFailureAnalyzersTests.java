package io.stockrecon.cli;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalysisReporter;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.ArgumentResolver;
import org.springframework.data.redis.RedisConnectionFailureException;

import io.stockrecon.shop.ShopMappingFailureAnalyzer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A failed start explained as one paragraph that says what to fix, by analyzers Boot
 * finds in {@code META-INF/spring.factories}.
 */
class OperatorFailureAnalyzersTests {

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			28P01 | PostgreSQL refused the credentials | SPRING_DATASOURCE_USERNAME and SPRING_DATASOURCE_PASSWORD
			28000 | PostgreSQL refused the credentials | SPRING_DATASOURCE_USERNAME and SPRING_DATASOURCE_PASSWORD
			3D000 | The database does not exist        | the database name in SPRING_DATASOURCE_URL
			08001 | PostgreSQL could not be reached     | SPRING_DATASOURCE_URL
			42P01 | stockrecon's tables are missing    | Run 'stockrecon run' once
			""")
	void shouldExplainWhatPostgresRefusedAndWhatToFix(String state, String description, String action) {
		Throwable failure = new BeanCreationException("dataSource",
				new SQLException("FATAL: something\n  detail on a second line", state));

		String paragraph = OperatorErrors.explain(failure);

		assertThat(paragraph).startsWith(description)
			.contains(action)
			.contains("FATAL: something")
			.doesNotContain("\n");
	}

	@Test
	void shouldExplainARedisThatCannotBeReached() {
		Throwable failure = new IllegalStateException("Failed to execute ApplicationRunner",
				new RedisConnectionFailureException("Unable to connect to Redis",
						new ConnectException("Connection refused: localhost/127.0.0.1:1")));

		assertThat(OperatorErrors.explain(failure)).startsWith("Redis could not be reached (Connection refused")
			.contains("SPRING_DATA_REDIS_HOST");
	}

	@Test
	void shouldExplainAnyServiceThatCannotBeReached() {
		assertThat(OperatorErrors.explain(new IllegalStateException(new UnknownHostException("rabbit.internal"))))
			.startsWith("A service could not be reached (rabbit.internal)");
	}

	@Test
	void shouldLeaveOtherFailuresToBoot() {
		assertThat(OperatorErrors.explain(new IllegalStateException("a bean is missing"))).isNull();
		assertThat(OperatorErrors.describe(new IllegalStateException("step failed", new RuntimeException("boom"))))
			.isEqualTo("step failed (cause: boom)");
	}

	@Test
	void shouldBeFoundByBootAheadOfItsOwnAnalyzers() {
		SpringFactoriesLoader factories = SpringFactoriesLoader.forDefaultResourceLocation();
		List<FailureAnalyzer> analyzers = factories.load(FailureAnalyzer.class,
				ArgumentResolver.of(Environment.class, new StandardEnvironment())
					.and(BeanFactory.class, new DefaultListableBeanFactory()),
				(type, name, failure) -> {
					// Boot's analyzers of what this application lacks (web, for one)
				});

		assertThat(analyzers.subList(0, 4)).map(Object::getClass)
			.containsExactlyInAnyOrder(ShopMappingFailureAnalyzer.class, PostgresFailureAnalyzer.class,
					RedisUnreachableFailureAnalyzer.class, ServiceUnreachableFailureAnalyzer.class);
		assertThat(factories.load(FailureAnalysisReporter.class))
			.hasAtLeastOneElementOfType(StartupFailureReport.class);
	}

	@Test
	void shouldHandTheAnalysisToTheCommandLineOnce() {
		new StartupFailureReport().report(new FailureAnalysis("Redis could not be reached (refused).",
				"Check SPRING_DATA_REDIS_HOST.", new RuntimeException()));

		assertThat(StartupFailureReport.take())
			.isEqualTo("Redis could not be reached (refused). Check SPRING_DATA_REDIS_HOST.");
		assertThat(StartupFailureReport.take()).isNull();
	}

}
