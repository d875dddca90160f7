package io.stockrecon.reliability;

import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/**
 * Prints the figures of every reliability test class that ran, and their sum, once the
 * test run has ended. Registered through {@code META-INF/services}, so it runs in
 * Surefire, Failsafe and IDEs alike; it prints nothing when no reliability test ran.
 */
public class ReliabilitySummaryListener implements TestExecutionListener {

	@Override
	public void testPlanExecutionFinished(TestPlan testPlan) {
		String summary = ReliabilityFigures.summary();
		if (summary != null) {
			ReliabilityFigures.tallies().forEach((tally) -> System.out.println(tally.line()));
			System.out.println(summary);
		}
	}

}
