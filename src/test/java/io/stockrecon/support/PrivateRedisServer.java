package io.stockrecon.support;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.awaitility.Awaitility;

import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;

import io.stockrecon.stock.RedisStockCounters;

/**
 * A {@code redis-server} of the test's own, on a free port, for tests that stop Redis. It
 * keeps nothing on disk, so a restart comes back empty, and it is ended by its own
 * process handle: the shared Redis is never touched.
 */
public final class PrivateRedisServer implements AutoCloseable {

	private final int port;

	private final Path directory;

	private final String password;

	private Process process;

	private PrivateRedisServer(int port, Path directory, String password) {
		this.port = port;
		this.directory = directory;
		this.password = password;
	}

	public static PrivateRedisServer start() {
		return start(null);
	}

	/**
	 * A server that takes commands only after {@code AUTH password}
	 * ({@code --requirepass}); {@code null} for none.
	 */
	public static PrivateRedisServer start(String password) {
		try {
			PrivateRedisServer server = new PrivateRedisServer(freePort(),
					Files.createTempDirectory("stockrecon-redis"), password);
			server.startProcess();
			return server;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not start a private redis-server", ex);
		}
	}

	public static boolean available() {
		for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
			if (Files.isExecutable(Path.of(dir, "redis-server"))) {
				return true;
			}
		}
		return false;
	}

	public int port() {
		return this.port;
	}

	/** The password it requires, or {@code null}. */
	public String password() {
		return this.password;
	}

	public long pid() {
		return this.process.pid();
	}

	/** Kills the server (SIGKILL), as a crash would. */
	public void kill() {
		ChildProcesses.kill(this.process);
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !TestStores.answers("127.0.0.1", this.port));
	}

	/**
	 * Points an in-process application at this server, with a short command timeout: a
	 * killed server fails the job's commands in 2 s, not in Lettuce's default minute.
	 */
	public void register(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.host", () -> "127.0.0.1");
		registry.add("spring.data.redis.port", this::port);
		registry.add("spring.data.redis.timeout", () -> "2s");
	}

	/**
	 * Starts it again, empty, and waits until the application's own connections answer:
	 * Lettuce reconnects on its own backoff and rejects commands until then, and an
	 * operator relaunches only after Redis answers.
	 */
	public void restartAndAwait(StringRedisTemplate redis, RedisStockCounters counters) {
		restart();
		Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
			redis.execute((RedisCallback<String>) (connection) -> connection.ping());
			counters.ping();
			return true;
		});
	}

	/** Starts it again on the same port, empty. */
	public void restart() {
		try {
			startProcess();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not restart the private redis-server", ex);
		}
	}

	@Override
	public void close() {
		if (this.process != null && this.process.isAlive()) {
			kill();
		}
	}

	private void startProcess() throws IOException {
		List<String> command = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(this.port), "--bind",
				"127.0.0.1", "--save", "", "--appendonly", "no", "--dir", this.directory.toString()));
		if (this.password != null) {
			command.addAll(List.of("--requirepass", this.password));
		}
		this.process = ChildProcesses.start(new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(this.directory.resolve("redis.log").toFile()));
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> TestStores.answers("127.0.0.1", this.port));
	}

	static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
