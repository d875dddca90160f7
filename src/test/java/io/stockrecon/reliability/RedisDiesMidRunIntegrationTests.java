package io.stockrecon.reliability;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.ExtendWith;

import io.stockrecon.cli.ExitCode;
import io.stockrecon.drift.VerifyStepsConfiguration;
import io.stockrecon.stock.StockStoresConfiguration;
import io.stockrecon.support.DirectStores;
import io.stockrecon.support.PrivateRedisServer;
import io.stockrecon.support.RequiresStores;
import io.stockrecon.support.ShopData;
import io.stockrecon.support.StockreconJar;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Redis server dies (SIGKILL) in the middle of a run, while restored units are being
 * delivered or while counters are being verified. The run must fail within a bounded
 * time, not hang; a relaunch while Redis is still down is refused as a configuration
 * error; Redis comes back empty, and {@code restart} leaves every counter back and exact.
 * The Redis is a private {@code redis-server} of this test, ended by its own process
 * handle.
 */
@ExtendWith(RequiresStores.class)
@Tag("reliability")
class RedisDiesMidRunIntegrationTests {

	static final int PRODUCTS = 1_000;

	static final int ORDERS = 10_000;

	/** Redis timeout 5 s per command, a few commands in flight: far less than this. */
	static final Duration NO_HANG = Duration.ofMinutes(2);

	static PrivateRedisServer redis;

	static DirectStores stores;

	static JobWatch watch;

	static StockreconJar jar;

	static Random random;

	static ReliabilityFigures.Tally tally = ReliabilityFigures.tally("RedisDiesMidRun");

	@BeforeAll
	static void shop() {
		Assumptions.assumeTrue(PrivateRedisServer.available(), "redis-server is not on the PATH");
		random = new Random(Seed.of("RedisDiesMidRun"));
		redis = PrivateRedisServer.start();
		stores = DirectStores.fresh(redis);
		StockreconJar.Finished migrate = stores.jar().run("run", "--run-date=2000-01-01");
		assertThat(migrate.exitCode()).as(migrate.output()).isEqualTo(ExitCode.COMPLETED);
		ShopData.generatePaid(stores.jdbc(), stores.redis(), stores.keyPrefix(), PRODUCTS, ORDERS);
		watch = new JobWatch(stores.database());
		jar = stores.jar()
			.withJvm(StockreconJar.QUICK_START)
			.with("--stockrecon.restore.chunk-size=20", "--stockrecon.verify.chunk-size=20",
					"--stockrecon.restore.publish-batch-size=20", "--stockrecon.verify.settle-interval=200ms");
	}

	@AfterAll
	static void close() {
		tally.print();
		if (watch != null) {
			watch.close();
		}
		if (stores != null) {
			stores.close();
		}
		if (redis != null) {
			redis.close();
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { StockStoresConfiguration.PUBLISH_STEP, VerifyStepsConfiguration.FIND_STEP,
			VerifyStepsConfiguration.REPAIR_STEP })
	void shouldFailWithinBoundsAndRestoreEveryCounterOnRestartWhenRedisDies(String step) throws Exception {
		String runDate = "2026-12-%02d".formatted(1 + (int) watch.count("SELECT count(*) FROM batch_job_instance"));
		makeTrouble();
		long before = watch.latestExecution();
		StockreconJar.Launch run = jar.start("run", "--run-date=" + runDate);
		long commits = 1 + random.nextInt(3);
		assertThat(watch.awaitStep(run, before, step, (done) -> done >= commits, Duration.ofMinutes(2)))
			.as("the run reached %s:%n%s", step, run.outputText())
			.isTrue();

		Instant killed = Instant.now();
		redis.kill();
		tally.fault();
		assertThat(run.process().waitFor(NO_HANG.toSeconds(), TimeUnit.SECONDS)).as("no hang: %s", run.outputText())
			.isTrue();
		Duration failedAfter = Duration.between(killed, Instant.now());
		StockreconJar.Finished failed = run.awaitExit();
		assertThat(failed.exitCode()).as(failed.output()).isEqualTo(ExitCode.FAILED);
		assertThat(failed.output()).contains("failure:");

		StockreconJar.Finished refused = jar.run("restart");
		assertThat(refused.exitCode()).as(refused.output()).isEqualTo(ExitCode.USAGE);
		assertThat(refused.output()).contains("Redis could not be reached");

		redis.restart();
		StockreconJar.Finished restarted = jar.run("restart");

		assertThat(restarted.exitCode()).as(restarted.output()).isEqualTo(ExitCode.COMPLETED);
		tally.scenario();
		Conservation.Result result = tally.checked(Conservation.check(stores));
		assertThat(result.violations()).as(result.describe()).isEmpty();
		assertThat(watch.count("SELECT count(*) FROM stockrecon_counter_outbox")).isZero();
		System.out.printf("[reliability] RedisDiesMidRun: Redis killed in %s, the run failed %.1f s later (exit %d)%n",
				step, failedAfter.toMillis() / 1000.0, failed.exitCode());
	}

	/** Cancellations, deletions and a few drifted counters for the run to work on. */
	private static void makeTrouble() {
		stores.jdbc()
			.sql("UPDATE orders SET status = 'cancelled' WHERE id = ANY(:ids) AND status = 'paid'")
			.param("ids", random.longs(ORDERS / 10, 1, ORDERS + 1).toArray())
			.update();
		stores.jdbc()
			.sql("DELETE FROM orders WHERE id = ANY(:ids)")
			.param("ids", random.longs(ORDERS / 50, 1, ORDERS + 1).toArray())
			.update();
		random.longs(PRODUCTS / 5, 1, PRODUCTS + 1)
			.forEach((product) -> stores.redis().opsForValue().set(stores.keyPrefix() + product, "0"));
	}

}
