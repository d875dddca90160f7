package io.stockrecon.support;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Skips a test class, with the reason, when neither local services nor Docker can give it
 * a real PostgreSQL and Redis.
 */
public class RequiresStores implements ExecutionCondition {

	@Override
	public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
		String reason = TestStores.unavailableReason();
		return (reason != null) ? ConditionEvaluationResult.disabled(reason)
				: ConditionEvaluationResult.enabled("PostgreSQL and Redis answer");
	}

}
