package io.stockrecon.demo;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.stockrecon.StockreconApplication;
import io.stockrecon.cli.ExitCode;
import io.stockrecon.cli.StockreconCli;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's first command works with no service at all: embedded PostgreSQL and Redis,
 * a seeded shop, the nightly job, its report, and a second run that restores nothing.
 */
class DemoIntegrationTests {

	@Test
	void shouldRunTheNightlyJobOnEmbeddedStoresAndReportIt() {
		ByteArrayOutputStream out = new ByteArrayOutputStream();

		int exit = StockreconCli.run(StockreconApplication.class,
				new String[] { "demo", "--spring.datasource.url=jdbc:postgresql://127.0.0.1:1/ignored" },
				new PrintStream(out, true, StandardCharsets.UTF_8), System.err);

		String output = out.toString(StandardCharsets.UTF_8);
		assertThat(exit).as(output).isEqualTo(ExitCode.COMPLETED);
		assertThat(output).contains("restored: 10 orders, 39 units")
			.contains("order 22, product 9999, quantity 2: unknown-product")
			.contains("stock:4 (product 4): redis-higher, Redis 97, PostgreSQL 92, now 92: repaired")
			.contains("stock:999 (product 999): orphan")
			.contains("restored: 0 orders, 0 units");
	}

}
