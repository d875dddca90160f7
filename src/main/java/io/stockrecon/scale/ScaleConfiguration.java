package io.stockrecon.scale;

import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.AmqpTemplate;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.amqp.support.converter.SimpleMessageConverter;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.integration.config.annotation.EnableBatchIntegration;
import org.springframework.batch.integration.partition.RemotePartitioningManagerStepBuilderFactory;
import org.springframework.batch.integration.partition.RemotePartitioningWorkerStepBuilderFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.amqp.dsl.Amqp;
import org.springframework.integration.channel.DirectChannel;
import org.springframework.integration.dsl.IntegrationFlow;

import io.stockrecon.StockreconProperties;

/**
 * The wiring of remote partitioning over RabbitMQ (Spring Batch Integration). Connection
 * settings are Spring Boot's own {@code spring.rabbitmq.*}; nothing connects unless a
 * manager sends or a worker listens.
 */
@Configuration(proxyBeanMethods = false)
@EnableBatchIntegration
class ScaleConfiguration {

	static final String TO_WORKERS = "partitionRequestsToWorkers";

	static final String FROM_MANAGER = "partitionRequestsFromManager";

	@Bean
	PartitionedSteps partitionedSteps(StockreconProperties properties, JobRepository jobRepository,
			RemotePartitioningManagerStepBuilderFactory managers, RemotePartitioningWorkerStepBuilderFactory workers,
			@Qualifier(TO_WORKERS) DirectChannel toWorkers, @Qualifier(FROM_MANAGER) DirectChannel fromManager) {
		return new PartitionedSteps(properties.scale(), jobRepository, managers, workers, toWorkers, fromManager);
	}

	@Bean(TO_WORKERS)
	DirectChannel partitionRequestsToWorkers() {
		return new DirectChannel();
	}

	@Bean(FROM_MANAGER)
	DirectChannel partitionRequestsFromManager() {
		return new DirectChannel();
	}

	@Bean
	Queue partitionQueue(StockreconProperties properties) {
		return new Queue(properties.scale().queue(), true);
	}

	/**
	 * Spring AMQP 4 deserializes only allowed classes: the partition request and what it
	 * holds.
	 */
	@Bean
	MessageConverter partitionRequestConverter() {
		SimpleMessageConverter converter = new SimpleMessageConverter();
		converter.addAllowedListPatterns("org.springframework.batch.integration.partition.StepExecutionRequest",
				"java.lang.*", "java.util.*");
		return converter;
	}

	@Bean
	IntegrationFlow partitionRequestsOut(@Qualifier(TO_WORKERS) DirectChannel toWorkers, AmqpTemplate amqpTemplate,
			StockreconProperties properties) {
		return IntegrationFlow.from(toWorkers)
			.handle(Amqp.outboundAdapter(amqpTemplate).routingKey(properties.scale().queue()))
			.get();
	}

	/**
	 * Only in a {@code worker} JVM. One partition at a time (prefetch 1), acknowledged
	 * only when it has run: a worker that dies mid-partition leaves its message to be
	 * redelivered.
	 */
	@Bean
	@ConditionalOnProperty(name = "stockrecon.scale.role", havingValue = "worker")
	IntegrationFlow partitionRequestsIn(ConnectionFactory connectionFactory, MessageConverter partitionRequestConverter,
			@Qualifier(FROM_MANAGER) DirectChannel fromManager, StockreconProperties properties) {
		return IntegrationFlow
			.from(Amqp.inboundAdapter(connectionFactory, properties.scale().queue())
				.messageConverter(partitionRequestConverter)
				.configureContainer((container) -> container.prefetchCount(1)
					.acknowledgeMode(AcknowledgeMode.AUTO)
					.defaultRequeueRejected(true)))
			.channel(fromManager)
			.get();
	}

}
