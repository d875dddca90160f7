package io.stockrecon.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;

import io.stockrecon.JobParameterNames;
import io.stockrecon.drift.DriftAction;

/**
 * Reads the job repository and stockrecon's audit tables back for {@code history} and
 * {@code report}: what each execution did, per step and in units.
 */
public class ExecutionHistory {

	private static final String EXECUTIONS = """
			SELECT e.job_execution_id, i.job_name, e.status, e.exit_code, e.start_time, e.end_time,
			       (SELECT p.parameter_value FROM batch_job_execution_params p
			        WHERE p.job_execution_id = e.job_execution_id AND p.parameter_name = :runDateParameter) AS run_date
			FROM batch_job_execution e JOIN batch_job_instance i USING (job_instance_id)
			WHERE (CAST(:executionId AS bigint) IS NULL OR e.job_execution_id = CAST(:executionId AS bigint))
			ORDER BY e.job_execution_id DESC
			LIMIT :limit
			""";

	private static final String STEPS = """
			SELECT step_name, status, read_count, write_count, filter_count,
			       read_skip_count + write_skip_count + process_skip_count AS skip_count, start_time, end_time
			FROM batch_step_execution WHERE job_execution_id = :executionId
			ORDER BY step_execution_id
			""";

	private static final String RESTORED = """
			SELECT reason, count(*) AS orders, coalesce(sum(units), 0) AS units
			FROM stock_restorations WHERE job_execution_id = :executionId
			GROUP BY reason ORDER BY reason
			""";

	private static final String SKIPPED_BY_REASON = """
			SELECT reason AS label, count(*) AS count FROM stockrecon_skipped_items
			WHERE job_execution_id = :executionId GROUP BY reason ORDER BY reason
			""";

	private static final String FIRST_SKIPPED = """
			SELECT order_id::text AS order_id, product_id::text AS product_id, quantity, reason FROM stockrecon_skipped_items
			WHERE job_execution_id = :executionId ORDER BY id LIMIT :first
			""";

	private static final String DRIFT_BY_KIND = """
			SELECT kind || ' ' || action AS label, count(*) AS count FROM stockrecon_drift_audit
			WHERE job_execution_id = :executionId GROUP BY kind, action ORDER BY kind, action
			""";

	private static final String FIRST_DRIFT = """
			SELECT product_id::text AS product_id, redis_key, kind, redis_before, postgres_value, redis_after, action
			FROM stockrecon_drift_audit WHERE job_execution_id = :executionId ORDER BY id LIMIT :first
			""";

	private final JdbcClient jdbc;

	private final ExecutionAudit audit;

	public ExecutionHistory(JdbcClient jdbc, ExecutionAudit audit) {
		this.jdbc = jdbc;
		this.audit = audit;
	}

	/** The latest executions, newest first. */
	public List<ExecutionSummary> latest(int limit) {
		return executions(null, limit);
	}

	/**
	 * What one execution did, with its first {@code first} skipped items and findings.
	 */
	public Optional<ExecutionReport> report(long executionId, int first) {
		return executions(executionId, 1).stream().findFirst().map((execution) -> {
			List<ExecutionReport.ReasonTotal> restored = this.jdbc.sql(RESTORED)
				.param("executionId", executionId)
				.query(ExecutionReport.ReasonTotal.class)
				.list();
			List<ExecutionReport.CountBy> skippedByReason = this.jdbc.sql(SKIPPED_BY_REASON)
				.param("executionId", executionId)
				.query(ExecutionReport.CountBy.class)
				.list();
			List<ExecutionReport.SkippedItem> skipped = this.jdbc.sql(FIRST_SKIPPED)
				.param("executionId", executionId)
				.param("first", first)
				.query(ExecutionReport.SkippedItem.class)
				.list();
			List<ExecutionReport.CountBy> driftByKind = this.jdbc.sql(DRIFT_BY_KIND)
				.param("executionId", executionId)
				.query(ExecutionReport.CountBy.class)
				.list();
			List<ExecutionReport.DriftFinding> drift = this.jdbc.sql(FIRST_DRIFT)
				.param("executionId", executionId)
				.param("first", first)
				.query((rs, row) -> new ExecutionReport.DriftFinding(rs.getString("product_id"),
						rs.getString("redis_key"), rs.getString("kind"), rs.getString("redis_before"),
						rs.getObject("postgres_value", Long.class), rs.getString("redis_after"),
						rs.getString("action")))
				.list();
			List<String> queries = List.of(
					"SELECT * FROM stock_restorations WHERE job_execution_id = %d ORDER BY order_id;"
						.formatted(executionId),
					"SELECT * FROM stockrecon_skipped_items WHERE job_execution_id = %d ORDER BY id;"
						.formatted(executionId),
					"SELECT * FROM stockrecon_drift_audit WHERE job_execution_id = %d ORDER BY id;"
						.formatted(executionId));
			return new ExecutionReport(execution, restored, skippedByReason, skipped, driftByKind, drift, queries);
		});
	}

	private List<ExecutionSummary> executions(Long executionId, int limit) {
		List<ExecutionRow> rows = this.jdbc.sql(EXECUTIONS)
			.param("runDateParameter", JobParameterNames.RUN_DATE)
			.param("executionId", executionId)
			.param("limit", limit)
			.query((rs, row) -> new ExecutionRow(rs.getLong("job_execution_id"), rs.getString("job_name"),
					rs.getString("run_date"), rs.getString("status"), rs.getString("exit_code"),
					localTime(rs, "start_time"), localTime(rs, "end_time")))
			.list();
		List<ExecutionSummary> executions = new ArrayList<>();
		for (ExecutionRow row : rows) {
			RestorationTotals restored = this.audit.restorations(row.id());
			DriftTotals drift = this.audit.drift(row.id());
			executions.add(new ExecutionSummary(row.id(), row.job(), row.runDate(), row.status(), row.exitCode(),
					text(row.start()), text(row.end()), seconds(row.start(), row.end()), steps(row.id()),
					restored.orders(), restored.units(), restored.skipped(), drift.confirmedDrift(),
					drift.count(DriftAction.REPAIRED)));
		}
		return executions;
	}

	private List<ExecutionSummary.StepSummary> steps(long executionId) {
		return this.jdbc.sql(STEPS)
			.param("executionId", executionId)
			.query((rs, row) -> new ExecutionSummary.StepSummary(rs.getString("step_name"), rs.getString("status"),
					rs.getLong("read_count"), rs.getLong("write_count"), rs.getLong("filter_count"),
					rs.getLong("skip_count"), seconds(localTime(rs, "start_time"), localTime(rs, "end_time"))))
			.list();
	}

	private static LocalDateTime localTime(ResultSet rs, String column) throws SQLException {
		Timestamp timestamp = rs.getTimestamp(column);
		return (timestamp != null) ? timestamp.toLocalDateTime() : null;
	}

	private static String text(LocalDateTime time) {
		return (time != null) ? time.withNano(0).toString().replace('T', ' ') : null;
	}

	private static double seconds(LocalDateTime start, LocalDateTime end) {
		if (start == null) {
			return 0;
		}
		LocalDateTime until = (end != null) ? end : LocalDateTime.now();
		return Duration.between(start, until).toMillis() / 1000.0;
	}

	private record ExecutionRow(long id, String job, String runDate, String status, String exitCode,
			LocalDateTime start, LocalDateTime end) {

	}

}
