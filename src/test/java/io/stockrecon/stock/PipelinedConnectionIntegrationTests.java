package io.stockrecon.stock;

import java.time.Duration;

import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.stockrecon.support.RequiresStores;
import io.stockrecon.support.TestStores;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A wait for Redis lasts as long as {@code spring.data.redis.timeout}, which Boot passes
 * to the connection factory as its command timeout.
 */
@ExtendWith(RequiresStores.class)
class PipelinedConnectionIntegrationTests {

	private LettuceConnectionFactory connectionFactory;

	private PipelinedConnection connection;

	@BeforeEach
	void connect() {
		this.connectionFactory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(TestStores.redisHost(), TestStores.redisPort()),
				LettuceClientConfiguration.builder().commandTimeout(Duration.ofMillis(300)).build());
		this.connectionFactory.afterPropertiesSet();
		this.connectionFactory.start();
		this.connection = new PipelinedConnection(this.connectionFactory);
	}

	@AfterEach
	void close() {
		this.connection.close();
		this.connectionFactory.destroy();
	}

	@Test
	void shouldAnswerWithinTheCommandTimeout() {
		String answer = this.connection.withCommands((redis) -> this.connection.await(redis.ping()));

		assertThat(answer).isEqualTo("PONG");
	}

	@Test
	void shouldStopWaitingAfterTheCommandTimeout() {
		AsyncCommand<byte[], byte[], String> neverAnswered = new AsyncCommand<>(
				new Command<>(CommandType.PING, new StatusOutput<>(ByteArrayCodec.INSTANCE)));
		long start = System.nanoTime();

		assertThatExceptionOfType(RedisSystemException.class)
			.isThrownBy(() -> this.connection.withCommands((redis) -> this.connection.await(neverAnswered)))
			.withMessageContaining("PT0.3S");

		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
	}

}
