package io.stockrecon.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code report}: what one execution did, read with a connection pool alone.
 */
@Command(name = "report", sortOptions = false,
		description = { "What one execution did: restored orders and units by reason, skipped items, "
				+ "drift findings and repairs, and the SQL that lists all of them." })
class ReportCommand implements Callable<Integer> {

	private final Startup startup;

	@Parameters(index = "0", paramLabel = "<executionId>", converter = OptionTypes.ExecutionId.class,
			description = "The execution, as 'history' lists it.")
	long executionId;

	@Option(names = "--first", paramLabel = "N", defaultValue = "20", converter = OptionTypes.PositiveNumber.class,
			description = "How many skipped items and drift findings to list (default ${DEFAULT-VALUE}).")
	int first;

	@Option(names = "--json", description = "Print JSON for a machine.")
	boolean json;

	@Mixin
	CommonOptions common;

	ReportCommand(Startup startup) {
		this.startup = startup;
	}

	@Override
	public Integer call() {
		return this.startup.reads(this.common, (commands) -> commands.report(this.executionId, this.first, this.json));
	}

}
