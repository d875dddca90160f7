package io.stockrecon.shop;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;

/**
 * Explains a mapping that does not fit the database: its message already names the
 * setting, its value and what the table has.
 */
public class ShopMappingFailureAnalyzer extends AbstractFailureAnalyzer<ShopMappingException> implements Ordered {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, ShopMappingException cause) {
		return new FailureAnalysis(cause.getMessage(), null, cause);
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
