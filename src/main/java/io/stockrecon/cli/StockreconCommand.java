package io.stockrecon.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code stockrecon}: the top of the command line, whose usage lists the commands, the
 * configuration overrides and the exit codes. Without a command it prints the usage and
 * exits 2.
 */
@Command(name = "stockrecon", mixinStandardHelpOptions = false,
		header = "Restores the stock of cancelled and deleted orders exactly once, in PostgreSQL and Redis.",
		synopsisHeading = "%nUsage: ", customSynopsis = "java -jar stockrecon.jar <command> [options]",
		commandListHeading = "%nCommands:%n", footerHeading = "%nOptions for every command:%n",
		footer = { "  -h, --help    this help; 'stockrecon <command> --help': a command's options",
				"  --debug       stack traces and Spring's own logs",
				"  --spring.*=..., --stockrecon.*=..., --logging.*=..., --management.*=...",
				"                a configuration override for Spring Boot (see README)" },
		exitCodeListHeading = "%nExit codes:%n",
		exitCodeList = { "0:completed, or the run date had completed already",
				"1:the job failed or stopped: read the summary's failure line, then 'restart'",
				"2:usage or configuration error (bad option, unreachable database or Redis, bad credentials)",
				"3:refused: another execution is running, or there is nothing to restart",
				"4:drift found by 'verify --dry-run --fail-on-drift'" })
class StockreconCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	/** Documented in the footer, with the options of every command. */
	@Option(names = { "-h", "--help" }, usageHelp = true, hidden = true)
	boolean help;

	@Override
	public Integer call() {
		this.spec.commandLine().getErr().println("No command given.");
		this.spec.commandLine().usage(this.spec.commandLine().getErr());
		return ExitCode.USAGE;
	}

}
