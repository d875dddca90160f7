package io.stockrecon.benchmark;

import io.stockrecon.benchmark.PhysicalLimits.VerifyLimit;

/**
 * The bigint shop after Redis lost every counter (a restart without persistence): the
 * least it takes to set them all again, and {@code verify} doing it. No target of its
 * own; it shows the repair at its largest, a suspect per product.
 *
 * @param limit a {@code COPY} of the stock and pipelined {@code MSET}s into the empty
 * Redis
 * @param verify {@code verify} on the same empty Redis
 * @param afterVerify counters compared with PostgreSQL after it
 */
record LostCounters(VerifyLimit limit, JobRun verify, VerifyLimit afterVerify) {

}
