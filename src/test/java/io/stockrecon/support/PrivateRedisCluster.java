package io.stockrecon.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;

/**
 * A local three-master Redis Cluster of the test's own: {@code redis-server} with
 * {@code cluster-enabled yes} on free ports, joined by
 * {@code redis-cli --cluster create}. Each node is ended by its own process handle.
 */
public final class PrivateRedisCluster implements AutoCloseable {

	private final List<Process> nodes;

	private final List<Integer> ports;

	private PrivateRedisCluster(List<Process> nodes, List<Integer> ports) {
		this.nodes = nodes;
		this.ports = ports;
	}

	public static PrivateRedisCluster start() {
		List<Process> nodes = new ArrayList<>();
		List<Integer> ports = new ArrayList<>();
		try {
			for (int i = 0; i < 3; i++) {
				int port = PrivateRedisServer.freePort();
				Path directory = Files.createTempDirectory("stockrecon-redis-cluster");
				Process node = ChildProcesses.start(new ProcessBuilder("redis-server", "--port", Integer.toString(port),
						"--bind", "127.0.0.1", "--cluster-enabled", "yes", "--cluster-config-file",
						directory.resolve("nodes.conf").toString(), "--save", "", "--appendonly", "no", "--dir",
						directory.toString())
					.redirectErrorStream(true)
					.redirectOutput(directory.resolve("redis.log").toFile()));
				nodes.add(node);
				ports.add(port);
			}
			for (int port : ports) {
				Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> TestStores.answers("127.0.0.1", port));
			}
			List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
			ports.forEach((port) -> create.add("127.0.0.1:" + port));
			create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
			Process join = new ProcessBuilder(create).redirectErrorStream(true).start();
			String output = new String(join.getInputStream().readAllBytes());
			if (!join.waitFor(60, TimeUnit.SECONDS) || join.exitValue() != 0) {
				throw new IllegalStateException("redis-cli --cluster create failed:\n" + output);
			}
			PrivateRedisCluster cluster = new PrivateRedisCluster(nodes, ports);
			cluster.awaitSlotsCovered();
			return cluster;
		}
		catch (IOException | InterruptedException | RuntimeException ex) {
			nodes.forEach(Process::destroyForcibly);
			throw new IllegalStateException("Could not start a private Redis Cluster", ex);
		}
	}

	/**
	 * {@code host:port,host:port,...}, as {@code spring.data.redis.cluster.nodes} takes
	 * it.
	 */
	public String nodes() {
		return this.ports.stream().map((port) -> "127.0.0.1:" + port).collect(Collectors.joining(","));
	}

	@Override
	public void close() {
		this.nodes.forEach(ChildProcesses::kill);
	}

	private void awaitSlotsCovered() {
		Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
			Process info = new ProcessBuilder("redis-cli", "-p", Integer.toString(this.ports.get(0)), "cluster", "info")
				.redirectErrorStream(true)
				.start();
			String text = new String(info.getInputStream().readAllBytes());
			info.waitFor();
			return text.contains("cluster_state:ok");
		});
	}

}
