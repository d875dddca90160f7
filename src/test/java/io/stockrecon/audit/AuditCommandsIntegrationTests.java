package io.stockrecon.audit;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.test.context.TestPropertySource;

import io.stockrecon.StockreconApplication;
import io.stockrecon.cli.ExitCode;
import io.stockrecon.cli.StockreconCli;
import io.stockrecon.job.LaunchOutcome;
import io.stockrecon.support.Shop;
import io.stockrecon.support.StoresIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code history}, {@code report} and {@code prune} against real runs.
 */
@TestPropertySource(properties = "stockrecon.verify.settle-interval=50ms")
class AuditCommandsIntegrationTests extends StoresIntegrationTest {

	@Autowired
	ApplicationContext context;

	JobExecution nightly;

	@BeforeEach
	void aNightThatRestoredSkippedAndRepaired() {
		Shop shop = emptyShop();
		shop.product(1, 100).product(2, 100).order(1, "paid", 1, 3).order(2, "paid", 2, 4).order(3, "paid", 1, 1);
		this.jdbc.sql("INSERT INTO order_items (order_id, product_id, quantity) VALUES (1, 404, 2)").update();
		shop.cancel(1).delete(2).setCounter(2, "7");
		this.nightly = ((LaunchOutcome.Ran) this.launcher.run(LocalDate.of(2026, 11, 24), false, true)).execution();
	}

	@Test
	void shouldListExecutionsWithStepsRestorationsAndDrift() throws Exception {
		Output text = run("history", "--limit=1");
		Output json = run("history", "--limit=1", "--json");

		assertThat(text.exit()).isZero();
		assertThat(text.out()).contains("Execution " + this.nightly.getId())
			.contains("restoreCancelledOrders")
			.contains("2026-11-24");
		JsonNode execution = new ObjectMapper().readTree(json.out()).get(0);
		assertThat(execution.get("executionId").asLong()).isEqualTo(this.nightly.getId());
		assertThat(execution.get("status").asText()).isEqualTo("COMPLETED");
		assertThat(execution.get("restoredOrders").asLong()).isEqualTo(2);
		assertThat(execution.get("restoredUnits").asLong()).isEqualTo(7);
		assertThat(execution.get("skippedItems").asLong()).isEqualTo(1);
		assertThat(execution.get("driftFound").asLong()).isEqualTo(1);
		assertThat(execution.get("driftRepaired").asLong()).isEqualTo(1);
		assertThat(execution.get("steps").findValuesAsText("name")).contains("restoreCancelledOrders",
				"restoreCancelledOrdersPartition:partition0", "findDrift", "repairDrift");
		for (JsonNode step : execution.get("steps")) {
			if (step.get("name").asText().equals("restoreCancelledOrders")) {
				assertThat(step.get("read").asLong()).isEqualTo(1);
			}
		}
	}

	@Test
	void shouldReportWhatAnExecutionDid() throws Exception {
		Output text = run("report", Long.toString(this.nightly.getId()));
		Output json = run("report", Long.toString(this.nightly.getId()), "--json", "--first=5");

		assertThat(text.exit()).isZero();
		assertThat(text.out()).contains("cancelled")
			.contains("unknown-product")
			.contains("redis-lower repaired")
			.contains("SELECT * FROM stockrecon_drift_audit WHERE job_execution_id = " + this.nightly.getId());
		JsonNode report = new ObjectMapper().readTree(json.out());
		assertThat(report.get("restored").findValuesAsText("reason")).containsExactly("cancelled", "deleted");
		assertThat(report.get("skippedItems").get(0).get("productId").asLong()).isEqualTo(404);
		assertThat(report.get("driftFindings").get(0).get("redisBefore").asText()).isEqualTo("11");
		assertThat(run("report", "999999").exit()).isEqualTo(ExitCode.USAGE);
	}

	@Test
	void shouldPruneEndedExecutionsButKeepTheLedger() {
		long ledger = count("SELECT count(*) FROM stock_restorations");

		Output keepRecent = run("prune", "--older-than=1d");
		Output pruneAll = run("prune", "--older-than=1ms");

		assertThat(keepRecent.exit()).isZero();
		assertThat(pruneAll.exit()).isZero();
		assertThat(count("SELECT count(*) FROM batch_job_execution")).isZero();
		assertThat(count("SELECT count(*) FROM stockrecon_skipped_items")).isZero();
		assertThat(count("SELECT count(*) FROM stockrecon_drift_audit")).isZero();
		assertThat(count("SELECT count(*) FROM stock_restorations")).isEqualTo(ledger).isEqualTo(2);
	}

	@Test
	void shouldNeverPruneAnExecutionThatHasNotEnded() {
		this.jdbc.sql("UPDATE batch_job_execution SET status = 'STARTED', end_time = NULL WHERE job_execution_id = :id")
			.param("id", this.nightly.getId())
			.update();

		run("prune", "--older-than=1ms");

		assertThat(count("SELECT count(*) FROM batch_job_execution")).isEqualTo(1);
		assertThat(count("SELECT count(*) FROM stockrecon_skipped_items")).isEqualTo(1);
		this.jdbc
			.sql("UPDATE batch_job_execution SET status = 'COMPLETED', end_time = now() WHERE job_execution_id = :id")
			.param("id", this.nightly.getId())
			.update();
	}

	private long count(String sql) {
		return this.jdbc.sql(sql).query(Long.class).single();
	}

	/**
	 * Through the command line, as an operator runs it: the read commands start their own
	 * small application.
	 */
	private Output run(String... args) {
		Environment environment = this.context.getEnvironment();
		List<String> line = new ArrayList<>(List.of(args));
		for (String setting : List.of("spring.datasource.url", "spring.datasource.username",
				"spring.datasource.password")) {
			line.add("--%s=%s".formatted(setting, environment.getProperty(setting, "")));
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		int exit = StockreconCli.run(StockreconApplication.class, line.toArray(String[]::new),
				new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
		return new Output(exit, out.toString(StandardCharsets.UTF_8));
	}

	record Output(int exit, String out) {

	}

}
