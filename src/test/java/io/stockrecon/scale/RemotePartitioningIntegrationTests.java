package io.stockrecon.scale;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.stockrecon.cli.ExitCode;
import io.stockrecon.support.DirectStores;
import io.stockrecon.support.MappedShop;
import io.stockrecon.support.RequiresRabbitMq;
import io.stockrecon.support.RequiresStores;
import io.stockrecon.support.ShopData;
import io.stockrecon.support.StockreconJar;
import io.stockrecon.support.TestStores;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One manager JVM and two worker JVMs over the real local RabbitMQ, with Spring Batch's
 * own remote partitioning: the same result as one process, both workers busy, and a
 * worker killed mid-partition does not cost a unit.
 */
@ExtendWith({ RequiresStores.class, RequiresRabbitMq.class })
class RemotePartitioningIntegrationTests {

	private final String queue = "stockrecon.test." + UUID.randomUUID();

	private final List<StockreconJar.Launch> workers = new ArrayList<>();

	private DirectStores stores;

	@AfterEach
	void stopWorkersAndQueue() throws Exception {
		this.workers.forEach(StockreconJar.Launch::kill);
		if (this.stores != null) {
			this.stores.close();
		}
		ConnectionFactory factory = new ConnectionFactory();
		factory.setHost("127.0.0.1");
		try (Connection connection = factory.newConnection(); Channel channel = connection.createChannel()) {
			channel.queueDelete(this.queue);
		}
	}

	@Test
	void shouldGiveTheResultOfOneProcessWithBothWorkersTakingPartitions() {
		StockreconJar jar = shop(200);
		startWorkers(jar, 2);

		StockreconJar.Finished manager = jar.run("run", "--remote", "--partitions=4", "--run-date=2026-11-24");

		assertThat(manager.exitCode()).as(manager.output()).isEqualTo(ExitCode.COMPLETED);
		assertThat(ShopData.redisStock(this.stores.jdbc(), this.stores.redis(), this.stores.keyPrefix()))
			.isEqualTo(ShopData.expectedStock(this.stores.jdbc()));
		assertThat(workersThatRanPartitions()).containsExactlyInAnyOrderElementsOf(
				this.workers.stream().map((worker) -> Long.toString(worker.process().pid())).toList());
	}

	@Test
	void shouldGiveTheExactResultWhenAWorkerIsKilledMidPartition() {
		StockreconJar jar = shop(10);
		startWorkers(jar, 2);

		StockreconJar.Launch manager = jar.start("run", "--remote", "--partitions=4", "--run-date=2026-11-24",
				"--stockrecon.scale.remote-timeout=60s");
		await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50)).until(() -> this.stores.jdbc().sql("""
				SELECT coalesce(max(commit_count), 0) FROM batch_step_execution
				WHERE step_name LIKE 'restoreCancelledOrdersPartition:%' AND status = 'STARTED'
				""").query(Long.class).single() >= 3);
		this.workers.get(0).kill();
		StockreconJar.Finished managed = manager.awaitExit();
		StockreconJar.Finished restarted = (managed.exitCode() == ExitCode.COMPLETED) ? managed
				: jar.run("restart", "--remote");
		System.out.printf("remote partitioning: worker %d killed; the manager exited %d%s%n",
				this.workers.get(0).process().pid(), managed.exitCode(),
				(managed == restarted) ? " (its partition was redelivered to the other worker)"
						: ", restart exited " + restarted.exitCode());

		assertThat(managed.exitCode()).as(managed.output()).isIn(ExitCode.COMPLETED, ExitCode.FAILED);
		assertThat(restarted.exitCode()).as(restarted.output()).isEqualTo(ExitCode.COMPLETED);
		assertThat(ShopData.redisStock(this.stores.jdbc(), this.stores.redis(), this.stores.keyPrefix()))
			.isEqualTo(ShopData.expectedStock(this.stores.jdbc()));
	}

	/**
	 * Text order ids are split by a hash of the id, text stock keys by quantiles of the
	 * keys: the partitions a worker receives still cover every order and product once.
	 */
	@Test
	void shouldSplitTextKeysOfAMappedShopOverWorkers() {
		String prefix = TestStores.newKeyPrefix();
		MappedShop shop = MappedShop.create(
				"""
						CREATE TABLE stock (sku text PRIMARY KEY, available integer NOT NULL);
						CREATE TABLE purchases (ref text PRIMARY KEY, state text NOT NULL);
						CREATE TABLE purchase_lines (
						    ref      text NOT NULL REFERENCES purchases (ref) ON DELETE CASCADE,
						    sku      text NOT NULL,
						    quantity integer NOT NULL
						);
						INSERT INTO stock SELECT 'sku-' || g, 1000 FROM generate_series(1, 300) g;
						INSERT INTO purchases SELECT 'p-' || g, 'paid' FROM generate_series(1, 2000) g;
						INSERT INTO purchase_lines SELECT 'p-' || g, 'sku-' || (1 + g % 300), 1 + g % 3 FROM generate_series(1, 2000) g;
						INSERT INTO purchase_lines SELECT 'p-' || g, 'sku-' || (1 + g * 7 % 300), 2 FROM generate_series(1, 2000) g;
						UPDATE stock s SET available = available - l.units
						FROM (SELECT sku, sum(quantity) AS units FROM purchase_lines GROUP BY sku) l WHERE s.sku = l.sku;
						""",
				Map.of("stockrecon.shop.stock.table", "stock", "stockrecon.shop.stock.key-column", "sku",
						"stockrecon.shop.stock.quantity-column", "available", "stockrecon.shop.orders.table",
						"purchases", "stockrecon.shop.orders.id-column", "ref", "stockrecon.shop.orders.status-column",
						"state", "stockrecon.shop.items.table", "purchase_lines", "stockrecon.shop.items.order-column",
						"ref", "stockrecon.shop.items.key-column", "sku", "stockrecon.redis.key-template",
						prefix + "<id>"));
		StockreconJar jar = shop.jar()
			.with("--stockrecon.scale.queue=" + this.queue, "--stockrecon.restore.chunk-size=50",
					"--stockrecon.verify.chunk-size=50", "--stockrecon.verify.first-look-chunk-size=50",
					"--stockrecon.verify.settle-interval=200ms");
		StockreconJar.Finished installed = jar.run("run", "--run-date=2000-01-01");
		assertThat(installed.exitCode()).as(installed.output()).isEqualTo(ExitCode.COMPLETED);
		shop.jdbc().sql("UPDATE purchases SET state = 'cancelled' WHERE substr(ref, 3)::int % 5 IN (1, 2)").update();
		shop.jdbc().sql("DELETE FROM purchases WHERE substr(ref, 3)::int % 5 = 3").update();
		this.stores = DirectStores.fresh();
		this.stores.redis().opsForValue().set(prefix + "sku-7", "1");
		startWorkers(jar, 1);

		StockreconJar.Finished manager = jar.run("run", "--remote", "--partitions=3", "--run-date=2026-11-24");

		assertThat(manager.exitCode()).as(manager.output()).isEqualTo(ExitCode.COMPLETED);
		Map<String, Integer> expected = new HashMap<>();
		shop.jdbc().sql("""
				SELECT s.sku, 1000 - coalesce(sum(l.quantity) FILTER (WHERE p.state = 'paid'), 0)
				FROM stock s LEFT JOIN purchase_lines l ON l.sku = s.sku LEFT JOIN purchases p ON p.ref = l.ref
				GROUP BY s.sku
				""").query((rs) -> {
			expected.put(rs.getString(1), rs.getInt(2));
		});
		shop.jdbc().sql("SELECT sku, available FROM stock").query((rs) -> {
			assertThat(rs.getInt(2)).as("stock of %s", rs.getString(1)).isEqualTo(expected.get(rs.getString(1)));
			assertThat(this.stores.redis().opsForValue().get(prefix + rs.getString(1)))
				.as("counter of %s", rs.getString(1))
				.isEqualTo(Integer.toString(rs.getInt(2)));
		});
		assertThat(shop.jdbc().sql("""
				SELECT count(DISTINCT step_name) FROM batch_step_execution
				WHERE step_name LIKE 'restoreCancelledOrdersPartition:%' AND write_count > 0
				""").query(Long.class).single()).isEqualTo(3);
	}

	private StockreconJar shop(int chunkSize) {
		this.stores = DirectStores.fresh();
		StockreconJar jar = this.stores.jar()
			.with("--stockrecon.scale.queue=" + this.queue, "--stockrecon.restore.chunk-size=" + chunkSize,
					"--stockrecon.verify.chunk-size=" + (chunkSize * 2),
					"--stockrecon.verify.first-look-chunk-size=" + (chunkSize * 2),
					"--stockrecon.verify.settle-interval=200ms");
		StockreconJar.Finished migrate = jar.run("run", "--run-date=2000-01-01");
		assertThat(migrate.exitCode()).as(migrate.output()).isEqualTo(ExitCode.COMPLETED);
		ShopData.generate(this.stores.jdbc(), this.stores.redis(), this.stores.keyPrefix(), 1_000, 8_000);
		this.stores.redis().opsForValue().set(this.stores.keyPrefix() + "7", "1");
		return jar;
	}

	private void startWorkers(StockreconJar jar, int count) {
		for (int i = 0; i < count; i++) {
			this.workers.add(jar.start("worker"));
		}
		for (StockreconJar.Launch worker : this.workers) {
			await().atMost(Duration.ofMinutes(1)).until(() -> {
				if (!worker.process().isAlive()) {
					throw new AssertionError("worker ended:\n" + worker.outputText());
				}
				return worker.outputText().contains("listening for partitions");
			});
		}
	}

	/**
	 * The pids stamped into the partitions' execution contexts by the workers that ran
	 * them.
	 */
	private Set<String> workersThatRanPartitions() {
		List<String> contexts = this.stores.jdbc().sql("""
				SELECT c.short_context FROM batch_step_execution s
				JOIN batch_step_execution_context c USING (step_execution_id)
				WHERE s.step_name LIKE '%Partition:partition%'
				""").query(String.class).list();
		return this.workers.stream()
			.map((worker) -> Long.toString(worker.process().pid()))
			.filter((pid) -> contexts.stream()
				.map((context) -> new String(Base64.getDecoder().decode(context), StandardCharsets.ISO_8859_1))
				.anyMatch((context) -> context.contains(pid + "@")))
			.collect(Collectors.toSet());
	}

}
