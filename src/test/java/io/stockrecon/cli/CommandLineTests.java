package io.stockrecon.cli;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import io.stockrecon.StockreconApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command line as an operator meets it: generated usage, suggestions, exit codes, and
 * settings passed through to Spring Boot. None of these tests connects anywhere: a
 * command line that does not parse never starts the application.
 */
class CommandLineTests {

	@ParameterizedTest
	@ValueSource(strings = { "run", "restart", "verify", "history", "report", "prune", "demo", "worker" })
	void shouldPrintTheUsageOfEveryCommandWithHelp(String command) {
		CommandLineRun help = CommandLineRun.of(command, "--help");
		CommandLineRun helpCommand = CommandLineRun.of("help", command);

		assertThat(help.exit()).isZero();
		assertThat(help.out()).contains("Usage: stockrecon " + command).contains("--debug").contains("--help");
		assertThat(helpCommand.exit()).isZero();
		assertThat(helpCommand.out()).isEqualTo(help.out());
	}

	@Test
	void shouldPrintTheCommandsAndExitCodesWithHelp() {
		for (String[] help : List.of(new String[] { "help" }, new String[] { "--help" }, new String[] { "-h" })) {
			CommandLineRun result = CommandLineRun.of(help);

			assertThat(result.exit()).isZero();
			assertThat(result.out()).contains("Commands:")
				.contains("run", "restart", "verify", "history", "report", "prune", "demo", "worker")
				.contains("Exit codes:")
				.contains("--stockrecon.*=...");
		}
	}

	@Test
	void shouldDocumentTheScaleOptionsOnlyWhereTheyApply() {
		assertThat(CommandLineRun.of("run", "--help").out()).contains("--partitions=N", "--threads=N", "--remote",
				"--run-date");
		assertThat(CommandLineRun.of("verify", "--help").out()).contains("--partitions=N", "--dry-run",
				"--fail-on-drift");
		assertThat(CommandLineRun.of("history", "--help").out()).doesNotContain("--partitions").contains("--limit=N");
	}

	@Test
	void shouldSuggestTheCommandMeantWhenOneIsMistyped() {
		CommandLineRun result = CommandLineRun.of("histroy");

		assertThat(result.exit()).isEqualTo(ExitCode.USAGE);
		assertThat(result.err()).contains("Unmatched argument", "'histroy'", "Did you mean", "history");
	}

	@Test
	void shouldSuggestTheOptionMeantWhenOneIsMistyped() {
		CommandLineRun result = CommandLineRun.of("run", "--rundate=2026-01-01");

		assertThat(result.exit()).isEqualTo(ExitCode.USAGE);
		assertThat(result.err()).contains("Unknown option: '--rundate=2026-01-01'").contains("--run-date");
	}

	@Test
	void shouldExitTwoWithOneParagraphForUsageErrorsBeforeConnectingAnywhere() {
		// every launch below would try to connect to this, and fail slowly, if it started
		String nowhere = "--spring.datasource.url=jdbc:postgresql://192.0.2.1:5432/nowhere";
		List<String[]> wrong = List.of(new String[] { "run", "--colour=blue", nowhere },
				new String[] { "restart", "--full-scan", nowhere }, new String[] { "run", "extra", nowhere },
				new String[] { "run", "--run-date", nowhere }, new String[] { "history", "--limit=0", nowhere },
				new String[] { "report", nowhere }, new String[] { "report", "latest", nowhere },
				new String[] { "prune", nowhere }, new String[] { "prune", "--older-than=soon", nowhere },
				new String[] { nowhere }, new String[] {});
		for (String[] args : wrong) {
			CommandLineRun result = CommandLineRun.of(args);

			assertThat(result.exit()).as(String.join(" ", args)).isEqualTo(ExitCode.USAGE);
			assertThat(result.err()).as(String.join(" ", args)).isNotBlank().doesNotContain("\tat ");
		}
	}

	@Test
	void shouldSayHowToWriteABadValue() {
		assertThat(CommandLineRun.of("run", "--run-date=2026-13-40").err()).contains("'2026-13-40' is not a date")
			.contains("YYYY-MM-DD");
		assertThat(CommandLineRun.of("history", "--limit=zero").err()).contains("not a whole number of at least 1");
		assertThat(CommandLineRun.of("prune", "--older-than=soon").err()).contains("90d, 12h, 30m or P30D");
		assertThat(CommandLineRun.of("report", "latest").err()).contains("'latest' is not an execution id");
		assertThat(CommandLineRun.of("prune").err()).contains("Missing required option: '--older-than=<duration>'");
	}

	@Test
	void shouldRefuseFailOnDriftWithoutADryRunBeforeConnecting() {
		CommandLineRun result = CommandLineRun.of("verify", "--fail-on-drift",
				"--spring.datasource.url=jdbc:postgresql://192.0.2.1:5432/nowhere");

		assertThat(result.exit()).isEqualTo(ExitCode.USAGE);
		assertThat(result.err()).contains("--fail-on-drift goes with --dry-run");
	}

	@Test
	void shouldPassEveryConfigurationOverrideThroughToSpringUntouched() {
		ConfigurationOverrides line = ConfigurationOverrides.split("run", "--run-date=2026-11-24",
				"--stockrecon.shop.orders.table=order", "--stockrecon.restore.on-cancel=restore",
				"--stockrecon.redis.key-template=stock:{id}", "--spring.datasource.url=jdbc:postgresql://db/shop",
				"--logging.level.io.stockrecon=DEBUG", "--management.otlp.metrics.export.enabled=true", "--force");

		assertThat(line.commandArguments()).containsExactly("run", "--run-date=2026-11-24", "--force");
		assertThat(line.springArguments()).containsExactly("--stockrecon.shop.orders.table=order",
				"--stockrecon.restore.on-cancel=restore", "--stockrecon.redis.key-template=stock:{id}",
				"--spring.datasource.url=jdbc:postgresql://db/shop", "--logging.level.io.stockrecon=DEBUG",
				"--management.otlp.metrics.export.enabled=true");
	}

	@Test
	void shouldHandTheScaleOptionsToSpringAndLetAnOverrideWin() {
		ScaleOptions scale = new ScaleOptions();
		scale.partitions = 4;
		scale.threads = 2;
		scale.remote = true;
		CommonOptions quiet = new CommonOptions();
		Startup startup = new Startup(StockreconApplication.class,
				List.of("--stockrecon.scale.threads=3", "--logging.level.com.zaxxer.hikari=DEBUG"), System.out);

		List<String> arguments = startup.arguments(quiet, scale.settings());

		assertThat(arguments)
			.contains("--stockrecon.scale.partitions=4", "--stockrecon.scale.remote=true",
					"--stockrecon.scale.threads=3", "--logging.level.com.zaxxer.hikari=DEBUG")
			.doesNotContain("--stockrecon.scale.threads=2", "--logging.level.com.zaxxer.hikari=OFF");
	}

	@Test
	void shouldSizeTheConnectionPoolForTheThreads() {
		assertThat(poolSize(null, null)).isNull();
		assertThat(poolSize("8", null)).isEqualTo("13");
		assertThat(poolSize("8", "4")).isEqualTo("13");
		assertThat(poolSize("8", "20")).isEqualTo("20");
		assertThat(poolSize("1", "4")).isEqualTo("4");
	}

	private static String poolSize(String threads, String configured) {
		StandardEnvironment environment = new StandardEnvironment();
		Map<String, Object> settings = new HashMap<>();
		if (threads != null) {
			settings.put("stockrecon.scale.threads", threads);
		}
		if (configured != null) {
			settings.put(ScalePoolSizing.POOL_SIZE, configured);
		}
		environment.getPropertySources().addLast(new MapPropertySource("test", settings));
		new ScalePoolSizing().postProcessEnvironment(environment, new SpringApplication());
		return environment.getProperty(ScalePoolSizing.POOL_SIZE);
	}

}
