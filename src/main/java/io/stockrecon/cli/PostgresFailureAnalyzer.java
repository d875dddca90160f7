package io.stockrecon.cli;

import java.sql.SQLException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;

/**
 * Explains a PostgreSQL that refused the credentials, lacks the database, or could not be
 * reached. Ahead of Boot's own analyzers, whose reports are pages long.
 */
class PostgresFailureAnalyzer extends AbstractFailureAnalyzer<SQLException> implements Ordered {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, SQLException cause) {
		String state = (cause.getSQLState() != null) ? cause.getSQLState() : "";
		String message = OperatorErrors.firstLine(cause.getMessage());
		if (state.startsWith("28")) {
			return new FailureAnalysis("PostgreSQL refused the credentials (%s).".formatted(message),
					"Check SPRING_DATASOURCE_USERNAME and SPRING_DATASOURCE_PASSWORD.", cause);
		}
		if (state.equals("3D000")) {
			return new FailureAnalysis("The database does not exist (%s).".formatted(message),
					"Check the database name in SPRING_DATASOURCE_URL.", cause);
		}
		if (state.equals("42P01")) {
			return new FailureAnalysis("stockrecon's tables are missing in this database (%s).".formatted(message),
					"Run 'stockrecon run' once (it creates them), or check SPRING_DATASOURCE_URL.", cause);
		}
		return new FailureAnalysis("PostgreSQL could not be reached or used (%s).".formatted(message),
				"Check that it runs and that SPRING_DATASOURCE_URL (now the default jdbc:postgresql://localhost:5432/postgres unless set) points at it.",
				cause);
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
