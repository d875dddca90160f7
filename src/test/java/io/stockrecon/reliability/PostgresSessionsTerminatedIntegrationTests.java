package io.stockrecon.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.stockrecon.cli.ExitCode;
import io.stockrecon.drift.VerifyStepsConfiguration;
import io.stockrecon.restore.RestoreStepsConfiguration;
import io.stockrecon.support.RequiresStores;
import io.stockrecon.support.StockreconJar;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every PostgreSQL session of the job is terminated ({@code pg_terminate_backend}) in the
 * middle of a run, in each step that writes, after a random number of chunks, and in
 * every other scenario once more while the restart redoes that step. The run may fail
 * (exit 1) or go on with fresh connections and complete; either way, after relaunching as
 * an operator would ({@code restart}, or the run again when there is nothing to restart),
 * stock conservation holds exactly.
 * <p>
 * Terminating the session that holds the launch lock releases the lock while the JVM may
 * go on: the test records, for each fault, whether the run was still alive without its
 * lock.
 */
@ExtendWith(RequiresStores.class)
@Tag("reliability")
class PostgresSessionsTerminatedIntegrationTests {

	static final int PRODUCTS = 1_000;

	static final int ORDERS = 10_000;

	static final List<String> STEPS = List.of(RestoreStepsConfiguration.CANCELLED_STEP,
			RestoreStepsConfiguration.DELETED_STEP, RestoreStepsConfiguration.PUBLISH_STEP,
			VerifyStepsConfiguration.FIND_STEP, VerifyStepsConfiguration.REPAIR_STEP);

	static final String TERMINATE = """
			SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity
			WHERE datname = current_database() AND pid <> pg_backend_pid()
			""";

	static final String LAUNCH_LOCKS = """
			SELECT count(*) FROM pg_locks
			WHERE locktype = 'advisory' AND granted
			  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
			""";

	final List<String> observations = new ArrayList<>();

	@RegisterExtension
	static final PrivateShop fixture = PrivateShop.create()
		.named("PostgresSessionsTerminated")
		.withPaidOrders(PRODUCTS, ORDERS)
		.watched()
		.smallChunks("200ms");

	@Test
	void shouldEndExactWhetherTheRunFailsOrGoesOnWhenItsSessionsAreTerminated() throws Exception {
		for (int scenario = 1; scenario <= STEPS.size(); scenario++) {
			String step = STEPS.get(scenario - 1);
			makeTrouble();
			List<String> run = List.of("run", "--run-date=2026-12-%02d".formatted(scenario));
			StockreconJar.Finished first = terminateIn(scenario, step, run);
			StockreconJar.Finished last = first;
			if (first.exitCode() != ExitCode.COMPLETED && scenario % 2 == 1) {
				// and once more while the relaunch redoes the same step
				last = terminateIn(scenario, step, List.of("restart"));
			}
			relaunchUntilCompleted(scenario, last, run);

			fixture.tally().scenario();
			Conservation.Result result = fixture.tally().checked(Conservation.check(fixture.stores()));
			assertThat(result.violations()).as("%s: %s", this.observations, result.describe()).isEmpty();
			assertThat(fixture.watch().count("SELECT count(*) FROM stockrecon_counter_outbox")).isZero();
		}
		this.observations.forEach((line) -> System.out.println("[reliability] PostgresSessionsTerminated: " + line));
	}

	/**
	 * Launches, terminates every session of the database once the step has committed a
	 * random number of chunks, and waits for the launch to end.
	 */
	private StockreconJar.Finished terminateIn(int scenario, String step, List<String> command) throws Exception {
		long before = fixture.watch().latestExecution();
		StockreconJar.Launch launch = fixture.jar().start(command.toArray(String[]::new));
		long commits = fixture.random().nextInt(3);
		if (fixture.watch().awaitStep(launch, before, step, (done) -> done >= commits, Duration.ofMinutes(2))) {
			long terminated = fixture.watch().count(TERMINATE);
			fixture.tally().fault();
			// the killed lock session is gone within moments; is the JVM still at work?
			boolean alive = !launch.process().waitFor(1, TimeUnit.SECONDS);
			this.observations.add("scenario %d: %s: %d sessions terminated in %s; %s".formatted(scenario,
					command.get(0), terminated, step,
					alive ? "the launch went on, %d launch locks held".formatted(fixture.watch().count(LAUNCH_LOCKS))
							: "the launch ended at once"));
		}
		StockreconJar.Finished finished = launch.awaitExit();
		this.observations.add("scenario %d: %s exited %d, execution left %s".formatted(scenario, command.get(0),
				finished.exitCode(), status(fixture.watch().latestExecution())));
		assertThat(finished.exitCode()).as(finished.output()).isIn(ExitCode.COMPLETED, ExitCode.FAILED);
		return finished;
	}

	private static String status(long execution) {
		return fixture.stores()
			.jdbc()
			.sql("SELECT status FROM batch_job_execution WHERE job_execution_id = :id")
			.param("id", execution)
			.query(String.class)
			.optional()
			.orElse("none");
	}

	private void relaunchUntilCompleted(int scenario, StockreconJar.Finished first, List<String> run) {
		StockreconJar.Finished last = first;
		for (int attempt = 1; last.exitCode() != ExitCode.COMPLETED; attempt++) {
			assertThat(attempt).as("relaunches of scenario %d: %s", scenario, this.observations).isLessThanOrEqualTo(3);
			last = fixture.jar().run("restart");
			if (last.exitCode() == ExitCode.REFUSED && last.output().contains("nothing to restart")) {
				last = fixture.jar().run(run.toArray(String[]::new));
			}
			this.observations.add("scenario %d: relaunch %d exited %d".formatted(scenario, attempt, last.exitCode()));
			assertThat(last.exitCode()).as(last.output()).isIn(ExitCode.COMPLETED, ExitCode.FAILED);
		}
	}

	private static void makeTrouble() {
		fixture.stores()
			.jdbc()
			.sql("UPDATE orders SET status = 'cancelled' WHERE id = ANY(:ids) AND status = 'paid'")
			.param("ids", fixture.random().longs(ORDERS / 8, 1, ORDERS + 1).toArray())
			.update();
		fixture.stores()
			.jdbc()
			.sql("DELETE FROM orders WHERE id = ANY(:ids)")
			.param("ids", fixture.random().longs(ORDERS / 25, 1, ORDERS + 1).toArray())
			.update();
		fixture.random()
			.longs(PRODUCTS / 4, 1, PRODUCTS + 1)
			.forEach((product) -> fixture.stores()
				.redis()
				.opsForValue()
				.set(fixture.stores().keyPrefix() + product, "-1"));
	}

}
