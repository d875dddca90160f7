package io.stockrecon.cli;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalysisReporter;

/**
 * Keeps the analysis of a failed start for the command line, which prints it as the one
 * paragraph an operator reads. Boot's {@code LoggingFailureAnalysisReporter} prints a
 * banner and a page; the CLI silences it unless {@code --debug}.
 * <p>
 * Boot creates its reporters itself (from {@code META-INF/spring.factories}) on the
 * thread that called {@code SpringApplication.run}, so the analysis is handed over in a
 * thread local that {@link #take()} clears.
 */
public class StartupFailureReport implements FailureAnalysisReporter {

	private static final ThreadLocal<FailureAnalysis> LAST = new ThreadLocal<>();

	@Override
	public void report(FailureAnalysis analysis) {
		LAST.set(analysis);
	}

	/** The paragraph of the last failed start on this thread, or {@code null}. */
	static String take() {
		FailureAnalysis analysis = LAST.get();
		LAST.remove();
		return (analysis != null) ? paragraph(analysis) : null;
	}

	static String paragraph(FailureAnalysis analysis) {
		String description = OperatorErrors.oneLine(analysis.getDescription());
		return (analysis.getAction() != null) ? description + " " + OperatorErrors.oneLine(analysis.getAction())
				: description;
	}

}
