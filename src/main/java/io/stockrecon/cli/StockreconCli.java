package io.stockrecon.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * The process behind {@code java -jar stockrecon.jar}: picocli parses the command line
 * before anything connects (a mistyped command or option gets a suggestion and exit 2),
 * then the command starts the application it needs, runs, and returns an
 * {@link ExitCode}. Configuration overrides ({@code --spring.*=...} and the like) pass
 * through to Spring Boot untouched. Operator errors come out as one paragraph; stack
 * traces only with {@code --debug}.
 */
public final class StockreconCli {

	private StockreconCli() {
	}

	public static int run(Class<?> application, String[] args, PrintStream out, PrintStream err) {
		ConfigurationOverrides line = ConfigurationOverrides.split(args);
		CommandLine commandLine = commandLine(new Startup(application, line.springArguments(), out),
				line.commandArguments(), out, err);
		return commandLine.execute(line.commandArguments().toArray(String[]::new));
	}

	/**
	 * The command line of {@code args}. picocli reflects over every command it is given,
	 * which is a good part of a read command's start-up on a small machine: when the
	 * first argument names a command, only that one is built (its own usage, options and
	 * suggestions are complete without the others); otherwise, all of them.
	 */
	static CommandLine commandLine(Startup startup, List<String> args, PrintStream out, PrintStream err) {
		Map<String, Supplier<Object>> commands = new LinkedHashMap<>();
		commands.put("run", () -> new RunCommand(startup));
		commands.put("restart", () -> new RestartCommand(startup));
		commands.put("verify", () -> new VerifyCommand(startup));
		commands.put("history", () -> new HistoryCommand(startup));
		commands.put("report", () -> new ReportCommand(startup));
		commands.put("prune", () -> new PruneCommand(startup));
		commands.put("demo", () -> new DemoCommand(startup));
		commands.put("worker", () -> new WorkerCommand(startup));
		CommandLine commandLine = new CommandLine(new StockreconCommand());
		Supplier<Object> named = args.isEmpty() ? null : commands.get(args.get(0));
		if (named != null) {
			commandLine.addSubcommand(named.get());
		}
		else {
			commands.values().forEach((command) -> commandLine.addSubcommand(command.get()));
			commandLine.addSubcommand(new CommandLine.HelpCommand());
		}
		// settings after the subcommands: picocli hands them down to those it has
		commandLine.setOut(new PrintWriter(out, true));
		commandLine.setErr(new PrintWriter(err, true));
		// a line that does not parse exits with picocli's USAGE code, 2, as ours does
		commandLine.setExecutionExceptionHandler(new OperatorErrorHandler());
		return commandLine;
	}

	/**
	 * Maps what a command throws to one paragraph and an exit code.
	 */
	static final class OperatorErrorHandler implements IExecutionExceptionHandler {

		@Override
		public int handleExecutionException(Exception failure, CommandLine commandLine, ParseResult parseResult) {
			PrintWriter err = commandLine.getErr();
			int exitCode;
			if (failure instanceof UsageException || failure instanceof StartupFailedException) {
				err.println(failure.getMessage());
				exitCode = ExitCode.USAGE;
			}
			else {
				String explained = OperatorErrors.explain(failure);
				err.println((explained != null) ? explained : "stockrecon failed: " + OperatorErrors.describe(failure));
				exitCode = (explained != null) ? ExitCode.USAGE : ExitCode.FAILED;
			}
			if (commandLine.getParseResult().hasMatchedOption("--debug")) {
				failure.printStackTrace(err);
			}
			err.flush();
			return exitCode;
		}

	}

}
