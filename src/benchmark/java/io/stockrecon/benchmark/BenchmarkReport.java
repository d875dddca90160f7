package io.stockrecon.benchmark;

import java.util.List;

/**
 * What a benchmark scenario prints, and whether the job's result was exact.
 */
interface BenchmarkReport {

	List<String> lines();

	/** The job left the stores as they must be; a benchmark of a wrong job fails. */
	boolean consistent();

}
