package io.stockrecon.cli;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Sizes the connection pool for {@code stockrecon.scale.threads}, however it was set
 * ({@code --threads}, an environment variable, a file): each thread holds a connection
 * for its chunk, and the launch lock, the job repository and the partition manager need
 * theirs too. A pool configured larger is left alone.
 */
public class ScalePoolSizing implements EnvironmentPostProcessor {

	static final String POOL_SIZE = "spring.datasource.hikari.maximum-pool-size";

	/**
	 * Connections beyond the threads: launch lock, job repository, partition manager, the
	 * repair's cursor over its suspects, one spare.
	 */
	static final int OWN_CONNECTIONS = 5;

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		// application.properties holds the default; the fallback only keeps this quiet
		int threads = environment.getProperty("stockrecon.scale.threads", Integer.class, 1);
		int needed = threads + OWN_CONNECTIONS;
		Integer configured = environment.getProperty(POOL_SIZE, Integer.class);
		if (threads > 1 && (configured == null || configured < needed)) {
			environment.getPropertySources()
				.addFirst(new MapPropertySource("stockreconScalePoolSizing", Map.of(POOL_SIZE, needed)));
		}
	}

}
