package io.stockrecon.cli;

import javax.sql.DataSource;

import org.springframework.batch.core.repository.support.JdbcJobRepositoryFactoryBean;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Lazy;
import org.springframework.transaction.PlatformTransactionManager;

import io.stockrecon.audit.AuditConfiguration;
import io.stockrecon.job.LaunchLock;

/**
 * The application of {@code history}, {@code report} and {@code prune}, and of the check
 * that {@code run} makes first: a connection pool, the audit readers and a bare job
 * repository, nothing else ({@link AuditConfiguration} as the job's application has it).
 * No Batch infrastructure, no Redis, no RabbitMQ, no migration check: they read what a
 * run wrote, so they start in about a second (README, "Start-up times"). Started by
 * {@link Startup}; not a {@code @Configuration}, so that the scan of the main application
 * does not pick it up.
 */
@ImportAutoConfiguration({ DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
		JdbcTemplateAutoConfiguration.class, JdbcClientAutoConfiguration.class })
@Import(AuditConfiguration.class)
class ReadCommandsApplication {

	@Bean
	LaunchLock launchLock(DataSource dataSource) {
		return new LaunchLock(dataSource);
	}

	/**
	 * A bare job repository for {@code run} of a date that completed already; created
	 * only when asked for.
	 */
	@Bean
	@Lazy
	JdbcJobRepositoryFactoryBean jobRepository(DataSource dataSource, PlatformTransactionManager transactionManager) {
		JdbcJobRepositoryFactoryBean factory = new JdbcJobRepositoryFactoryBean();
		factory.setDataSource(dataSource);
		factory.setTransactionManager(transactionManager);
		return factory;
	}

}
