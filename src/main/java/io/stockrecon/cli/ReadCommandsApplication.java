package io.stockrecon.cli;

import javax.sql.DataSource;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

import io.stockrecon.audit.ExecutionAudit;
import io.stockrecon.audit.ExecutionHistory;
import io.stockrecon.audit.RepositoryPruning;
import io.stockrecon.job.LaunchLock;

/**
 * The application of {@code history}, {@code report} and {@code prune}: a connection pool
 * and the audit readers, nothing else. No Batch infrastructure, no Redis, no RabbitMQ, no
 * migration check: they read what a run wrote, so they start in about a second (README,
 * "Start-up times"). Started by {@link Startup}; not annotated, so that the scan of the
 * main application does not pick it up.
 */
@ImportAutoConfiguration({ DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
		JdbcTemplateAutoConfiguration.class, JdbcClientAutoConfiguration.class })
class ReadCommandsApplication {

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

	@Bean
	LaunchLock launchLock(DataSource dataSource) {
		return new LaunchLock(dataSource);
	}

}
