package io.stockrecon.demo;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import redis.embedded.RedisServer;

/**
 * A real PostgreSQL 15 and a real Redis 7, started from binaries inside the jar: the demo
 * needs no Docker and no running service.
 */
final class EmbeddedStores implements AutoCloseable {

	private final EmbeddedPostgres postgres;

	private final RedisServer redis;

	private final int redisPort;

	private EmbeddedStores(EmbeddedPostgres postgres, RedisServer redis, int redisPort) {
		this.postgres = postgres;
		this.redis = redis;
		this.redisPort = redisPort;
	}

	static EmbeddedStores start() throws IOException {
		EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
		try {
			int redisPort = freePort();
			RedisServer redis = RedisServer.builder()
				.port(redisPort)
				.bind("127.0.0.1")
				.setting("save \"\"")
				.setting("appendonly no")
				.build();
			redis.start();
			return new EmbeddedStores(postgres, redis, redisPort);
		}
		catch (RuntimeException ex) {
			postgres.close();
			throw ex;
		}
	}

	/**
	 * Settings that point the application at these stores. They are passed as
	 * command-line arguments, which outrank the environment, so any SPRING_DATASOURCE_*
	 * or SPRING_DATA_REDIS_* of the shell is ignored.
	 */
	List<String> springArguments() {
		return List.of("--spring.datasource.url=" + this.postgres.getJdbcUrl("postgres", "postgres"),
				"--spring.datasource.username=postgres", "--spring.datasource.password=",
				"--spring.data.redis.url=redis://127.0.0.1:" + this.redisPort, "--spring.data.redis.host=127.0.0.1",
				"--spring.data.redis.port=" + this.redisPort, "--spring.data.redis.username=",
				"--spring.data.redis.password=", "--spring.data.redis.database=0",
				"--spring.data.redis.ssl.enabled=false");
	}

	@Override
	public void close() throws IOException {
		try {
			this.redis.stop();
		}
		finally {
			this.postgres.close();
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
