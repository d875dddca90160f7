package io.stockrecon.audit;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;

/**
 * The job's own Micrometer counters, next to Spring Batch's observations: restored orders
 * and units by reason, skipped items by reason, drift findings by kind and action.
 * <p>
 * They are counted once per execution, at its end, from the audit tables, so a
 * rolled-back chunk or a relaunch never counts twice.
 */
public class RunMetrics implements JobExecutionListener {

	private final ExecutionAudit audit;

	private final MeterRegistry registry;

	public RunMetrics(ExecutionAudit audit, MeterRegistry registry) {
		this.audit = audit;
		this.registry = registry;
	}

	@Override
	public void afterJob(JobExecution execution) {
		String job = execution.getJobInstance().getJobName();
		RestorationTotals restored = this.audit.restorations(execution.getId());
		restored.ordersByReason()
			.forEach((reason, orders) -> this.registry
				.counter("stockrecon.restored.orders", "job", job, "reason", reason)
				.increment(orders));
		restored.unitsByReason()
			.forEach((reason, units) -> this.registry.counter("stockrecon.restored.units", "job", job, "reason", reason)
				.increment(units));
		restored.skippedByReason()
			.forEach((reason, items) -> this.registry.counter("stockrecon.skipped.items", "job", job, "reason", reason)
				.increment(items));
		this.audit.drift(execution.getId())
			.byKindAndAction()
			.forEach((kind,
					actions) -> actions.forEach((action, findings) -> this.registry
						.counter("stockrecon.drift.findings", "job", job, "kind", kind, "action", action)
						.increment(findings)));
		this.registry.counter("stockrecon.executions", "job", job, "status", execution.getStatus().name()).increment();
	}

}
