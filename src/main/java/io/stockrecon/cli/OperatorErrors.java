package io.stockrecon.cli;

import java.util.List;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

import io.stockrecon.shop.ShopMappingFailureAnalyzer;

/**
 * Turns a failure into the one paragraph an operator needs: what went wrong and what to
 * fix. Stack traces are for {@code --debug}. A failed start is explained by Boot's
 * {@code FailureAnalyzer} mechanism (see {@code META-INF/spring.factories}); a failure
 * while a command runs, by the same analyzers.
 */
final class OperatorErrors {

	/** The analyzers of {@code META-INF/spring.factories}, in the same order. */
	private static final List<FailureAnalyzer> ANALYZERS = List.of(new ShopMappingFailureAnalyzer(),
			new PostgresFailureAnalyzer(), new RedisUnreachableFailureAnalyzer(),
			new ServiceUnreachableFailureAnalyzer());

	private OperatorErrors() {
	}

	/**
	 * Explains a failure the operator can fix (connections, credentials, the shop
	 * mapping), or {@code null}.
	 */
	static String explain(Throwable failure) {
		for (FailureAnalyzer analyzer : ANALYZERS) {
			FailureAnalysis analysis = analyzer.analyze(failure);
			if (analysis != null) {
				return StartupFailureReport.paragraph(analysis);
			}
		}
		return null;
	}

	/** A short, one-line description of a failure, for the run summary. */
	static String describe(Throwable failure) {
		String explained = explain(failure);
		if (explained != null) {
			return explained;
		}
		Throwable root = rootCause(failure);
		String message = (failure.getMessage() != null) ? failure.getMessage() : failure.getClass().getSimpleName();
		return (root != failure && root.getMessage() != null)
				? "%s (cause: %s)".formatted(firstLine(message), firstLine(root.getMessage())) : firstLine(message);
	}

	static Throwable rootCause(Throwable failure) {
		Throwable current = failure;
		while (current.getCause() != null && current.getCause() != current) {
			current = current.getCause();
		}
		return current;
	}

	static String firstLine(String message) {
		if (message == null) {
			return "no message";
		}
		int newline = message.indexOf('\n');
		return (newline < 0) ? message.strip() : message.substring(0, newline).strip();
	}

	/** A message of several lines as one paragraph. */
	static String oneLine(String message) {
		return (message != null) ? message.strip().replaceAll("\\s*\\R\\s*", " ") : "";
	}

}
