package io.stockrecon.restore;

import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@code run --full-scan}: re-examines the whole order history by queueing every
 * cancelled order that the ledger does not know yet. The queue and the ledger then make
 * the backfill exactly as safe as a nightly run. Orders deleted before stockrecon was
 * installed left no trace and cannot be found.
 */
class CancelledHistoryScan implements Tasklet {

	static final String FULL_SCAN_PARAMETER = "full.scan";

	private static final String QUEUE_UNRESTORED_CANCELLATIONS = """
			INSERT INTO stockrecon_order_events (order_id, kind, status)
			SELECT o.id, 'cancelled', o.status FROM orders o
			WHERE lower(btrim(o.status, E' \\t\\r\\n')) = 'cancelled'
			  AND NOT EXISTS (SELECT 1 FROM stock_restorations r WHERE r.order_id = o.id)
			  AND NOT EXISTS (SELECT 1 FROM stockrecon_order_events e
			                  WHERE e.order_id = o.id AND e.kind = 'cancelled')
			ORDER BY o.id
			""";

	private final JdbcClient jdbc;

	CancelledHistoryScan(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
		String fullScan = contribution.getStepExecution().getJobParameters().getString(FULL_SCAN_PARAMETER, "false");
		if (Boolean.parseBoolean(fullScan)) {
			int queued = this.jdbc.sql(QUEUE_UNRESTORED_CANCELLATIONS).update();
			contribution.incrementWriteCount(queued);
		}
		return RepeatStatus.FINISHED;
	}

}
