package io.stockrecon.audit;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

@Configuration(proxyBeanMethods = false)
class AuditConfiguration {

	@Bean
	ExecutionAudit executionAudit(JdbcClient jdbc) {
		return new ExecutionAudit(jdbc);
	}

}
