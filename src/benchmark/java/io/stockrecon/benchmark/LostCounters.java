package io.stockrecon.benchmark;

import io.stockrecon.benchmark.PhysicalLimits.VerifyLimit;

/**
 * The bigint shop after Redis lost every counter (a restart without persistence): the
 * least it takes to set them all again, and {@code verify} doing it. No target of its
 * own; it shows the repair at its largest, a suspect per product.
 *
 * @param limit a {@code COPY} of the stock and pipelined {@code MSET}s into the empty
 * Redis
 * @param afterLimit counters compared with PostgreSQL after the limit
 * @param verify {@code verify} on the same empty Redis
 * @param afterVerify counters compared with PostgreSQL after it
 */
record LostCounters(VerifyLimit limit, VerifyLimit afterLimit, JobRun verify, VerifyLimit afterVerify) {

	/** Both set every counter to PostgreSQL's stock. */
	boolean consistent() {
		return this.afterLimit.mismatches() == 0 && this.afterVerify.mismatches() == 0;
	}

}
