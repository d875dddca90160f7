package io.stockrecon.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.stockrecon.cli.ExitCode;
import io.stockrecon.support.RequiresStores;
import io.stockrecon.support.ShopData;
import io.stockrecon.support.StockreconJar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three launches at once, for three run dates: one runs, the other two exit 3 naming it.
 * The one that runs is held inside its full-scan step by a {@link TableGate} until the
 * other two have ended, so that the overlap is certain however slowly the JVMs start.
 */
@ExtendWith(RequiresStores.class)
@Tag("reliability")
class ThreeLaunchesAtOnceIntegrationTests {

	@RegisterExtension
	static final PrivateShop fixture = PrivateShop.create()
		.named("ThreeLaunchesAtOnce")
		.filled((stores) -> ShopData.generate(stores.jdbc(), stores.redis(), stores.keyPrefix(), 500, 5_000));

	@Test
	void shouldRunOneOfThreeLaunchesAndRefuseTheOthersNamingIt() {
		StockreconJar jar = fixture.jar().with("--stockrecon.verify.settle-interval=200ms");
		List<StockreconJar.Launch> launches = new ArrayList<>();
		StockreconJar.Launch winner;
		try (TableGate gate = TableGate.close(fixture.stores().database(), "stockrecon_order_events")) {
			for (int day = 1; day <= 3; day++) {
				launches.add(jar.start("run", "--run-date=2026-12-0" + day, "--full-scan"));
			}
			fixture.tally().faults(2);
			assertThat(gate.awaitWaiter(Duration.ofMinutes(2), () -> true)).as("one launch reached the gate").isTrue();
			// the two refused launches end while the one at the gate cannot
			await().atMost(Duration.ofMinutes(2))
				.until(() -> launches.stream().filter((launch) -> launch.process().isAlive()).count() <= 1);
			List<StockreconJar.Launch> alive = launches.stream()
				.filter((launch) -> launch.process().isAlive())
				.toList();
			assertThat(alive).as("the launch held at the gate").hasSize(1);
			winner = alive.get(0);
		}
		StockreconJar.Finished won = winner.awaitExit();
		List<StockreconJar.Finished> refused = launches.stream()
			.filter((launch) -> launch != winner)
			.map(StockreconJar.Launch::awaitExit)
			.toList();

		assertThat(won.exitCode()).as(won.output()).isEqualTo(ExitCode.COMPLETED);
		long execution = fixture.stores()
			.jdbc()
			.sql("SELECT max(job_execution_id) FROM batch_job_execution")
			.query(Long.class)
			.single();
		assertThat(refused).allSatisfy((result) -> {
			assertThat(result.exitCode()).as(result.output()).isEqualTo(ExitCode.REFUSED);
			assertThat(result.output()).contains("execution %d is running".formatted(execution));
		});
		assertThat(fixture.stores().jdbc().sql("SELECT count(*) FROM batch_job_execution").query(Long.class).single())
			.as("the migration's run and the winner's, nothing else")
			.isEqualTo(2);
		fixture.tally().scenario();
		Conservation.Result result = fixture.tally().checked(Conservation.check(fixture.stores()));
		assertThat(result.violations()).as(result.describe()).isEmpty();
	}

}
