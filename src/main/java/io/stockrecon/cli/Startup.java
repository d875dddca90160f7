package io.stockrecon.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts the application a command needs, after its command line parsed: the whole job
 * for {@code run}, {@code restart}, {@code verify} and {@code worker}, a connection pool
 * for the read commands. A failed start becomes a {@link StartupFailedException} with the
 * paragraph Boot's failure analysis wrote (see {@link StartupFailureReport}).
 */
final class Startup {

	/**
	 * Without {@code --debug}, Boot, Hikari and Batch keep their stack traces: the
	 * paragraph or the summary's failure line replaces them.
	 */
	private static final List<String> QUIET_LOGGING = List.of(
			"--logging.level.org.springframework.boot.SpringApplication=OFF",
			"--logging.level.org.springframework.boot.diagnostics=OFF", "--logging.level.com.zaxxer.hikari=OFF",
			"--logging.level.org.springframework.batch.core.step.AbstractStep=OFF",
			"--logging.level.org.springframework.batch.core.job.AbstractJob=OFF",
			// "cancelling refresh attempt": the paragraph says why
			"--logging.level.org.springframework.context.annotation.AnnotationConfigApplicationContext=OFF");

	/**
	 * One connection is all a read command uses; Hikari would open the pool's minimum.
	 */
	private static final List<String> READ_SETTINGS = List.of("--spring.datasource.hikari.minimum-idle=1");

	/** Boot reads it as a system property only. */
	private static final String IGNORE_BACKGROUND_PREINITIALIZER = "spring.backgroundpreinitializer.ignore";

	private final Class<?> application;

	private final List<String> overrides;

	private final PrintStream out;

	Startup(Class<?> application, List<String> overrides, PrintStream out) {
		this.application = application;
		this.overrides = overrides;
		this.out = out;
	}

	Class<?> application() {
		return this.application;
	}

	PrintStream out() {
		return this.out;
	}

	/**
	 * Runs a command in the whole application, with Redis checked before the command
	 * runs, and stops the application.
	 */
	int job(CommonOptions common, List<String> settings, Function<Commands, Integer> command) {
		try (ConfigurableApplicationContext context = start(
				new SpringApplicationBuilder(this.application, RedisReachable.class), common, settings)) {
			return command.apply(new Commands(context, this.out));
		}
	}

	/** Runs a command in the application of the read commands, and stops it. */
	<T> T reads(CommonOptions common, Function<Commands, T> command) {
		try (ConfigurableApplicationContext context = reads(common)) {
			return command.apply(new Commands(context, this.out));
		}
	}

	/**
	 * The application of the read commands: a connection pool and the audit readers.
	 * Boot's background pre-initialisation (Hibernate Validator, Jackson, conversion
	 * service) would warm up what this application never uses, on one of two cores.
	 */
	private ConfigurableApplicationContext reads(CommonOptions common) {
		String ignored = System.getProperty(IGNORE_BACKGROUND_PREINITIALIZER);
		System.setProperty(IGNORE_BACKGROUND_PREINITIALIZER, "true");
		try {
			return start(new SpringApplicationBuilder(ReadCommandsApplication.class), common, READ_SETTINGS);
		}
		finally {
			if (ignored == null) {
				System.clearProperty(IGNORE_BACKGROUND_PREINITIALIZER);
			}
			else {
				System.setProperty(IGNORE_BACKGROUND_PREINITIALIZER, ignored);
			}
		}
	}

	ConfigurableApplicationContext start(SpringApplicationBuilder builder, CommonOptions common,
			List<String> settings) {
		StartupFailureReport.take();
		try {
			return builder.run(arguments(common, settings).toArray(String[]::new));
		}
		catch (RuntimeException ex) {
			String paragraph = StartupFailureReport.take();
			throw new StartupFailedException((paragraph != null) ? paragraph
					: "stockrecon could not start: " + OperatorErrors.describe(ex) + " Rerun with --debug for details.",
					ex);
		}
	}

	/**
	 * Logging settings only, for an application whose connections are not the operator's
	 * to choose (the demo).
	 */
	List<String> loggingArguments(CommonOptions common) {
		return common.debug ? List.of() : QUIET_LOGGING;
	}

	/**
	 * The command's own settings, then the configuration overrides of the command line.
	 */
	List<String> arguments(CommonOptions common, List<String> settings) {
		List<String> generated = new ArrayList<>(settings);
		if (!common.debug) {
			generated.addAll(QUIET_LOGGING);
		}
		// a setting given twice would reach Spring as "a,b": the operator's override wins
		Set<String> overridden = this.overrides.stream().map(Startup::key).collect(Collectors.toSet());
		List<String> arguments = new ArrayList<>();
		generated.stream().filter((argument) -> !overridden.contains(key(argument))).forEach(arguments::add);
		arguments.addAll(this.overrides);
		return arguments;
	}

	private static String key(String argument) {
		int equals = argument.indexOf('=');
		return (equals < 0) ? argument : argument.substring(0, equals);
	}

}
