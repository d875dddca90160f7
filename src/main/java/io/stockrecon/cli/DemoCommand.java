package io.stockrecon.cli;

import java.io.PrintStream;
import java.time.LocalDate;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import io.stockrecon.demo.EmbeddedDemo;

/**
 * {@code demo}: zero setup. Starts embedded PostgreSQL and Redis, seeds a small shop with
 * a day of trouble, runs the nightly job, prints its report, runs it again to show that
 * nothing is restored twice, and stops both stores. The stores ship in
 * {@code stockrecon-demo.jar}, not in the production jar.
 */
@Command(name = "demo", sortOptions = false,
		description = { "Run the nightly job on embedded PostgreSQL and Redis with a sample shop "
				+ "(java -jar target/stockrecon-demo.jar demo)." })
class DemoCommand implements Callable<Integer> {

	private final Startup startup;

	@Mixin
	CommonOptions common;

	DemoCommand(Startup startup) {
		this.startup = startup;
	}

	@Override
	public Integer call() {
		if (!EmbeddedDemo.available()) {
			throw new UsageException("This jar has no embedded stores: the demo is in stockrecon-demo.jar, "
					+ "as in: java -jar target/stockrecon-demo.jar demo");
		}
		PrintStream out = this.startup.out();
		out.println("Starting an embedded PostgreSQL 15 and Redis 7 ...");
		try (EmbeddedDemo demo = EmbeddedDemo.start(this.startup.application(),
				this.startup.loggingArguments(this.common), this.common.debug)) {
			demo.story().forEach(out::println);
			Commands commands = new Commands(demo.context(), out);
			out.println();
			out.println("$ stockrecon run");
			int exitCode = commands.run(LocalDate.now(), false, false);
			out.println();
			out.println("$ stockrecon report 1");
			commands.report(1, 20, false);
			out.println();
			out.println("Run it again: nothing is restored twice.");
			out.println("$ stockrecon run --force");
			commands.run(LocalDate.now(), false, true);
			out.println();
			out.println("Stopping the embedded stores. Next: ./mvnw -B verify runs the tests; README.md has the rest.");
			return exitCode;
		}
		catch (RuntimeException ex) {
			throw new IllegalStateException("The demo failed: " + OperatorErrors.describe(ex), ex);
		}
	}

}
