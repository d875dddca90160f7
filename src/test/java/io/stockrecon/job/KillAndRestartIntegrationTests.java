package io.stockrecon.job;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.stockrecon.cli.ExitCode;
import io.stockrecon.restore.RestoreStepsConfiguration;
import io.stockrecon.support.DirectStores;
import io.stockrecon.support.RequiresStores;
import io.stockrecon.support.ShopData;
import io.stockrecon.support.StockreconJar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged jar is killed with {@code kill -9} in the middle of a restore step, and
 * again in the middle of its own restart; {@code restart} then recovers the stale
 * execution and the stock is exact in both stores.
 */
@ExtendWith(RequiresStores.class)
class KillAndRestartIntegrationTests {

	@AutoClose
	static DirectStores stores;

	@BeforeAll
	static void shop() {
		stores = DirectStores.withShop(2000, 40000);
	}

	@Test
	void shouldGiveExactStockAfterKillsMidStepAndMidRestart() {
		StockreconJar jar = stores.jar().with("--stockrecon.restore.chunk-size=20");

		StockreconJar.Launch first = jar.start("run", "--run-date=2026-11-24");
		awaitCommits(RestoreStepsConfiguration.CANCELLED_STEP, 5, first);
		first.kill();
		assertThat(latestStatus()).isEqualTo("STARTED");

		StockreconJar.Launch restart = jar.start("restart");
		awaitCommits(RestoreStepsConfiguration.CANCELLED_STEP, 15, restart);
		restart.kill();

		StockreconJar.Finished finalRestart = jar.run("restart");

		assertThat(finalRestart.exitCode()).as(finalRestart.output()).isEqualTo(ExitCode.COMPLETED);
		Map<Long, Integer> expected = ShopData.expectedStock(stores.jdbc());
		assertThat(stock()).isEqualTo(expected);
		assertThat(ShopData.redisStock(stores.jdbc(), stores.redis(), stores.keyPrefix())).isEqualTo(expected);
		assertThat(stores.jdbc()
			.sql("SELECT count(*) FROM batch_job_execution WHERE status = 'FAILED'")
			.query(Long.class)
			.single()).isEqualTo(2);
	}

	private static Map<Long, Integer> stock() {
		Map<Long, Integer> stock = new HashMap<>();
		stores.jdbc().sql("SELECT product_id, stock FROM inventory").query((rs) -> {
			stock.put(rs.getLong(1), rs.getInt(2));
		});
		return stock;
	}

	private static String latestStatus() {
		return stores.jdbc()
			.sql("SELECT status FROM batch_job_execution ORDER BY job_execution_id DESC LIMIT 1")
			.query(String.class)
			.single();
	}

	/**
	 * Waits until the latest execution's step has committed that many chunks in total
	 * over all its executions, so that the kill lands in the middle of the step.
	 */
	private static void awaitCommits(String stepName, int commits, StockreconJar.Launch launch) {
		await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50)).until(() -> {
			if (!launch.process().isAlive()) {
				throw new AssertionError("stockrecon ended before it could be killed:\n" + launch.outputText());
			}
			Long done = stores.jdbc()
				.sql("SELECT coalesce(sum(commit_count), 0) FROM batch_step_execution WHERE step_name LIKE :step || '%'")
				.param("step", stepName)
				.query(Long.class)
				.single();
			return done >= commits;
		});
	}

}
