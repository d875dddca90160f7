package io.stockrecon.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code restart}: the latest execution that did not complete.
 */
@Command(name = "restart", sortOptions = false,
		description = { "Relaunch the latest execution that did not complete, where it stopped. "
				+ "An execution left STARTED by a killed JVM is recovered first." })
class RestartCommand implements Callable<Integer> {

	private final Startup startup;

	@Mixin
	ScaleOptions scale;

	@Mixin
	CommonOptions common;

	RestartCommand(Startup startup) {
		this.startup = startup;
	}

	@Override
	public Integer call() {
		return this.startup.job(this.common, this.scale.settings(), Commands::restart);
	}

}
