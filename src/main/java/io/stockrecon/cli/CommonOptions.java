package io.stockrecon.cli;

import picocli.CommandLine.Option;

/**
 * The options of every command.
 */
class CommonOptions {

	@Option(names = { "-h", "--help" }, usageHelp = true, description = "Show this help and exit.")
	boolean help;

	@Option(names = "--debug", description = "Show stack traces and Spring's own logs.")
	boolean debug;

}
