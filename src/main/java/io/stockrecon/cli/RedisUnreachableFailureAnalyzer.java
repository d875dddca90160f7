package io.stockrecon.cli;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.data.redis.RedisConnectionFailureException;

/**
 * Explains a Redis that could not be reached: {@link RedisReachable} finds it before the
 * job starts.
 */
class RedisUnreachableFailureAnalyzer extends AbstractFailureAnalyzer<RedisConnectionFailureException>
		implements Ordered {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, RedisConnectionFailureException cause) {
		return new FailureAnalysis(
				"Redis could not be reached (%s)."
					.formatted(OperatorErrors.firstLine(OperatorErrors.rootCause(rootFailure).getMessage())),
				"Check that it runs and SPRING_DATA_REDIS_HOST / SPRING_DATA_REDIS_PORT.", cause);
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
