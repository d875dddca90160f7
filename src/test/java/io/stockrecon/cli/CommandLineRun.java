package io.stockrecon.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import io.stockrecon.StockreconApplication;

/**
 * One run of the command line inside the test's JVM, as an operator types it: its exit
 * code and what it printed on standard output and on standard error.
 *
 * @param exit the exit code
 * @param out what it printed on standard output
 * @param err what it printed on standard error
 */
record CommandLineRun(int exit, String out, String err) {

	/** Runs {@code stockrecon <args>} to its end. */
	static CommandLineRun of(String... args) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int exit = StockreconCli.run(StockreconApplication.class, args,
				new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
		return new CommandLineRun(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}

}
