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
		try (var context = this.startup.reads(this.common)) {
			return new Commands(context, this.startup.out()).history(this.limit, this.json);
		}
	}

}
