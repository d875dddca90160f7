package io.stockrecon.scale;

import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.partition.support.TaskExecutorPartitionHandler;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.ChunkOrientedStepBuilder;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.core.step.builder.TaskletStepBuilder;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.integration.partition.RemotePartitioningManagerStepBuilder;
import org.springframework.batch.integration.partition.RemotePartitioningManagerStepBuilderFactory;
import org.springframework.batch.integration.partition.RemotePartitioningWorkerStepBuilderFactory;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.core.task.SyncTaskExecutor;
import org.springframework.core.task.TaskExecutor;
import org.springframework.messaging.MessageChannel;
import org.springframework.transaction.PlatformTransactionManager;

import io.stockrecon.StockreconProperties;

/**
 * Builds the partitioned steps, the one place that knows where partitions run:
 * <ul>
 * <li>locally, on a pool of {@code --threads} in this JVM (one thread runs them one after
 * the other);</li>
 * <li>remotely ({@code run --remote}), as messages to worker JVMs over RabbitMQ, with
 * Spring Batch's own remote partitioning. The manager polls the job repository for the
 * partitions' outcome, and gives up after {@code stockrecon.scale.remote-timeout}.</li>
 * </ul>
 * Worker steps are always built with the remote worker builder: in a {@code worker} JVM
 * the requests arriving from RabbitMQ reach them by step name; elsewhere nothing arrives.
 */
public class PartitionedSteps {

	/**
	 * Between a worker step's name and a partition's, as Spring Batch's splitter joins
	 * them.
	 */
	private static final String PARTITION_SEPARATOR = ":";

	private final StockreconProperties.Scale scale;

	private final JobRepository jobRepository;

	private final RemotePartitioningManagerStepBuilderFactory managers;

	private final RemotePartitioningWorkerStepBuilderFactory workers;

	private final MessageChannel requestsToWorkers;

	private final MessageChannel requestsFromManager;

	public PartitionedSteps(StockreconProperties.Scale scale, JobRepository jobRepository,
			RemotePartitioningManagerStepBuilderFactory managers, RemotePartitioningWorkerStepBuilderFactory workers,
			MessageChannel requestsToWorkers, MessageChannel requestsFromManager) {
		this.scale = scale;
		this.jobRepository = jobRepository;
		this.managers = managers;
		this.workers = workers;
		this.requestsToWorkers = requestsToWorkers;
		this.requestsFromManager = requestsFromManager;
	}

	/**
	 * The manager step that splits the work into {@code partitions} and runs
	 * {@code worker} once per partition.
	 */
	public Step manager(String name, Step worker, Partitioner partitioner, int partitions) {
		return manager(name, worker, partitioner, partitions, false);
	}

	/**
	 * @param rerunOnRestart whether a restart runs the step again even if it completed,
	 * with all its partitions
	 * @param listeners listeners of the manager step (before its partitions start, and
	 * after they all ended)
	 */
	public Step manager(String name, Step worker, Partitioner partitioner, int partitions, boolean rerunOnRestart,
			StepExecutionListener... listeners) {
		if (this.scale.remote()) {
			RemotePartitioningManagerStepBuilder manager = this.managers.get(name);
			for (StepExecutionListener listener : listeners) {
				manager.listener(listener);
			}
			return manager.allowStartIfComplete(rerunOnRestart)
				.partitioner(worker.getName(), partitioner)
				.gridSize(partitions)
				.outputChannel(this.requestsToWorkers)
				.pollInterval(this.scale.remotePollInterval().toMillis())
				.timeout(this.scale.remoteTimeout().toMillis())
				.build();
		}
		TaskExecutorPartitionHandler handler = new TaskExecutorPartitionHandler();
		handler.setStep(worker);
		handler.setGridSize(partitions);
		handler.setTaskExecutor(taskExecutor());
		StepBuilder manager = new StepBuilder(name, this.jobRepository);
		for (StepExecutionListener listener : listeners) {
			manager.listener(listener);
		}
		return manager.allowStartIfComplete(rerunOnRestart)
			.partitioner(worker.getName(), partitioner)
			.partitionHandler(handler)
			.build();
	}

	/**
	 * Whether a step execution is a partition of this worker step: Spring Batch names
	 * them {@code <worker step>:<partition>}.
	 */
	public static boolean isPartitionOf(String workerStep, String stepName) {
		return stepName.startsWith(workerStep + PARTITION_SEPARATOR);
	}

	/** The partition's name in a partition's step name ({@link #isPartitionOf}). */
	public static String partitionName(String stepName) {
		return stepName.substring(stepName.lastIndexOf(PARTITION_SEPARATOR) + 1);
	}

	/** A chunk-oriented worker step, reachable from remote managers by its name. */
	public <T> ChunkOrientedStepBuilder<T, T> worker(String name, int chunkSize) {
		return this.workers.get(name)
			.inputChannel(this.requestsFromManager)
			.<T, T>chunk(chunkSize)
			.listener(new PartitionWorkerStamp());
	}

	/**
	 * A tasklet worker step (its tasklet is called until it has finished, one transaction
	 * each), reachable from remote managers by its name.
	 */
	public TaskletStepBuilder worker(String name, Tasklet tasklet, PlatformTransactionManager transactionManager) {
		return this.workers.get(name)
			.inputChannel(this.requestsFromManager)
			.tasklet(tasklet, transactionManager)
			.listener(new PartitionWorkerStamp());
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
