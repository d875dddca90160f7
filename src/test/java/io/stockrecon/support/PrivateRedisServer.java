package io.stockrecon.support;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.awaitility.Awaitility;

/**
 * A {@code redis-server} of the test's own, on a free port, for tests that stop Redis. It
 * keeps nothing on disk, so a restart comes back empty, and it is ended by its own
 * process handle: the shared Redis is never touched.
 */
public final class PrivateRedisServer implements AutoCloseable {

	private final int port;

	private final Path directory;

	private Process process;

	private PrivateRedisServer(int port, Path directory) {
		this.port = port;
		this.directory = directory;
	}

	public static PrivateRedisServer start() {
		try {
			PrivateRedisServer server = new PrivateRedisServer(freePort(),
					Files.createTempDirectory("stockrecon-redis"));
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

	public long pid() {
		return this.process.pid();
	}

	/** Kills the server (SIGKILL), as a crash would. */
	public void kill() {
		this.process.destroyForcibly();
		try {
			this.process.waitFor();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !TestStores.answers("127.0.0.1", this.port));
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
		this.process = new ProcessBuilder("redis-server", "--port", Integer.toString(this.port), "--bind", "127.0.0.1",
				"--save", "", "--appendonly", "no", "--dir", this.directory.toString())
			.redirectErrorStream(true)
			.redirectOutput(this.directory.resolve("redis.log").toFile())
			.start();
		Runtime.getRuntime().addShutdownHook(new Thread(this.process::destroyForcibly));
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> TestStores.answers("127.0.0.1", this.port));
	}

	static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
