package io.stockrecon.audit;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The job's Micrometer counters. Apart from {@link AuditConfiguration} because they need
 * a {@link MeterRegistry}, which only the application that runs the jobs has.
 */
@Configuration(proxyBeanMethods = false)
class RunMetricsConfiguration {

	@Bean
	RunMetrics runMetrics(ExecutionAudit executionAudit, MeterRegistry meterRegistry) {
		return new RunMetrics(executionAudit, meterRegistry);
	}

}
