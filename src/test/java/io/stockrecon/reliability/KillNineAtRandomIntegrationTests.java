package io.stockrecon.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
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
 * {@code kill -9} at random points of every step of the nightly job, and of the
 * {@code restart} that follows each kill, chosen from a printed seed. Each round brings
 * new trouble (cancellations, some only findable by {@code --full-scan}, deletions,
 * drifted counters, odd keys), is killed again and again, and is then relaunched to the
 * end; after every round stock conservation must hold exactly in both stores.
 * <p>
 * A kill point is a step and a number of chunks it must have committed first, read from
 * the job repository; the short full-scan step and the window between Redis receiving
 * restored units and PostgreSQL forgetting them are hit exactly through a
 * {@link TableGate}.
 * <p>
 * It runs on stockrecon's own shop, and on a shop mapped by settings (uuid ids, a table
 * named {@code order}, counters as fields of one hash) with a smaller budget of kills
 * that still aims at every step.
 * <p>
 * On stockrecon's own shop, two more faults of the same family: a partition whose context
 * was never stored, and a run sent SIGTERM instead of {@code kill -9}.
 */
@ExtendWith(RequiresStores.class)
@Tag("reliability")
@ParameterizedClass(name = "on the {0} shop")
@EnumSource(ShopKind.class)
class KillNineAtRandomIntegrationTests {

	/**
	 * The shop of this invocation; the class's fixtures are built for it before its
	 * tests, in {@code shop(ShopKind)}.
	 */
	@Parameter
	ShopKind kind;

	/**
	 * The steps in the order kills aim at them. The orphan scan runs beside the first
	 * look and is aimed at first (its gate holds it at its audit write, which comes after
	 * the first look when the scan waited to count the keys); the first look runs again
	 * on every restart, so a later kill still finds it.
	 */
	static final List<String> STEPS = List.of(RestoreStepsConfiguration.FULL_SCAN_STEP,
			RestoreStepsConfiguration.CANCELLED_STEP, RestoreStepsConfiguration.DELETED_STEP,
			RestoreStepsConfiguration.PUBLISH_STEP, VerifyStepsConfiguration.ORPHANS_STEP,
			VerifyStepsConfiguration.FIND_STEP, VerifyStepsConfiguration.REPAIR_STEP);

	static final int PRODUCTS = 1_000;

	static final int ORDERS = 10_000;

	static final int CHUNK = PrivateShop.SMALL_CHUNK;

	/** On stockrecon's own shop: at least 2 rounds and 20 kills, at most 6 rounds. */
	static final Budget DEFAULT_BUDGET = new Budget(2, 20, 6);

	/**
	 * On the mapped shop, which shares every step with the default one: a kill per step
	 * is enough, in at most 3 rounds, to keep the suite's time in bounds.
	 */
	static final Budget MAPPED_BUDGET = new Budget(1, STEPS.size(), 3);

	static final Duration STEP_WAIT = Duration.ofMinutes(2);

	static Budget budget;

	static PrivateShop fixture;

	final Map<String, Integer> landings = new TreeMap<>();

	final List<String> killLog = new ArrayList<>();

	int kills;

	int killsOfRestart;

	@BeforeParameterizedClassInvocation
	static void shop(ShopKind kind) {
		budget = (kind == ShopKind.DEFAULT) ? DEFAULT_BUDGET : MAPPED_BUDGET;
		fixture = PrivateShop.create()
			.named("KillNineAtRandom")
			.of(kind)
			.withPaidOrders(PRODUCTS, ORDERS)
			.watched()
			.smallChunks("1s");
		fixture.start();
	}

	@AfterParameterizedClassInvocation
	static void close() {
		fixture.close();
	}

	@Test
	void shouldGiveExactStockAfterKillsAtRandomPointsOfEveryStepAndOfRestart() {
		for (int round = 1; round <= budget.maxRounds()
				&& (round <= budget.minRounds() || !uncovered().isEmpty() || this.kills < budget.minKills()); round++) {
			makeTrouble(round);
			playRound(round, plan(round));
			assertExactWithNothingLeft("round %d after %s".formatted(round, this.killLog));
		}
		this.killLog.forEach((line) -> System.out.println("[reliability] " + fixture.name() + ": " + line));
		System.out.printf("[reliability] %s: %d kills, %d of them of restart, landed in %s%n", fixture.name(),
				this.kills, this.killsOfRestart, this.landings);

		assertThat(this.kills).isGreaterThanOrEqualTo(budget.minKills());
		assertThat(this.killsOfRestart).isGreaterThanOrEqualTo(budget.minKills() / 2);
		assertThat(uncovered()).as("steps no kill landed in, after %s", this.killLog).isEmpty();
		// the job's own view agrees: a dry-run verify finds no drift
		StockreconJar.Finished dryRun = fixture.jar().run("verify", "--dry-run", "--fail-on-drift");
		assertThat(dryRun.exitCode()).as(dryRun.output()).isEqualTo(ExitCode.COMPLETED);
	}

	/**
	 * Spring Batch stores a partition worker's step execution and its partition context
	 * in two writes; a kill between them leaves the context empty, and every restart used
	 * to copy the empty context on and fail. The random kills above hit that window now
	 * and then; this test puts the repository in exactly that state, then restarts.
	 */
	@ParameterizedTest
	@ValueSource(strings = { RestoreStepsConfiguration.CANCELLED_STEP, VerifyStepsConfiguration.FIND_STEP })
	void shouldRestartAPartitionWorkerWhoseContextWasNeverStored(String step) {
		Assumptions.assumeTrue(this.kind == ShopKind.DEFAULT,
				"a partition's context is the job repository's, whatever the shop: checked on the default shop");
		// an even round keeps the capture queue: a run without --full-scan finds all
		int round = step.equals(VerifyStepsConfiguration.FIND_STEP) ? 12 : 14;
		makeTrouble(round);
		long before = fixture.watch().latestExecution();
		StockreconJar.Launch run = fixture.jar().start("run", "--run-date=2026-11-" + round);
		assertThat(fixture.watch().awaitStep(run, before, step, (done) -> done >= 2, STEP_WAIT)).as(run.outputText())
			.isTrue();
		run.kill();
		fixture.tally().fault();
		int emptied = fixture.stores()
			.jdbc()
			.sql("""
					UPDATE batch_step_execution_context c SET short_context = t.short_context, serialized_context = t.serialized_context
					FROM batch_step_execution w, batch_step_execution s, batch_step_execution_context t
					WHERE c.step_execution_id = w.step_execution_id AND w.step_name LIKE :step || 'Partition:%'
					  AND w.job_execution_id = :execution
					  AND s.job_execution_id = :execution AND s.step_name = :tasklet AND t.step_execution_id = s.step_execution_id
					""")
			.param("step", step)
			.param("execution", fixture.watch().latestExecution())
			.param("tasklet", RestoreStepsConfiguration.FULL_SCAN_STEP)
			.update();

		long partitions = fixture.watch()
			.count("SELECT count(*) FROM batch_step_execution WHERE step_name LIKE ? || 'Partition:%' AND job_execution_id = ?",
					step, fixture.watch().latestExecution());

		StockreconJar.Finished restart = fixture.jar().run("restart");

		assertThat(emptied).as("every partition's context replaced by one without partition keys")
			.isPositive()
			.isEqualTo(partitions);
		assertThat(restart.exitCode()).as(restart.output()).isEqualTo(ExitCode.COMPLETED);
		fixture.tally().scenario();
		Conservation.Result result = fixture.tally().checked(Conservation.check(fixture.stores()));
		assertThat(result.violations()).as(result.describe()).isEmpty();
	}

	/**
	 * SIGTERM (a scheduler's timeout, a pod's eviction, {@code systemctl stop}) ends a
	 * run as {@code kill -9} does, which the README promises operators: at once, with the
	 * JVM's exit code for the signal, the execution left {@code STARTED}; {@code restart}
	 * recovers it and the stock comes out exact. A restore chunk is held at the ledger
	 * when the signal comes, and the gate opens only once the JVM has ended: a JVM that
	 * waited for its chunk or its step before ending would never end.
	 */
	@Test
	void shouldEndARunAtOnceOnSigtermAndLetRestartFinishIt() {
		Assumptions.assumeTrue(this.kind == ShopKind.DEFAULT,
				"how the JVM ends is the same whatever the shop: checked on the default shop");
		// an even round keeps the capture queue: a run without --full-scan finds all
		makeTrouble(16);
		long before = fixture.watch().latestExecution();
		StockreconJar.Launch run = fixture.jar().start("run", "--run-date=2026-11-16");
		assertThat(fixture.watch()
			.awaitStep(run, before, RestoreStepsConfiguration.CANCELLED_STEP, (done) -> done >= 1, STEP_WAIT))
			.as(run.outputText())
			.isTrue();
		StockreconJar.Finished stopped;
		try (TableGate gate = TableGate.close(fixture.stores().database(), "stock_restorations")) {
			assertThat(gate.awaitWaiter(Duration.ofSeconds(30), () -> run.process().isAlive()))
				.as("a restore chunk waits at the ledger: %s", run.outputText())
				.isTrue();
			Assumptions.assumeTrue(run.process().supportsNormalTermination(), "Process.destroy sends SIGTERM");
			run.process().destroy();
			stopped = run.awaitExit();
		}
		fixture.tally().fault();

		assertThat(stopped.exitCode()).as(stopped.output()).isEqualTo(ExitCode.TERMINATED);
		long execution = fixture.watch().latestExecution();
		assertThat(execution).isGreaterThan(before);
		assertThat(fixture.watch()
			.count("SELECT count(*) FROM batch_job_execution WHERE job_execution_id = ? AND status = 'STARTED'",
					execution))
			.isOne();
		StockreconJar.Finished restart = fixture.jar().run("restart");
		assertThat(restart.exitCode()).as(restart.output()).isEqualTo(ExitCode.COMPLETED);
		assertExactWithNothingLeft("after SIGTERM and restart");
	}

	/**
	 * The end of a scenario: stock conserved in both stores, and nothing left over from
	 * the faults (no queued event, no undelivered units, no execution still running).
	 */
	private static void assertExactWithNothingLeft(String scenario) {
		fixture.tally().scenario();
		Conservation.Result result = fixture.tally().checked(Conservation.check(fixture.stores()));
		assertThat(result.violations()).as("%s: %s", scenario, result.describe()).isEmpty();
		assertThat(fixture.watch().count("SELECT count(*) FROM stockrecon_counter_outbox")).isZero();
		assertThat(fixture.watch().count("SELECT count(*) FROM stockrecon_order_events")).isZero();
		assertThat(fixture.watch().count("SELECT count(*) FROM batch_job_execution WHERE status = 'STARTED'")).isZero();
	}

	private Set<String> uncovered() {
		Set<String> uncovered = new LinkedHashSet<>(STEPS);
		uncovered.removeAll(this.landings.keySet());
		return uncovered;
	}

	/**
	 * New work and new drift for a round: cancellations in any case and spacing, in odd
	 * rounds only findable by {@code --full-scan} (their queue rows are dropped, as for
	 * orders cancelled before stockrecon was installed), deletions of orders in any
	 * state, counters set wrong or removed, and counters that name no product.
	 */
	private void makeTrouble(int round) {
		TestShop shop = fixture.shop();
		Random random = fixture.random();
		List<String> spellings = shop.cancelledSpellings();
		long[] cancelled = random.longs(ORDERS / 12, 1, ORDERS + 1).toArray();
		String[] statuses = new String[cancelled.length];
		for (int i = 0; i < statuses.length; i++) {
			statuses[i] = spellings.get(random.nextInt(spellings.size()));
		}
		assertThat(shop.cancel(cancelled, statuses)).as("orders cancelled").isPositive();
		if (round % 2 == 1) {
			fixture.stores().jdbc().sql("DELETE FROM stockrecon_order_events WHERE kind = 'cancelled'").update();
		}
		assertThat(shop.delete(random.longs(ORDERS / 25, 1, ORDERS + 1).toArray())).as("orders deleted").isPositive();
		Map<String, String> drifted = new HashMap<>();
		for (int i = 0; i < PRODUCTS / 4; i++) {
			String product = shop.productKey(1 + random.nextInt(PRODUCTS));
			switch (random.nextInt(4)) {
				case 0 -> shop.deleteCounter(product);
				case 1 -> drifted.put(product, Integer.toString(random.nextInt(2_000_000)));
				case 2 -> drifted.put(product, "-" + (1 + random.nextInt(100)));
				default -> drifted.put(product, "garbage-" + round);
			}
		}
		drifted.put("abc" + round, "7");
		drifted.put("-" + round, "7");
		drifted.put(shop.productKey(PRODUCTS + round), "7");
		shop.setCounters(drifted);
	}

	/**
	 * The kill points of a round, in step order. The first round aims once at every step;
	 * later rounds at a random number of points per step; and some kills come after a
	 * random delay instead, wherever the launch then is (often still starting or
	 * recovering the execution it restarts).
	 */
	private List<Target> plan(int round) {
		Random random = fixture.random();
		List<Target> plan = new ArrayList<>();
		for (String step : STEPS) {
			int count = (round == 1 || uncovered().contains(step)) ? 1 : 1 + random.nextInt(2);
			for (int i = 0; i < count; i++) {
				plan.add(target(step));
			}
		}
		// a delay before a step no kill has landed in yet may carry the launch past it,
		// or
		// to its end: it comes last until every step is covered
		int at = uncovered().isEmpty() ? random.nextInt(plan.size() + 1) : plan.size();
		plan.add(at, new Target(null, Mode.DELAY, random.nextDouble()));
		return plan;
	}

	private static Target target(String step) {
		Mode mode = switch (step) {
			/*
			 * Steps too short to be caught by their commits: a gate holds them at their
			 * audit write.
			 */
			case RestoreStepsConfiguration.FULL_SCAN_STEP, VerifyStepsConfiguration.ORPHANS_STEP,
					VerifyStepsConfiguration.REPAIR_STEP ->
				Mode.GATE;
			case RestoreStepsConfiguration.PUBLISH_STEP -> fixture.random().nextBoolean() ? Mode.GATE : Mode.COMMITS;
			default -> Mode.COMMITS;
		};
		return new Target(step, mode, fixture.random().nextDouble());
	}

	private void playRound(int round, List<Target> plan) {
		long roundStart = fixture.watch().latestExecution();
		List<String> run = List.of("run", "--run-date=2026-12-%02d".formatted(round), "--full-scan");
		for (Target target : plan) {
			// the first look runs again on every restart, even when it completed
			if (target.step() != null && !target.step().equals(VerifyStepsConfiguration.FIND_STEP)
					&& stepCompletedSince(roundStart, target.step())) {
				continue;
			}
			boolean restart = fixture.watch().latestExecution() > roundStart;
			long before = fixture.watch().latestExecution();
			TableGate gate = (target.mode() == Mode.GATE) ? launchGate(target.step()) : null;
			StockreconJar.Launch launch = restart ? fixture.jar().start("restart")
					: fixture.jar().start(run.toArray(String[]::new));
			try {
				if (!strike(target, launch, before, gate)) {
					StockreconJar.Finished finished = launch.awaitExit();
					this.killLog.add("round %d: %s ended by itself before %s, exit %d".formatted(round,
							restart ? "restart" : "run", target, finished.exitCode()));
					assertThat(finished.exitCode()).as(finished.output()).isIn(ExitCode.COMPLETED, ExitCode.FAILED);
					if (finished.exitCode() == ExitCode.COMPLETED) {
						return;
					}
					continue;
				}
			}
			finally {
				if (gate != null) {
					gate.close();
				}
			}
			String landing = fixture.watch().landing(before, target.step());
			this.kills++;
			fixture.tally().fault();
			if (restart) {
				this.killsOfRestart++;
			}
			this.landings.merge(landing, 1, Integer::sum);
			this.killLog.add("round %d: kill %d of %s aimed at %s, landed in %s".formatted(round, this.kills,
					restart ? "restart" : "run", target, landing));
		}
		finish(round, roundStart, run);
	}

	/**
	 * The gate closed before the launch starts, for a step that the earlier steps never
	 * wait on: the queue for the full scan, the audit table for the orphan scan (the
	 * first step that writes it).
	 */
	private static TableGate launchGate(String step) {
		return switch (step) {
			case RestoreStepsConfiguration.FULL_SCAN_STEP ->
				TableGate.close(fixture.stores().database(), "stockrecon_order_events");
			case VerifyStepsConfiguration.ORPHANS_STEP ->
				TableGate.close(fixture.stores().database(), "stockrecon_drift_audit");
			default -> null;
		};
	}

	/**
	 * Waits for the target and kills the launch there.
	 * @return whether it was killed; {@code false} when it ended first
	 */
	private boolean strike(Target target, StockreconJar.Launch launch, long before, TableGate scanGate) {
		if (target.mode() == Mode.DELAY) {
			long delayMillis = 300 + (long) (target.fraction() * 5_700);
			if (waitFor(launch, delayMillis)) {
				return false;
			}
			launch.kill();
			return true;
		}
		if (!fixture.watch().awaitStep(launch, before, target.step(), (commits) -> true, STEP_WAIT)) {
			return false;
		}
		if (scanGate != null) {
			scanGate.awaitWaiter(Duration.ofSeconds(30), () -> launch.process().isAlive());
		}
		else {
			long share = (long) (target.fraction() * expectedCommits(target.step()) / 2);
			// the publish step's first commit is its plan, before anything reaches Redis
			long commits = target.step().equals(VerifyStepsConfiguration.REPAIR_STEP) ? 0
					: target.step().equals(RestoreStepsConfiguration.PUBLISH_STEP) ? Math.max(1, share) : share;
			if (!fixture.watch().awaitStep(launch, before, target.step(), (done) -> done >= commits, STEP_WAIT)) {
				return false;
			}
			if (target.mode() == Mode.GATE) {
				/*
				 * Publish (past its first commit, the plan, whose update the gate would
				 * stop): Redis gets the next delivery, then its outbox rows cannot be
				 * deleted, so the kill lands between the two stores. Repair: it waits out
				 * the settle interval, then cannot write its findings.
				 */
				String table = target.step().equals(VerifyStepsConfiguration.REPAIR_STEP) ? "stockrecon_drift_audit"
						: "stockrecon_counter_outbox";
				try (TableGate gate = TableGate.close(fixture.stores().database(), table)) {
					gate.awaitWaiter(Duration.ofSeconds(30), () -> launch.process().isAlive());
					if (!launch.process().isAlive()) {
						return false;
					}
					launch.kill();
					return true;
				}
			}
		}
		if (!launch.process().isAlive()) {
			return false;
		}
		launch.kill();
		return true;
	}

	/** Roughly how many chunks the step has to commit in this launch. */
	private static long expectedCommits(String step) {
		return switch (step) {
			case RestoreStepsConfiguration.CANCELLED_STEP ->
				fixture.watch().count("SELECT count(*) FROM stockrecon_order_events WHERE kind = 'cancelled'") / CHUNK;
			case RestoreStepsConfiguration.DELETED_STEP ->
				fixture.watch().count("SELECT count(*) FROM stockrecon_order_events WHERE kind = 'deleted'") / CHUNK;
			// a publish batch is one outbox row (a restore chunk's) at the least
			case RestoreStepsConfiguration.PUBLISH_STEP ->
				fixture.watch().count("SELECT count(*) FROM stockrecon_counter_outbox");
			case VerifyStepsConfiguration.FIND_STEP ->
				PRODUCTS / CHUNK / VerifyStepsConfiguration.FIRST_LOOK_PAGES_PER_TRANSACTION;
			case VerifyStepsConfiguration.REPAIR_STEP ->
				fixture.watch().count("SELECT count(*) FROM stockrecon_drift_suspects") / CHUNK;
			// SCAN pages over the whole key space: at least one per CHUNK counters
			default -> 10;
		};
	}

	/**
	 * Relaunches until the round's execution completes: {@code restart}, or the run again
	 * when no execution of this round exists yet.
	 */
	private void finish(int round, long roundStart, List<String> run) {
		for (int attempt = 1; attempt <= 3; attempt++) {
			boolean restart = fixture.watch().latestExecution() > roundStart;
			StockreconJar.Finished finished = restart ? fixture.jar().run("restart")
					: fixture.jar().run(run.toArray(String[]::new));
			if (finished.exitCode() == ExitCode.COMPLETED
					|| (finished.exitCode() == ExitCode.REFUSED && finished.output().contains("completed"))) {
				return;
			}
			this.killLog
				.add("round %d: final %s exited %d".formatted(round, restart ? "restart" : "run", finished.exitCode()));
			assertThat(finished.exitCode()).as(finished.output()).isEqualTo(ExitCode.FAILED);
		}
		throw new AssertionError("round %d did not complete in 3 relaunches: %s".formatted(round, this.killLog));
	}

	private static boolean stepCompletedSince(long execution, String step) {
		return fixture.watch().count("""
				SELECT count(*) FROM batch_step_execution
				WHERE job_execution_id > ? AND step_name = ? AND status = 'COMPLETED'
				""", execution, step) > 0;
	}

	/**
	 * @return whether the launch ended within the delay
	 */
	private static boolean waitFor(StockreconJar.Launch launch, long millis) {
		try {
			return launch.process().waitFor(millis, TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * How long the random kills go on: at least {@code minRounds} rounds and
	 * {@code minKills} kills, and on until every step was hit, for at most
	 * {@code maxRounds} rounds.
	 */
	record Budget(int minRounds, int minKills, int maxRounds) {

	}

	/** How a kill point is reached. */
	enum Mode {

		/** after a number of committed chunks of the step */
		COMMITS,

		/** at a write of the step held back by a table lock */
		GATE,

		/** after a random delay from the launch, wherever it is */
		DELAY

	}

	/**
	 * A kill point: a step (none for {@link Mode#DELAY}), how it is reached, and a random
	 * fraction that picks the chunk or the delay.
	 */
	record Target(String step, Mode mode, double fraction) {

		@Override
		public String toString() {
			return (this.step != null) ? "%s(%s %.2f)".formatted(this.step, this.mode, this.fraction)
					: "delay(%.2f)".formatted(this.fraction);
		}

	}

}
