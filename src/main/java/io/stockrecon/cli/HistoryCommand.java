package io.stockrecon.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code history}: the latest executions, read with a connection pool alone.
 */
@Command(name = "history", sortOptions = false,
		description = { "The latest executions, newest first: status, duration, steps, restored orders and units, "
				+ "drift found and repaired." })
class HistoryCommand implements Callable<Integer> {

	private final Startup startup;

	@Option(names = "--limit", paramLabel = "N", defaultValue = "10", converter = OptionTypes.PositiveNumber.class,
			description = "How many executions (default ${DEFAULT-VALUE}).")
	int limit;

	@Option(names = "--json", description = "Print JSON for a machine.")
	boolean json;

	@Mixin
	CommonOptions common;

	HistoryCommand(Startup startup) {
		this.startup = startup;
	}

	@Override
	public Integer call() {
		return this.startup.reads(this.common, (commands) -> commands.history(this.limit, this.json));
	}

}
