package io.stockrecon.stock;

import io.lettuce.core.ClientOptions;

import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import io.stockrecon.StockreconProperties;

/**
 * The Redis side of stock: the counters and how the client talks to Redis. The step that
 * publishes restored units to them is declared with the restore steps, in
 * {@code restore.RestoreStepsConfiguration}.
 */
@Configuration(proxyBeanMethods = false)
public class StockStoresConfiguration {

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

}
