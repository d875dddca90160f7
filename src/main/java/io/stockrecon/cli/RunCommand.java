package io.stockrecon.cli;

import java.time.LocalDate;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code run}: the nightly job for a date.
 */
@Command(name = "run", sortOptions = false,
		description = { "The nightly job: restore cancelled and deleted orders, deliver the units to Redis, "
				+ "verify every counter. A date that completed already does nothing and exits 0." })
class RunCommand implements Callable<Integer> {

	private final Startup startup;

	@Option(names = "--run-date", paramLabel = "YYYY-MM-DD", converter = OptionTypes.Date.class,
			description = "The run date; today by default.")
	LocalDate runDate;

	@Option(names = "--full-scan",
			description = "Re-examine the whole order history (a backfill after install or an incident).")
	boolean fullScan;

	@Option(names = "--force",
			description = "Run a date that completed once more (safe: the ledger makes restoration idempotent).")
	boolean force;

	@Mixin
	ScaleOptions scale;

	@Mixin
	CommonOptions common;

	RunCommand(Startup startup) {
		this.startup = startup;
	}

	@Override
	public Integer call() {
		LocalDate date = (this.runDate != null) ? this.runDate : LocalDate.now();
		if (!this.force) {
			// a completed date needs only the job repository: say so within seconds
			Integer completed = this.startup.reads(this.common,
					(commands) -> commands.completedAlready(date, this.fullScan));
			if (completed != null) {
				return completed;
			}
		}
		return this.startup.job(this.common, this.scale.settings(),
				(commands) -> commands.run(date, this.fullScan, this.force));
	}

}
