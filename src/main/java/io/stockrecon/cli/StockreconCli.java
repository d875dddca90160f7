package io.stockrecon.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;

import io.stockrecon.demo.DemoCommand;

/**
 * The process behind {@code java -jar stockrecon.jar}: parses the command line before
 * anything connects, starts the application, runs the command and maps every outcome to
 * an {@link ExitCode}. Operator errors come out as one paragraph; stack traces only with
 * {@code --debug}.
 */
public final class StockreconCli {

	private StockreconCli() {
	}

	public static int run(Class<?> application, String[] args, PrintStream out, PrintStream err) {
		CommandLine commandLine;
		try {
			commandLine = CommandLine.parse(args);
		}
		catch (UsageException ex) {
			err.println(ex.getMessage());
			return ExitCode.USAGE;
		}
		if (commandLine.command().equals("help")) {
			out.println(CommandLine.USAGE);
			return ExitCode.COMPLETED;
		}
		if (commandLine.command().equals("demo")) {
			return demo(application, commandLine, out, err);
		}
		if (commandLine.command().equals("worker")) {
			return worker(application, commandLine, out, err);
		}
		ConfigurableApplicationContext context;
		try {
			context = new SpringApplicationBuilder(application).run(springArguments(commandLine));
		}
		catch (RuntimeException ex) {
			String explained = OperatorErrors.explainStartup(ex);
			err.println((explained != null) ? explained : "stockrecon could not start: " + OperatorErrors.describe(ex)
					+ " Rerun with --debug for details.");
			if (commandLine.debug()) {
				ex.printStackTrace(err);
			}
			return ExitCode.USAGE;
		}
		try (context) {
			return Commands.of(context, out).execute(commandLine);
		}
		catch (UsageException ex) {
			err.println(ex.getMessage());
			return ExitCode.USAGE;
		}
		catch (RuntimeException ex) {
			String explained = OperatorErrors.explainStartup(ex);
			err.println((explained != null) ? explained : "stockrecon failed: " + OperatorErrors.describe(ex));
			if (commandLine.debug()) {
				ex.printStackTrace(err);
			}
			return (explained != null) ? ExitCode.USAGE : ExitCode.FAILED;
		}
	}

	/**
	 * Spring sees only the configuration overrides; without {@code --debug} the stack
	 * traces of Boot, Hikari and Batch stay quiet, because the paragraph or summary line
	 * replaces them.
	 */
	/**
	 * Runs partitions until the JVM is told to stop (SIGTERM, Ctrl-C): Spring's shutdown
	 * hook closes the context, which stops taking messages and lets the running partition
	 * end.
	 */
	private static int worker(Class<?> application, CommandLine commandLine, PrintStream out, PrintStream err) {
		CountDownLatch closed = new CountDownLatch(1);
		try {
			ConfigurableApplicationContext context = new SpringApplicationBuilder(application)
				.listeners((ApplicationListener<ContextClosedEvent>) (event) -> closed.countDown())
				.run(springArguments(commandLine));
			out.printf("Worker %d listening for partitions on queue '%s'.%n", ProcessHandle.current().pid(),
					context.getEnvironment().getProperty("stockrecon.scale.queue"));
			closed.await();
			return ExitCode.COMPLETED;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return ExitCode.COMPLETED;
		}
		catch (RuntimeException ex) {
			String explained = OperatorErrors.explainStartup(ex);
			err.println((explained != null) ? explained : "The worker could not start: " + OperatorErrors.describe(ex)
					+ " Rerun with --debug for details.");
			if (commandLine.debug()) {
				ex.printStackTrace(err);
			}
			return ExitCode.USAGE;
		}
	}

	private static int demo(Class<?> application, CommandLine commandLine, PrintStream out, PrintStream err) {
		try {
			return DemoCommand.run(application, commandLine, quietLogging(commandLine), out);
		}
		catch (RuntimeException ex) {
			err.println("The demo failed: " + OperatorErrors.describe(ex) + " Rerun with --debug for details.");
			if (commandLine.debug()) {
				ex.printStackTrace(err);
			}
			return ExitCode.FAILED;
		}
	}

	private static String[] springArguments(CommandLine commandLine) {
		List<String> arguments = new ArrayList<>(commandLine.springArguments());
		arguments.addAll(quietLogging(commandLine));
		return arguments.toArray(String[]::new);
	}

	private static List<String> quietLogging(CommandLine commandLine) {
		List<String> arguments = new ArrayList<>();
		if (!commandLine.debug()) {
			arguments.add("--logging.level.org.springframework.boot.SpringApplication=OFF");
			arguments.add("--logging.level.org.springframework.boot.diagnostics=OFF");
			arguments.add("--logging.level.com.zaxxer.hikari=OFF");
			// "cancelling refresh attempt": the paragraph says why
			arguments
				.add("--logging.level.org.springframework.context.annotation.AnnotationConfigApplicationContext=OFF");
			// a failed step's stack trace: the run summary names the failure in one line
			arguments.add("--logging.level.org.springframework.batch.core.step.AbstractStep=OFF");
			arguments.add("--logging.level.org.springframework.batch.core.job.AbstractJob=OFF");
		}
		return arguments;
	}

}
