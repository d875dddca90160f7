package io.stockrecon.support;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Skips a test class, with the reason, when no RabbitMQ answers at 127.0.0.1:5672.
 */
public class RequiresRabbitMq implements ExecutionCondition {

	@Override
	public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
		return TestStores.answers("127.0.0.1", 5672) ? ConditionEvaluationResult.enabled("RabbitMQ answers")
				: ConditionEvaluationResult.disabled("Remote partitioning tests need RabbitMQ at 127.0.0.1:5672");
	}

}
