package io.stockrecon.cli;

import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.boot.convert.DurationStyle;

/**
 * A parsed {@code stockrecon <command> [options]} line. Options of the form
 * {@code --spring.*}, {@code --stockrecon.*}, {@code --logging.*} and
 * {@code --management.*} are configuration overrides handed to Spring Boot; every other
 * option must belong to the command.
 *
 * @param command the command
 * @param options the command's own options ({@code --name} maps to {@code ""})
 * @param springArguments the configuration overrides
 * @param positional the command's positional argument, or {@code null}
 */
public record CommandLine(String command, Map<String, String> options, List<String> springArguments,
		String positional) {

	static final String USAGE = """
			Usage: java -jar stockrecon.jar <command> [options]

			Commands:
			  run [--run-date=YYYY-MM-DD] [--full-scan] [--force] [--partitions=N --threads=N]
			                  the nightly job; the date defaults to today
			  restart         relaunch the latest execution that did not complete
			  history [--limit=N] [--json]
			                  the latest executions, newest first (default 10)
			  report <executionId> [--first=N] [--json]
			                  what one execution restored, skipped, found and repaired
			  prune --older-than=<duration>
			                  remove job repository and audit rows of executions that ended
			                  longer ago than that (90d, 12h, P30D); the ledger is kept
			  demo            run the job on embedded PostgreSQL and Redis with a sample shop
			  worker          a long-lived worker JVM: runs partitions sent by 'run --remote'
			                  over RabbitMQ (spring.rabbitmq.*) until stopped

			Scale (run, restart, verify):
			  --partitions=N  split the restore and verify steps into N partitions
			  --threads=N     run them on N threads in this JVM
			  --remote        send them to worker JVMs instead
			  verify [--dry-run] [--fail-on-drift] [--delete-orphans]
			                  compare every Redis counter with PostgreSQL and repair drift;
			                  --dry-run only reports, --fail-on-drift makes it exit 4 on drift
			  help            this text

			Options for every command:
			  --debug         show stack traces
			  --spring.*=..., --stockrecon.*=...   override a setting (see README)

			Exit codes: 0 completed, 1 job failed or stopped, 2 usage or configuration error,
			3 refused (another execution is running, or nothing to restart),
			4 drift found by verify --dry-run --fail-on-drift.""";

	private static final Map<String, Set<String>> COMMAND_OPTIONS = Map.of("run",
			Set.of("run-date", "full-scan", "force", "partitions", "threads", "remote", "debug"), "restart",
			Set.of("partitions", "threads", "remote", "debug"), "verify",
			Set.of("dry-run", "fail-on-drift", "delete-orphans", "partitions", "threads", "remote", "debug"), "worker",
			Set.of("debug"), "history", Set.of("limit", "json", "debug"), "report", Set.of("first", "json", "debug"),
			"prune", Set.of("older-than", "debug"), "demo", Set.of("debug"), "help", Set.of());

	/** Shorthands for the scale settings, sized with the connection pool they need. */
	private static final Set<String> SCALE_OPTIONS = Set.of("partitions", "threads");

	/** Commands that take one positional argument, and what it is. */
	private static final Map<String, String> POSITIONAL = Map.of("report", "executionId");

	private static final Set<String> FLAGS = Set.of("full-scan", "force", "debug", "dry-run", "fail-on-drift",
			"delete-orphans", "json", "remote");

	private static final List<String> SPRING_PREFIXES = List.of("spring.", "stockrecon.", "logging.", "management.");

	public static CommandLine parse(String... args) {
		if (args.length == 0) {
			throw new UsageException("No command given.\n\n" + USAGE);
		}
		String command = args[0];
		if (command.equals("--help") || command.equals("-h")) {
			command = "help";
		}
		Set<String> allowed = COMMAND_OPTIONS.get(command);
		if (allowed == null) {
			throw new UsageException("Unknown command '%s'.%n%n%s".formatted(command, USAGE));
		}
		Map<String, String> options = new LinkedHashMap<>();
		List<String> springArguments = new ArrayList<>();
		String positional = null;
		for (int i = 1; i < args.length; i++) {
			String arg = args[i];
			if (!arg.startsWith("--")) {
				if (positional != null || !POSITIONAL.containsKey(command)) {
					throw new UsageException("Unexpected argument '%s' for '%s'.%n%n%s".formatted(arg, command, USAGE));
				}
				positional = arg;
				continue;
			}
			String body = arg.substring(2);
			if (SPRING_PREFIXES.stream().anyMatch(body::startsWith)) {
				springArguments.add(arg);
				continue;
			}
			int equals = body.indexOf('=');
			String name = (equals < 0) ? body : body.substring(0, equals);
			String value = (equals < 0) ? "" : body.substring(equals + 1);
			if (!allowed.contains(name)) {
				throw new UsageException("Unknown option '--%s' for '%s'.%n%n%s".formatted(name, command, USAGE));
			}
			if (FLAGS.contains(name) && equals >= 0) {
				throw new UsageException("Option '--%s' takes no value.".formatted(name));
			}
			if (!FLAGS.contains(name) && value.isEmpty()) {
				throw new UsageException("Option '--%s' needs a value, as in --%s=...".formatted(name, name));
			}
			options.put(name, value);
			if (SCALE_OPTIONS.contains(name)) {
				springArguments.addAll(scaleSettings(name, value));
			}
			if (name.equals("remote")) {
				springArguments.add("--stockrecon.scale.remote=true");
			}
		}
		if (command.equals("worker")) {
			springArguments.add("--stockrecon.scale.role=worker");
		}
		if (POSITIONAL.containsKey(command) && positional == null) {
			throw new UsageException(
					"'%s' needs the %s, as in: %s 42".formatted(command, POSITIONAL.get(command), command));
		}
		return new CommandLine(command, options, springArguments, positional);
	}

	private static List<String> scaleSettings(String name, String value) {
		int number;
		try {
			number = Integer.parseInt(value);
		}
		catch (NumberFormatException ex) {
			number = 0;
		}
		if (number < 1) {
			throw new UsageException("'--%s=%s' is not a whole number of at least 1.".formatted(name, value));
		}
		if (name.equals("partitions")) {
			return List.of("--stockrecon.scale.partitions=" + number);
		}
		// each thread holds a connection for its chunk; the launch lock, the job
		// repository
		// and the partition manager need theirs too
		return List.of("--stockrecon.scale.threads=" + number,
				"--spring.datasource.hikari.maximum-pool-size=" + (number + 4));
	}

	public boolean has(String option) {
		return this.options.containsKey(option);
	}

	public boolean debug() {
		return has("debug");
	}

	/** A whole number option, at least 1. */
	public int positiveInt(String option, int fallback) {
		String value = this.options.get(option);
		if (value == null) {
			return fallback;
		}
		try {
			int number = Integer.parseInt(value);
			if (number >= 1) {
				return number;
			}
		}
		catch (NumberFormatException ex) {
			// explained below
		}
		throw new UsageException("'--%s=%s' is not a whole number of at least 1.".formatted(option, value));
	}

	/** The positional argument as an execution id. */
	public long executionId() {
		try {
			return Long.parseLong(this.positional);
		}
		catch (NumberFormatException ex) {
			throw new UsageException("'%s' is not an execution id; 'history' lists them.".formatted(this.positional));
		}
	}

	/** A duration such as {@code 90d}, {@code 12h} or {@code P30D}. */
	public Duration duration(String option) {
		String value = this.options.get(option);
		if (value == null) {
			throw new UsageException("'%s' needs --%s, as in --%s=90d".formatted(this.command, option, option));
		}
		try {
			Duration duration = DurationStyle.detectAndParse(value);
			if (!duration.isNegative() && !duration.isZero()) {
				return duration;
			}
		}
		catch (IllegalArgumentException ex) {
			// explained below
		}
		throw new UsageException(
				"'--%s=%s' is not a duration. Write it as 90d, 12h, 30m or P30D.".formatted(option, value));
	}

	public LocalDate date(String option, LocalDate fallback) {
		String value = this.options.get(option);
		if (value == null) {
			return fallback;
		}
		try {
			return LocalDate.parse(value);
		}
		catch (DateTimeParseException ex) {
			throw new UsageException("'--%s=%s' is not a date. Write it as YYYY-MM-DD, for example --%s=2026-11-24."
				.formatted(option, value, option));
		}
	}

}
