package io.stockrecon.cli;

import java.time.Duration;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code prune}: removes old job repository and audit rows, with a connection pool alone.
 */
@Command(name = "prune", sortOptions = false,
		description = { "Remove the job repository and audit rows of executions that ended longer ago than that. "
				+ "Never an execution that has not ended, never the stock_restorations ledger." })
class PruneCommand implements Callable<Integer> {

	private final Startup startup;

	@Option(names = "--older-than", required = true, paramLabel = "<duration>", converter = OptionTypes.Age.class,
			description = "90d, 12h, 30m or P30D.")
	Duration olderThan;

	@Mixin
	CommonOptions common;

	PruneCommand(Startup startup) {
		this.startup = startup;
	}

	@Override
	public Integer call() {
		return this.startup.reads(this.common, (commands) -> commands.prune(this.olderThan));
	}

}
