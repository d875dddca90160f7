package io.stockrecon.cli;

import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine.Option;

/**
 * Shorthands for the {@code stockrecon.scale.*} settings of {@code run}, {@code restart}
 * and {@code verify}. The connection pool they need is sized by {@link ScalePoolSizing}.
 */
class ScaleOptions {

	@Option(names = "--partitions", paramLabel = "N", converter = OptionTypes.PositiveNumber.class,
			description = "Split the restore and verify steps into N partitions.")
	Integer partitions;

	@Option(names = "--threads", paramLabel = "N", converter = OptionTypes.PositiveNumber.class,
			description = "Run the partitions on N threads in this JVM (default: stockrecon.scale.threads). Without --partitions, "
					+ "the restore steps take one partition per thread and the verify steps one.")
	Integer threads;

	@Option(names = "--remote", description = "Send the partitions to worker JVMs over RabbitMQ instead.")
	boolean remote;

	List<String> settings() {
		List<String> settings = new ArrayList<>();
		if (this.partitions != null) {
			settings.add("--stockrecon.scale.partitions=" + this.partitions);
		}
		if (this.threads != null) {
			settings.add("--stockrecon.scale.threads=" + this.threads);
		}
		if (this.remote) {
			settings.add("--stockrecon.scale.remote=true");
		}
		return settings;
	}

}
