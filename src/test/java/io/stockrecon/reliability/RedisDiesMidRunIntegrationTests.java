package io.stockrecon.reliability;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.stockrecon.cli.ExitCode;
import io.stockrecon.drift.VerifyStepsConfiguration;
import io.stockrecon.restore.RestoreStepsConfiguration;
import io.stockrecon.support.RequiresStores;
import io.stockrecon.support.ShopKind;
import io.stockrecon.support.StockreconJar;
import io.stockrecon.support.TestShop;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Redis server dies (SIGKILL) in the middle of a run, while restored units are being
 * delivered or while counters are being verified. The run must fail within a bounded
 * time, not hang; a relaunch while Redis is still down is refused as a configuration
 * error; Redis comes back empty, and {@code restart} leaves every counter back and exact.
 * The Redis is a private {@code redis-server} of this test, ended by its own process
 * handle. It runs on stockrecon's own shop and on a mapped one with uuid ids whose
 * counters are fields of one hash, which Redis loses whole.
 */
@ExtendWith(RequiresStores.class)
@Tag("reliability")
@ParameterizedClass(name = "on the {0} shop")
@EnumSource(ShopKind.class)
class RedisDiesMidRunIntegrationTests {

	/**
	 * The shop of this invocation; the class's fixtures are built for it before its
	 * tests, in {@code shop(ShopKind)}.
	 */
	@Parameter
	ShopKind kind;

	static final int PRODUCTS = 1_000;

	static final int ORDERS = 10_000;

	/** Redis timeout 5 s per command, a few commands in flight: far less than this. */
	static final Duration NO_HANG = Duration.ofMinutes(2);

	static PrivateShop fixture;

	@BeforeParameterizedClassInvocation
	static void shop(ShopKind kind) {
		fixture = PrivateShop.create()
			.named("RedisDiesMidRun")
			.of(kind)
			.withPaidOrders(PRODUCTS, ORDERS)
			.watched()
			.smallChunks("200ms");
		fixture.start();
	}

	@AfterParameterizedClassInvocation
	static void close() {
		fixture.close();
	}

	@ParameterizedTest
	@ValueSource(strings = { RestoreStepsConfiguration.PUBLISH_STEP, VerifyStepsConfiguration.FIND_STEP,
			VerifyStepsConfiguration.REPAIR_STEP })
	void shouldFailWithinBoundsAndRestoreEveryCounterOnRestartWhenRedisDies(String step) throws Exception {
		String runDate = "2026-12-%02d"
			.formatted(1 + (int) fixture.watch().count("SELECT count(*) FROM batch_job_instance"));
		makeTrouble();
		long before = fixture.watch().latestExecution();
		StockreconJar.Launch run = fixture.jar().start("run", "--run-date=" + runDate);
		// the publish step commits its plan, then a few deliveries in a tenth of a second
		// here, so it is caught after its first commit; the other steps commit often
		long commits = step.equals(RestoreStepsConfiguration.PUBLISH_STEP) ? 1 : 1 + fixture.random().nextInt(3);
		assertThat(fixture.watch().awaitStep(run, before, step, (done) -> done >= commits, Duration.ofMinutes(2)))
			.as("the run reached %s:%n%s", step, run.outputText())
			.isTrue();

		Instant killed = Instant.now();
		fixture.redis().kill();
		fixture.tally().fault();
		assertThat(run.process().waitFor(NO_HANG.toSeconds(), TimeUnit.SECONDS)).as("no hang: %s", run.outputText())
			.isTrue();
		Duration failedAfter = Duration.between(killed, Instant.now());
		StockreconJar.Finished failed = run.awaitExit();
		assertThat(failed.exitCode()).as(failed.output()).isEqualTo(ExitCode.FAILED);
		assertThat(failed.output()).contains("failure:");

		StockreconJar.Finished refused = fixture.jar().run("restart");
		assertThat(refused.exitCode()).as(refused.output()).isEqualTo(ExitCode.USAGE);
		assertThat(refused.output()).contains("Redis could not be reached");

		fixture.redis().restart();
		StockreconJar.Finished restarted = fixture.jar().run("restart");

		assertThat(restarted.exitCode()).as(restarted.output()).isEqualTo(ExitCode.COMPLETED);
		fixture.tally().scenario();
		Conservation.Result result = fixture.tally().checked(Conservation.check(fixture.stores()));
		assertThat(result.violations()).as(result.describe()).isEmpty();
		assertThat(fixture.watch().count("SELECT count(*) FROM stockrecon_counter_outbox")).isZero();
		System.out.printf("[reliability] %s: Redis killed in %s, the run failed %.1f s later (exit %d)%n",
				fixture.name(), step, failedAfter.toMillis() / 1000.0, failed.exitCode());
	}

	/** Cancellations, deletions and a few drifted counters for the run to work on. */
	private static void makeTrouble() {
		TestShop shop = fixture.shop();
		Random random = fixture.random();
		long[] cancelled = random.longs(ORDERS / 10, 1, ORDERS + 1).toArray();
		String[] statuses = new String[cancelled.length];
		Arrays.fill(statuses, shop.cancelledSpellings().get(0));
		assertThat(shop.cancel(cancelled, statuses)).as("orders cancelled").isPositive();
		assertThat(shop.delete(random.longs(ORDERS / 50, 1, ORDERS + 1).toArray())).as("orders deleted").isPositive();
		Map<String, String> zeroed = new HashMap<>();
		random.longs(PRODUCTS / 5, 1, PRODUCTS + 1).forEach((product) -> zeroed.put(shop.productKey(product), "0"));
		shop.setCounters(zeroed);
	}

}
