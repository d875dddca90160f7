package io.stockrecon.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code verify}: the verify steps alone.
 */
@Command(name = "verify", sortOptions = false,
		description = { "Compare every Redis counter with PostgreSQL and repair the drift that persists." })
class VerifyCommand implements Callable<Integer> {

	private final Startup startup;

	@Option(names = "--dry-run", description = "Change nothing; report the drift.")
	boolean dryRun;

	@Option(names = "--fail-on-drift", description = "With --dry-run: exit 4 when drift is confirmed (monitoring).")
	boolean failOnDrift;

	@Option(names = "--delete-orphans", description = "Delete counters whose product does not exist.")
	boolean deleteOrphans;

	@Mixin
	ScaleOptions scale;

	@Mixin
	CommonOptions common;

	VerifyCommand(Startup startup) {
		this.startup = startup;
	}

	@Override
	public Integer call() {
		if (this.failOnDrift && !this.dryRun) {
			throw new UsageException(
					"--fail-on-drift goes with --dry-run: a repairing verify fixes the drift it finds.");
		}
		return this.startup.job(this.common, this.scale.settings(),
				(commands) -> commands.verify(this.dryRun, this.failOnDrift, this.deleteOrphans));
	}

}
