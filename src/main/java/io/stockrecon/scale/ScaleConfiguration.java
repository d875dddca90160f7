package io.stockrecon.scale;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.stockrecon.StockreconProperties;

@Configuration(proxyBeanMethods = false)
class ScaleConfiguration {

	@Bean
	PartitionHandlers partitionHandlers(StockreconProperties properties) {
		return new PartitionHandlers(properties.scale());
	}

}
