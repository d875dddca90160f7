package io.stockrecon.audit;

import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code prune}: removes the job repository and audit rows of executions that ended
 * before a cutoff. It never touches an execution that has not ended, nor the
 * {@code stock_restorations} ledger: exactly-once depends on the ledger for the lifetime
 * of every order.
 */
public class RepositoryPruning {

	private static final String MARK_PRUNED = """
			CREATE TEMPORARY TABLE stockrecon_pruned ON COMMIT DROP AS
			SELECT job_execution_id FROM batch_job_execution
			WHERE end_time IS NOT NULL AND end_time < :cutoff
			  AND status NOT IN ('STARTING', 'STARTED', 'STOPPING')
			""";

	/** Children before parents; each statement reads the executions marked above. */
	private static final Map<String, String> DELETIONS = orderedDeletions();

	private final JdbcClient jdbc;

	private final TransactionTemplate transaction;

	public RepositoryPruning(JdbcClient jdbc, PlatformTransactionManager transactionManager) {
		this.jdbc = jdbc;
		this.transaction = new TransactionTemplate(transactionManager);
	}

	/**
	 * Prunes, in one transaction, everything of executions that ended before the cutoff.
	 * @return rows removed, by table
	 */
	public Map<String, Integer> pruneEndedBefore(LocalDateTime cutoff) {
		return this.transaction.execute((status) -> {
			this.jdbc.sql(MARK_PRUNED).param("cutoff", cutoff).update();
			Map<String, Integer> removed = new LinkedHashMap<>();
			DELETIONS.forEach((table, sql) -> removed.put(table, this.jdbc.sql(sql).update()));
			return removed;
		});
	}

	private static Map<String, String> orderedDeletions() {
		Map<String, String> deletions = new LinkedHashMap<>();
		deletions.put("stockrecon_skipped_items",
				"""
						DELETE FROM stockrecon_skipped_items WHERE job_execution_id IN (SELECT job_execution_id FROM stockrecon_pruned)
						""");
		deletions.put("stockrecon_drift_audit",
				"""
						DELETE FROM stockrecon_drift_audit WHERE job_execution_id IN (SELECT job_execution_id FROM stockrecon_pruned)
						""");
		deletions.put("batch_step_execution_context", """
				DELETE FROM batch_step_execution_context WHERE step_execution_id IN (
				    SELECT step_execution_id FROM batch_step_execution
				    WHERE job_execution_id IN (SELECT job_execution_id FROM stockrecon_pruned))
				""");
		deletions.put("batch_step_execution",
				"""
						DELETE FROM batch_step_execution WHERE job_execution_id IN (SELECT job_execution_id FROM stockrecon_pruned)
						""");
		deletions.put("batch_job_execution_context",
				"""
						DELETE FROM batch_job_execution_context WHERE job_execution_id IN (SELECT job_execution_id FROM stockrecon_pruned)
						""");
		deletions.put("batch_job_execution_params",
				"""
						DELETE FROM batch_job_execution_params WHERE job_execution_id IN (SELECT job_execution_id FROM stockrecon_pruned)
						""");
		deletions.put("batch_job_execution",
				"""
						DELETE FROM batch_job_execution WHERE job_execution_id IN (SELECT job_execution_id FROM stockrecon_pruned)
						""");
		deletions.put("batch_job_instance", """
				DELETE FROM batch_job_instance i
				WHERE NOT EXISTS (SELECT 1 FROM batch_job_execution e WHERE e.job_instance_id = i.job_instance_id)
				""");
		deletions.put("stockrecon_drift_suspects", """
				DELETE FROM stockrecon_drift_suspects s
				WHERE NOT EXISTS (SELECT 1 FROM batch_job_instance i WHERE i.job_instance_id = s.job_instance_id)
				""");
		return deletions;
	}

}
