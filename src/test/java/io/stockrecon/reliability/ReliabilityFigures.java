package io.stockrecon.reliability;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import io.stockrecon.support.ShopKind;

/**
 * The figures of the reliability suite: faults injected, scenarios run, products whose
 * stock conservation was checked, and violations found. Each test class keeps a
 * {@link Tally} (one per shop when it runs on several), prints its line when it ends, and
 * {@link ReliabilitySummaryListener} prints the sum of all of them when the test run
 * ends.
 */
public final class ReliabilityFigures {

	private static final List<Tally> tallies = new CopyOnWriteArrayList<>();

	private ReliabilityFigures() {
	}

	/** A fresh tally for one test class, counted in the suite's sum. */
	public static Tally tally(String name) {
		return tally(name, ShopKind.DEFAULT);
	}

	/**
	 * A fresh tally for one test class on one shop, named as
	 * {@link ShopKind#label(String)} says; the class counts once in the suite's sum.
	 */
	public static Tally tally(String name, ShopKind shop) {
		Tally tally = new Tally(name, shop.label(name));
		tallies.add(tally);
		return tally;
	}

	static List<Tally> tallies() {
		return List.copyOf(tallies);
	}

	/** The suite's sum, or {@code null} when no reliability test ran. */
	static String summary() {
		if (tallies.isEmpty()) {
			return null;
		}
		long faults = tallies.stream().mapToLong(Tally::faults).sum();
		long scenarios = tallies.stream().mapToLong(Tally::scenarios).sum();
		long products = tallies.stream().mapToLong(Tally::productsChecked).sum();
		long violations = tallies.stream().mapToLong(Tally::violations).sum();
		long classes = tallies.stream().map((tally) -> tally.testClass).distinct().count();
		return "[reliability] SUITE: %d classes, faults injected %d, scenarios %d, products checked %d, violations %d"
			.formatted(classes, faults, scenarios, products, violations);
	}

	/**
	 * The figures of one test class.
	 */
	public static final class Tally {

		private final String testClass;

		private final String name;

		private final AtomicLong faults = new AtomicLong();

		private final AtomicLong scenarios = new AtomicLong();

		private final AtomicLong productsChecked = new AtomicLong();

		private final AtomicLong violations = new AtomicLong();

		private Tally(String testClass, String name) {
			this.testClass = testClass;
			this.name = name;
		}

		public void fault() {
			this.faults.incrementAndGet();
		}

		public void faults(long count) {
			this.faults.addAndGet(count);
		}

		public void scenario() {
			this.scenarios.incrementAndGet();
		}

		/** Counts a conservation check: its products and its violations. */
		public Conservation.Result checked(Conservation.Result result) {
			this.productsChecked.addAndGet(result.productsChecked());
			this.violations.addAndGet(result.violations().size());
			return result;
		}

		/** Counts an outcome that broke the documented rule, other than stock. */
		public void violation() {
			this.violations.incrementAndGet();
		}

		public long faults() {
			return this.faults.get();
		}

		public long scenarios() {
			return this.scenarios.get();
		}

		public long productsChecked() {
			return this.productsChecked.get();
		}

		public long violations() {
			return this.violations.get();
		}

		/**
		 * Prints this class's line, when the class ends ({@link PrivateShop} does it for
		 * a named one).
		 */
		public void print() {
			System.out.println(line());
		}

		String line() {
			return "[reliability] %s: faults injected %d, scenarios %d, products checked %d, violations %d"
				.formatted(this.name, faults(), scenarios(), productsChecked(), violations());
		}

	}

}
