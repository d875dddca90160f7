package io.stockrecon.job;

import javax.sql.DataSource;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * How the nightly job is launched: under the launch lock, with stale executions
 * recovered.
 */
@Configuration(proxyBeanMethods = false)
class JobLaunchConfiguration {

	@Bean
	LaunchLock launchLock(DataSource dataSource) {
		return new LaunchLock(dataSource);
	}

	@Bean
	NightlyJobLauncher nightlyJobLauncher(@Qualifier(NightlyJobConfiguration.JOB_NAME) Job stockrecon,
			@Qualifier(NightlyJobConfiguration.VERIFY_JOB_NAME) Job stockreconVerify, JobOperator jobOperator,
			JobRepository jobRepository, LaunchLock launchLock, JdbcClient jdbc) {
		return new NightlyJobLauncher(stockrecon, stockreconVerify, jobOperator, jobRepository, launchLock, jdbc);
	}

}
