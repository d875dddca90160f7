package io.stockrecon.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;

import org.junit.jupiter.api.Test;

import io.stockrecon.StockreconApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandLineTests {

	@Test
	void shouldParseRunWithItsOptionsAndHandSettingsToSpring() {
		CommandLine line = CommandLine.parse("run", "--run-date=2026-11-24", "--full-scan",
				"--stockrecon.restore.chunk-size=10");

		assertThat(line.command()).isEqualTo("run");
		assertThat(line.date("run-date", LocalDate.EPOCH)).isEqualTo(LocalDate.of(2026, 11, 24));
		assertThat(line.has("full-scan")).isTrue();
		assertThat(line.has("force")).isFalse();
		assertThat(line.springArguments()).containsExactly("--stockrecon.restore.chunk-size=10");
	}

	@Test
	void shouldRejectUnknownCommandsAndOptionsWithTheUsage() {
		assertThatThrownBy(() -> CommandLine.parse("frobnicate")).isInstanceOf(UsageException.class)
			.hasMessageContaining("Unknown command 'frobnicate'")
			.hasMessageContaining("Usage:");
		assertThatThrownBy(() -> CommandLine.parse("run", "--rundate=2026-01-01")).isInstanceOf(UsageException.class)
			.hasMessageContaining("Unknown option '--rundate'");
		assertThatThrownBy(() -> CommandLine.parse("restart", "--full-scan")).isInstanceOf(UsageException.class);
		assertThatThrownBy(() -> CommandLine.parse("run", "extra")).isInstanceOf(UsageException.class);
		assertThatThrownBy(() -> CommandLine.parse("run", "--force=yes")).isInstanceOf(UsageException.class)
			.hasMessageContaining("takes no value");
		assertThatThrownBy(() -> CommandLine.parse("run", "--run-date")).isInstanceOf(UsageException.class)
			.hasMessageContaining("needs a value");
		assertThatThrownBy(CommandLine::parse).isInstanceOf(UsageException.class).hasMessageContaining("No command");
	}

	@Test
	void shouldExplainABadDate() {
		CommandLine line = CommandLine.parse("run", "--run-date=2026-13-40");

		assertThatThrownBy(() -> line.date("run-date", LocalDate.EPOCH)).isInstanceOf(UsageException.class)
			.hasMessageContaining("YYYY-MM-DD");
	}

	@Test
	void shouldExitTwoWithOneParagraphForUsageErrorsBeforeConnectingAnywhere() {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();

		int exit = StockreconCli.run(StockreconApplication.class, new String[] { "run", "--colour=blue" },
				new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

		assertThat(exit).isEqualTo(ExitCode.USAGE);
		assertThat(err.toString(StandardCharsets.UTF_8)).contains("Unknown option '--colour'").doesNotContain("\tat ");
	}

	@Test
	void shouldPrintHelpAndExitZero() {
		ByteArrayOutputStream out = new ByteArrayOutputStream();

		int exit = StockreconCli.run(StockreconApplication.class, new String[] { "help" },
				new PrintStream(out, true, StandardCharsets.UTF_8), System.err);

		assertThat(exit).isZero();
		assertThat(out.toString(StandardCharsets.UTF_8)).contains("Exit codes");
	}

}
