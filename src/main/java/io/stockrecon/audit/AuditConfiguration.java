package io.stockrecon.audit;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The readers of the audit tables and the pruning of the job repository. They need a
 * connection pool and nothing else, so the read commands' small application imports this
 * configuration as it is; the job's metrics are in {@link RunMetricsConfiguration}.
 */
@Configuration(proxyBeanMethods = false)
public class AuditConfiguration {

	@Bean
	ExecutionAudit executionAudit(JdbcClient jdbc) {
		return new ExecutionAudit(jdbc);
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
