package io.stockrecon.audit;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Reads what an execution did from the tables it wrote in the same transactions as its
 * work, so the figures are exact even after crashes and relaunches.
 */
public class ExecutionAudit {

	private static final String RESTORED = """
			SELECT reason, count(*) AS orders, coalesce(sum(units), 0) AS units
			FROM stock_restorations WHERE job_execution_id = :executionId
			GROUP BY reason ORDER BY reason
			""";

	private static final String SKIPPED = """
			SELECT reason, count(*) AS items FROM stockrecon_skipped_items
			WHERE job_execution_id = :executionId
			GROUP BY reason ORDER BY reason
			""";

	/**
	 * Products per row, not rows: a row holds a restore chunk's products (a product that
	 * several chunks restored counts once for each).
	 */
	private static final String PENDING = """
			SELECT coalesce(sum(products), 0) FROM stockrecon_counter_outbox
			""";

	private static final String DRIFT = """
			SELECT kind, action, count(*) AS findings FROM stockrecon_drift_audit
			WHERE job_execution_id = :executionId
			GROUP BY kind, action ORDER BY kind, action
			""";

	private final JdbcClient jdbc;

	public ExecutionAudit(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public RestorationTotals restorations(long executionId) {
		Map<String, Long> orders = new LinkedHashMap<>();
		Map<String, Long> units = new LinkedHashMap<>();
		this.jdbc.sql(RESTORED).param("executionId", executionId).query((rs) -> {
			orders.put(rs.getString("reason"), rs.getLong("orders"));
			units.put(rs.getString("reason"), rs.getLong("units"));
		});
		Map<String, Long> skipped = new LinkedHashMap<>();
		this.jdbc.sql(SKIPPED).param("executionId", executionId).query((rs) -> {
			skipped.put(rs.getString("reason"), rs.getLong("items"));
		});
		long pending = this.jdbc.sql(PENDING).query(Long.class).single();
		return new RestorationTotals(orders, units, skipped, pending);
	}

	public DriftTotals drift(long executionId) {
		Map<String, Map<String, Long>> byKind = new LinkedHashMap<>();
		this.jdbc.sql(DRIFT).param("executionId", executionId).query((rs) -> {
			byKind.computeIfAbsent(rs.getString("kind"), (kind) -> new LinkedHashMap<>())
				.put(rs.getString("action"), rs.getLong("findings"));
		});
		return new DriftTotals(byKind);
	}

}
