package io.stockrecon.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;

/**
 * Explains a connection refused, or a host name that does not resolve, when neither the
 * PostgreSQL nor the Redis analyzer recognised the failure.
 */
class ServiceUnreachableFailureAnalyzer extends AbstractFailureAnalyzer<IOException> implements Ordered {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, IOException cause) {
		if (!(cause instanceof ConnectException) && !(cause instanceof UnknownHostException)) {
			return null;
		}
		return new FailureAnalysis(
				"A service could not be reached (%s).".formatted(OperatorErrors.firstLine(cause.getMessage())),
				"Check the connection settings (SPRING_DATASOURCE_URL, SPRING_DATA_REDIS_HOST, SPRING_RABBITMQ_HOST).",
				cause);
	}

	@Override
	public int getOrder() {
		// after the PostgreSQL and Redis analyzers, which say more
		return Ordered.HIGHEST_PRECEDENCE + 1;
	}

}
