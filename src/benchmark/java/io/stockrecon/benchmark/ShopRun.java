package io.stockrecon.benchmark;

import java.util.List;

import io.stockrecon.benchmark.BenchmarkShop.Checksum;
import io.stockrecon.benchmark.PhysicalLimits.KeyspaceWalk;
import io.stockrecon.benchmark.PhysicalLimits.RestoreLimit;
import io.stockrecon.benchmark.PhysicalLimits.VerifyLimit;

/**
 * One shop's restore and verify: the physical limit and the nightly job on the same data,
 * and what each left behind.
 *
 * @param keys the shop's key type ({@code bigint}, {@code uuid}), as the report labels
 * its rows
 * @param cancelledOrders orders the restore gives back
 * @param driftedCounters counters that disagreed with PostgreSQL before the night
 * @param restoreLimit the set-based restore
 * @param verifyLimit reading both sides once
 * @param night the job on the same data
 * @param afterLimit the stock table after the limit's restore
 * @param afterJob the stock table after the job
 * @param afterJobCheck counters compared with PostgreSQL after the job
 * @param keyspaceWalk one {@code SCAN} over the shop's keys alone, where the orphan scan
 * is the point (the 10M shop); {@code null} elsewhere
 * @param limitRounds the restore limit's seconds of every round, in the order they ran;
 * empty where the shop ran one round (every shop but the hot one)
 * @param jobRounds the job's restore phase's seconds of every round, as many as
 * {@code limitRounds}: {@code restoreLimit} and {@code night} are the round with the
 * median ratio of the two
 */
record ShopRun(String keys, long cancelledOrders, long driftedCounters, RestoreLimit restoreLimit,
		VerifyLimit verifyLimit, JobRun night, Checksum afterLimit, Checksum afterJob, VerifyLimit afterJobCheck,
		KeyspaceWalk keyspaceWalk, List<Double> limitRounds, List<Double> jobRounds) {

	/**
	 * The rounds of one shop as one: the limit and the job of the round whose ratio is
	 * the median (see {@link Rounds}), and the checks of the first round that was not
	 * {@link #consistent()}, if any, so that one such round makes the whole inconsistent.
	 */
	static ShopRun medianOf(List<ShopRun> rounds) {
		ShopRun checked = rounds.stream()
			.filter((round) -> !round.consistent())
			.findFirst()
			.orElse(rounds.get(rounds.size() - 1));
		ShopRun median = Rounds.median(rounds, ShopRun::restoreRatio);
		RestoreLimit limit = median.restoreLimit();
		JobRun night = median.night();
		boolean several = rounds.size() > 1;
		List<Double> limitRounds = several ? rounds.stream().map((round) -> round.restoreLimit().seconds()).toList()
				: List.of();
		List<Double> jobRounds = several
				? rounds.stream().map((round) -> round.night().phase(JobRun.RESTORE).seconds()).toList() : List.of();
		return new ShopRun(checked.keys(), checked.cancelledOrders(), checked.driftedCounters(), limit,
				checked.verifyLimit(), night, checked.afterLimit(), checked.afterJob(), checked.afterJobCheck(),
				checked.keyspaceWalk(), limitRounds, jobRounds);
	}

	/** The job's restore over the limit's, as the report compares them. */
	double restoreRatio() {
		return this.night.phase(JobRun.RESTORE).seconds() / this.restoreLimit.seconds();
	}

	/** The job did what the limit did, and left every counter equal to PostgreSQL. */
	boolean consistent() {
		return this.afterLimit.equals(this.afterJob) && this.afterJobCheck.mismatches() == 0;
	}

}
