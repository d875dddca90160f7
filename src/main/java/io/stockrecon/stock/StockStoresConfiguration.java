package io.stockrecon.stock;

import io.lettuce.core.ClientOptions;

import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

import io.stockrecon.StockreconProperties;

/**
 * The Redis side of stock: the counters and the step that publishes restored units to
 * them.
 */
@Configuration(proxyBeanMethods = false)
public class StockStoresConfiguration {

	public static final String PUBLISH_STEP = "publishRestoredUnits";

	@Bean
	RedisStockCounters redisStockCounters(RedisConnectionFactory connectionFactory, StockreconProperties properties) {
		return new RedisStockCounters(connectionFactory, properties.redis());
	}

	/**
	 * A Redis that is down must fail the step at once, not queue commands in memory until
	 * it comes back: the outbox in PostgreSQL is where pending work waits.
	 */
	@Bean
	LettuceClientOptionsBuilderCustomizer rejectCommandsWhileDisconnected() {
		return (options) -> options.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
	}

	@Bean(PUBLISH_STEP)
	Step publishRestoredUnits(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			JdbcClient jdbc, RedisStockCounters counters, StockreconProperties properties) {
		return new StepBuilder(PUBLISH_STEP, jobRepository)
			.tasklet(new CounterOutboxPublisher(jdbc, counters, properties.restore().publishBatchSize()),
					transactionManager)
			.build();
	}

}
