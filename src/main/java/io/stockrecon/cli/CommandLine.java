package io.stockrecon.cli;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed {@code stockrecon <command> [options]} line. Options of the form
 * {@code --spring.*}, {@code --stockrecon.*}, {@code --logging.*} and
 * {@code --management.*} are configuration overrides handed to Spring Boot; every other
 * option must belong to the command.
 *
 * @param command the command
 * @param options the command's own options ({@code --name} maps to {@code ""})
 * @param springArguments the configuration overrides
 */
public record CommandLine(String command, Map<String, String> options, List<String> springArguments) {

	static final String USAGE = """
			Usage: java -jar stockrecon.jar <command> [options]

			Commands:
			  run [--run-date=YYYY-MM-DD] [--full-scan] [--force]
			                  the nightly job; the date defaults to today
			  restart         relaunch the latest execution that did not complete
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
			Set.of("run-date", "full-scan", "force", "debug"), "restart", Set.of("debug"), "verify",
			Set.of("dry-run", "fail-on-drift", "delete-orphans", "debug"), "help", Set.of());

	private static final Set<String> FLAGS = Set.of("full-scan", "force", "debug", "dry-run", "fail-on-drift",
			"delete-orphans");

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
		for (int i = 1; i < args.length; i++) {
			String arg = args[i];
			if (!arg.startsWith("--")) {
				throw new UsageException("Unexpected argument '%s' for '%s'.%n%n%s".formatted(arg, command, USAGE));
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
		}
		return new CommandLine(command, options, springArguments);
	}

	public boolean has(String option) {
		return this.options.containsKey(option);
	}

	public boolean debug() {
		return has("debug");
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
