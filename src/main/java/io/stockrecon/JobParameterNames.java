package io.stockrecon;

/**
 * The names of the jobs' parameters, spelled here and nowhere else.
 * <p>
 * The launcher in {@code job} writes them; the steps in {@code restore} and
 * {@code drift}, and the history in {@code audit}, read them. They sit beside
 * {@link StockreconProperties} because they are the settings of one run where those are
 * the settings of the installation, and because every feature may depend on this package
 * while {@code job} depends on the features: a name kept in {@code job} would make
 * {@code drift}, {@code restore} and {@code audit} depend on the package that assembles
 * them.
 */
public final class JobParameterNames {

	/** The nightly job's date: the orders of that day, and its job instance. */
	public static final String RUN_DATE = "run.date";

	/**
	 * {@code run --full-scan}: first queue every cancelled order the ledger does not
	 * know.
	 */
	public static final String FULL_SCAN = "full.scan";

	/** {@code run --force}: a new instance of a date that completed already. */
	public static final String FORCED_AT = "forced.at";

	/** Makes each verify a new instance. */
	public static final String REQUESTED_AT = "requested.at";

	/** {@code verify --dry-run}: report the drift, change nothing in Redis. */
	public static final String DRY_RUN = "dry.run";

	/** {@code verify --delete-orphans}: delete keys whose product does not exist. */
	public static final String DELETE_ORPHANS = "delete.orphans";

	private JobParameterNames() {
	}

}
