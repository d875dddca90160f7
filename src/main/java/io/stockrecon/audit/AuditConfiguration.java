package io.stockrecon.audit;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

@Configuration(proxyBeanMethods = false)
class AuditConfiguration {

	@Bean
	ExecutionAudit executionAudit(JdbcClient jdbc) {
		return new ExecutionAudit(jdbc);
	}

	@Bean
	RunMetrics runMetrics(ExecutionAudit executionAudit, MeterRegistry meterRegistry) {
		return new RunMetrics(executionAudit, meterRegistry);
	}

	@Bean
	ExecutionHistory executionHistory(JdbcClient jdbc, ExecutionAudit executionAudit) {
		return new ExecutionHistory(jdbc, executionAudit);
	}

	@Bean
	RepositoryPruning repositoryPruning(JdbcClient jdbc, PlatformTransactionManager transactionManager) {
		return new RepositoryPruning(jdbc, transactionManager);
	}

}
