package io.stockrecon.progress;

import java.time.Duration;
import java.util.Collections;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.scope.context.StepContext;
import org.springframework.batch.core.scope.context.StepSynchronizationManager;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.test.MetaDataInstanceFactory;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The progress lines an operator reads while a long step runs: what they count, that
 * partitions keep their own counts, and that a short step says nothing.
 */
@ExtendWith(OutputCaptureExtension.class)
class StepProgressLogTests {

	@AfterEach
	void releaseStepContext() {
		StepSynchronizationManager.close();
	}

	@Test
	void shouldCountEachPartitionsChunksAgainstItsOwnTotal(CapturedOutput output) {
		StepProgressLog<String> log = new StepProgressLog<>(Duration.ZERO, (step) -> 40);
		StepExecution first = MetaDataInstanceFactory.createStepExecution("restorePartition:partition0", 11L);
		StepExecution second = MetaDataInstanceFactory.createStepExecution("restorePartition:partition1", 12L);
		log.beforeStep(first);
		log.beforeStep(second);

		chunkOf(first, 10, log);
		chunkOf(second, 4, log);
		chunkOf(first, 10, log);

		assertThat(output).contains("restorePartition:partition0: 10 of 40 (25%)")
			.contains("restorePartition:partition1: 4 of 40 (10%)")
			.contains("restorePartition:partition0: 20 of 40 (50%)")
			.doesNotContain("partition1: 14 of 40");
		first.setStatus(BatchStatus.COMPLETED);
		log.afterStep(first);
		assertThat(output).contains("restorePartition:partition0: COMPLETED after 0s, 20 items");
	}

	@Test
	void shouldReadATaskletStepsProgressFromItsReadCount(CapturedOutput output) {
		StepProgressLog<Object> log = new StepProgressLog<>(Duration.ZERO, (step) -> 0);
		StepExecution step = MetaDataInstanceFactory.createStepExecution("findDrift", 21L);
		log.beforeStep(step);
		ChunkContext transaction = new ChunkContext(new StepContext(step));

		step.setReadCount(20_000);
		log.afterChunk(transaction);
		step.setReadCount(50_000);
		log.afterChunk(transaction);

		// no total: the count and the rate, without a share or a time left
		assertThat(output).contains("findDrift: 20000 done").contains("findDrift: 50000 done").doesNotContain("left");
	}

	@Test
	void shouldSayNothingAboutAStepShorterThanItsInterval(CapturedOutput output) {
		StepProgressLog<String> log = new StepProgressLog<>(Duration.ofHours(1), (step) -> 40);
		StepExecution step = MetaDataInstanceFactory.createStepExecution("restoreDeletedOrdersPartition", 31L);
		log.beforeStep(step);
		chunkOf(step, 10, log);
		step.setStatus(BatchStatus.COMPLETED);
		log.afterStep(step);

		assertThat(output).doesNotContain("restoreDeletedOrdersPartition");
	}

	/** A chunk of a worker step, as its thread reports it: inside its step's context. */
	private static void chunkOf(StepExecution step, int items, StepProgressLog<String> log) {
		StepSynchronizationManager.register(step);
		try {
			log.afterChunk(new Chunk<>(Collections.nCopies(items, "item")));
		}
		finally {
			StepSynchronizationManager.close();
		}
	}

}
