package io.stockrecon.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.stockrecon.cli.CommandLine;
import io.stockrecon.cli.Commands;
import io.stockrecon.stock.RedisStockCounters;

/**
 * {@code demo}: zero setup. Starts embedded PostgreSQL and Redis, seeds a small shop with
 * a day of trouble, runs the nightly job, prints its report, and stops both stores.
 */
public final class DemoCommand {

	private DemoCommand() {
	}

	public static int run(Class<?> application, CommandLine commandLine, List<String> quietLogging, PrintStream out) {
		out.println("Starting an embedded PostgreSQL 15 and Redis 7 ...");
		if (!commandLine.debug()) {
			// the embedded PostgreSQL narrates its start-up before Spring has configured
			// logging
			((Logger) LoggerFactory.getLogger("io.zonky")).setLevel(Level.WARN);
		}
		try (EmbeddedStores stores = EmbeddedStores.start()) {
			List<String> arguments = new ArrayList<>(stores.springArguments());
			arguments.addAll(quietLogging);
			arguments.add("--stockrecon.verify.settle-interval=500ms");
			try (ConfigurableApplicationContext context = new SpringApplicationBuilder(application)
				.run(arguments.toArray(String[]::new))) {
				DemoShop.seed(context.getBean(JdbcClient.class), context.getBean(StringRedisTemplate.class),
						context.getBean(RedisStockCounters.class).keys());
				DemoShop.story().forEach(out::println);
				out.println();
				out.println("$ stockrecon run");
				Commands commands = Commands.of(context, out);
				int exitCode = commands.execute(CommandLine.parse("run"));
				out.println();
				out.println("$ stockrecon report 1");
				commands.execute(CommandLine.parse("report", "1"));
				out.println();
				out.println("Run it again: nothing is restored twice.");
				out.println("$ stockrecon run --force");
				commands.execute(CommandLine.parse("run", "--force"));
				out.println();
				out.println(
						"Stopping the embedded stores. Next: ./mvnw -B verify runs the tests; README.md has the rest.");
				return exitCode;
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("The embedded stores could not start or stop: " + ex.getMessage(), ex);
		}
	}

}
