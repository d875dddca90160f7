package io.stockrecon.restore;

import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.stockrecon.JobParameterNames;
import io.stockrecon.shop.EventKinds;
import io.stockrecon.shop.ShopMapping;

/**
 * {@code run --full-scan}: re-examines the whole order history by queueing every
 * cancelled order that the ledger does not know yet. The queue and the ledger then make
 * the backfill exactly as safe as a nightly run. Orders deleted before stockrecon was
 * installed left no trace and cannot be found. A shop that restocks cancellations itself
 * ({@code on-cancel=false}) has nothing to backfill.
 */
class CancelledHistoryScan implements Tasklet {

	private static final String QUEUE_UNRESTORED_CANCELLATIONS = """
			INSERT INTO stockrecon_order_events (order_id, kind, status)
			SELECT o.${orders.id}, :kind, o.${orders.status}::text FROM ${orders} o
			WHERE ${orders.status_normalized} = ANY(CAST(:cancelled AS text[]))
			  AND NOT EXISTS (SELECT 1 FROM stock_restorations r WHERE r.order_id = o.${orders.id})
			  AND NOT EXISTS (SELECT 1 FROM stockrecon_order_events e
			                  WHERE e.order_id = o.${orders.id} AND e.kind = :kind)
			ORDER BY o.${orders.id}
			""";

	private final JdbcClient jdbc;

	private final ShopMapping shop;

	private final boolean onCancel;

	CancelledHistoryScan(JdbcClient jdbc, ShopMapping shop, boolean onCancel) {
		this.jdbc = jdbc;
		this.shop = shop;
		this.onCancel = onCancel;
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
		String fullScan = contribution.getStepExecution()
			.getJobParameters()
			.getString(JobParameterNames.FULL_SCAN, "false");
		if (Boolean.parseBoolean(fullScan) && this.onCancel) {
			int queued = this.jdbc.sql(this.shop.sql(QUEUE_UNRESTORED_CANCELLATIONS))
				.param("cancelled", this.shop.cancelledStatuses().toArray(String[]::new))
				.param("kind", EventKinds.CANCELLED)
				.update();
			contribution.incrementWriteCount(queued);
		}
		return RepeatStatus.FINISHED;
	}

}
