package io.stockrecon.scale;

import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * Gives a partition worker the context of its partition back when Spring Batch lost it.
 * <p>
 * Spring Batch 6 stores a worker's step execution and its partition context in two writes
 * ({@code SimpleStepExecutionSplitter.split}). A launch killed between the two leaves a
 * worker execution with an empty context, and every restart copies that empty context
 * into the next worker execution: the step then fails on every restart, for good. A
 * partition's context is a function of its name and the grid size, so a worker that finds
 * its own missing asks the partitioner again, before its reader opens.
 */
public class PartitionContextRecovery implements StepExecutionListener {

	/** Where Spring Batch keeps the grid size of a partitioned step, for restarts. */
	static final String GRID_SIZE = "SimpleStepExecutionSplitter.GRID_SIZE";

	private static final Logger logger = LoggerFactory.getLogger(PartitionContextRecovery.class);

	private final String managerStep;

	private final Partitioner partitioner;

	private final String requiredKey;

	private final int gridSize;

	/**
	 * @param managerStep the partitioned step the worker runs for
	 * @param partitioner its partitioner
	 * @param requiredKey a key every partition's context has
	 * @param gridSize the grid size when the manager's context does not say
	 */
	public PartitionContextRecovery(String managerStep, Partitioner partitioner, String requiredKey, int gridSize) {
		this.managerStep = managerStep;
		this.partitioner = partitioner;
		this.requiredKey = requiredKey;
		this.gridSize = gridSize;
	}

	@Override
	public void beforeStep(StepExecution stepExecution) {
		ExecutionContext context = stepExecution.getExecutionContext();
		if (context.containsKey(this.requiredKey)) {
			return;
		}
		String stepName = stepExecution.getStepName();
		String partition = PartitionedSteps.partitionName(stepName);
		int grid = stepExecution.getJobExecution()
			.getStepExecutions()
			.stream()
			.filter((step) -> step.getStepName().equals(this.managerStep))
			.filter((step) -> step.getExecutionContext().containsKey(GRID_SIZE))
			.map((step) -> (int) step.getExecutionContext().getLong(GRID_SIZE))
			.findFirst()
			.orElse(this.gridSize);
		ExecutionContext lost = this.partitioner.partition(grid).get(partition);
		if (lost == null) {
			throw new IllegalStateException(
					"%s has no partition context and %s has no partition of that name in a grid of %d"
						.formatted(stepName, this.managerStep, grid));
		}
		logger.warn("{} started without its partition context (a launch was killed while Spring Batch created it); "
				+ "recomputed it for a grid of {}", stepName, grid);
		for (Map.Entry<String, Object> entry : lost.entrySet()) {
			context.put(entry.getKey(), entry.getValue());
		}
	}

}
