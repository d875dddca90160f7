package io.stockrecon.scale;

import org.springframework.batch.core.partition.PartitionHandler;
import org.springframework.batch.core.partition.support.TaskExecutorPartitionHandler;
import org.springframework.batch.core.step.Step;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.core.task.SyncTaskExecutor;
import org.springframework.core.task.TaskExecutor;

import io.stockrecon.StockreconProperties;

/**
 * How the partitions of a partitioned step run: here, on a pool of threads in this JVM
 * ({@code --threads}); one thread runs them one after the other.
 */
public class PartitionHandlers {

	private final StockreconProperties.Scale scale;

	public PartitionHandlers(StockreconProperties.Scale scale) {
		this.scale = scale;
	}

	public int gridSize() {
		return this.scale.partitions();
	}

	public PartitionHandler local(Step worker) {
		TaskExecutorPartitionHandler handler = new TaskExecutorPartitionHandler();
		handler.setStep(worker);
		handler.setGridSize(this.scale.partitions());
		handler.setTaskExecutor(taskExecutor());
		return handler;
	}

	private TaskExecutor taskExecutor() {
		if (this.scale.threads() <= 1) {
			return new SyncTaskExecutor();
		}
		SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("stockrecon-partition-");
		executor.setConcurrencyLimit(this.scale.threads());
		return executor;
	}

}
