package io.stockrecon.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * Where the integration tests find real PostgreSQL and Redis servers: the local services
 * when they answer (this machine, CI), otherwise Testcontainers where Docker runs.
 * <p>
 * Tests never share data: each test class gets a database of its own and a Redis key
 * prefix of its own. Both are removed when the test JVM ends; the shared Redis is never
 * flushed.
 */
public final class TestStores {

	private static final String LOCAL_HOST = "127.0.0.1";

	private static final List<String> createdDatabases = new CopyOnWriteArrayList<>();

	private static final List<String> createdPrefixes = new CopyOnWriteArrayList<>();

	private static Servers servers;

	private TestStores() {
	}

	/** Why the stores cannot be reached, or {@code null} when they can. */
	public static synchronized String unavailableReason() {
		try {
			servers();
			return null;
		}
		catch (IllegalStateException ex) {
			return ex.getMessage();
		}
	}

	/** A fresh, empty database on the test PostgreSQL server. */
	public static TestDatabase newDatabase() {
		Servers found = servers();
		String name = "stockrecon_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
		try (Connection admin = DriverManager.getConnection(found.adminUrl(), found.pgUser(), found.pgPassword());
				Statement statement = admin.createStatement()) {
			statement.execute("CREATE DATABASE " + name);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not create test database " + name, ex);
		}
		createdDatabases.add(name);
		return new TestDatabase(found.jdbcUrl(name), found.pgUser(), found.pgPassword());
	}

	/** A Redis key prefix that no other test uses, ending like the real one. */
	public static String newKeyPrefix() {
		String prefix = "test-" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT) + ":stock:";
		createdPrefixes.add(prefix);
		return prefix;
	}

	public static String redisHost() {
		return servers().redisHost();
	}

	public static int redisPort() {
		return servers().redisPort();
	}

	private static synchronized Servers servers() {
		if (servers == null) {
			servers = findServers();
			Runtime.getRuntime().addShutdownHook(new Thread(TestStores::cleanUp, "test-stores-cleanup"));
		}
		return servers;
	}

	private static Servers findServers() {
		String localPgUser = System.getenv().getOrDefault("STOCKRECON_TEST_PG_USER", "postgres");
		if (answers(LOCAL_HOST, 5432) && answers(LOCAL_HOST, 6379)) {
			return new Servers("jdbc:postgresql://" + LOCAL_HOST + ":5432/", localPgUser, "", LOCAL_HOST, 6379);
		}
		if (DockerClientFactory.instance().isDockerAvailable()) {
			return startContainers();
		}
		throw new IllegalStateException(
				"Integration tests need PostgreSQL at 127.0.0.1:5432 and Redis at 127.0.0.1:6379, "
						+ "or a Docker engine for Testcontainers; neither is there, so they are skipped.");
	}

	@SuppressWarnings("resource") // the containers live as long as the test JVM
	private static Servers startContainers() {
		PostgreSQLContainer postgres = new PostgreSQLContainer("postgres:15-alpine");
		postgres.start();
		GenericContainer<?> redis = new GenericContainer<>("redis:7-alpine").withExposedPorts(6379);
		redis.start();
		String base = "jdbc:postgresql://" + postgres.getHost() + ":" + postgres.getMappedPort(5432) + "/";
		return new Servers(base, postgres.getUsername(), postgres.getPassword(), redis.getHost(),
				redis.getMappedPort(6379));
	}

	static boolean answers(String host, int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(host, port), 500);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static void cleanUp() {
		Servers found = servers;
		try (Connection admin = DriverManager.getConnection(found.adminUrl(), found.pgUser(), found.pgPassword());
				Statement statement = admin.createStatement()) {
			for (String name : createdDatabases) {
				statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
			}
		}
		catch (SQLException ex) {
			// the server is gone with the test run; nothing left to clean
		}
		RedisClient client = RedisClient.create("redis://" + found.redisHost() + ":" + found.redisPort());
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			RedisCommands<String, String> redis = connection.sync();
			for (String prefix : createdPrefixes) {
				deleteMatching(redis, prefix + "*");
				deleteMatching(redis, "{" + prefix + "*");
			}
		}
		catch (RuntimeException ex) {
			// Redis is gone with the test run
		}
		finally {
			client.shutdown();
		}
	}

	private static void deleteMatching(RedisCommands<String, String> redis, String pattern) {
		ScanCursor cursor = ScanCursor.INITIAL;
		do {
			var page = redis.scan(cursor, ScanArgs.Builder.matches(pattern).limit(1000));
			if (!page.getKeys().isEmpty()) {
				redis.unlink(page.getKeys().toArray(String[]::new));
			}
			cursor = page;
		}
		while (!cursor.isFinished());
	}

	private record Servers(String baseUrl, String pgUser, String pgPassword, String redisHost, int redisPort) {

		String adminUrl() {
			return this.baseUrl + "postgres";
		}

		String jdbcUrl(String database) {
			return this.baseUrl + database;
		}

	}

	/**
	 * A database made for one test class.
	 */
	public record TestDatabase(String url, String username, String password) {

	}

}
