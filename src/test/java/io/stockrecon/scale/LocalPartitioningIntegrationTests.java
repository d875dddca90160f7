package io.stockrecon.scale;

import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.test.context.TestPropertySource;

import io.stockrecon.drift.VerifyStepsConfiguration;
import io.stockrecon.job.LaunchOutcome;
import io.stockrecon.restore.RestoreStepsConfiguration;
import io.stockrecon.support.JobSteps;
import io.stockrecon.support.ShopData;
import io.stockrecon.support.StoresIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --partitions=4 --threads=2}: the restore and verify steps spread over four
 * partitions on two threads, with exactly the result of one.
 */
@TestPropertySource(properties = { "stockrecon.scale.partitions=4", "stockrecon.scale.threads=2",
		"spring.datasource.hikari.maximum-pool-size=6", "stockrecon.restore.chunk-size=50",
		"stockrecon.verify.chunk-size=100", "stockrecon.verify.first-look-chunk-size=100",
		"stockrecon.verify.settle-interval=100ms" })
class LocalPartitioningIntegrationTests extends StoresIntegrationTest {

	@Test
	void shouldSpreadRestoreAndVerifyOverPartitionsWithTheExactResult() {
		String prefix = this.properties.redis().keyPrefix();
		ShopData.generate(this.jdbc, this.redis, prefix, 1_000, 8_000);
		this.redis.opsForValue().set(prefix + "17", "3");
		this.redis.delete(prefix + "450");

		JobExecution execution = ((LaunchOutcome.Ran) this.launcher.run(LocalDate.of(2026, 11, 24), false, true))
			.execution();

		assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(ShopData.redisStock(this.jdbc, this.redis, prefix)).isEqualTo(ShopData.expectedStock(this.jdbc));
		List<StepExecution> verifyPartitions = JobSteps.partitionsOf(execution, VerifyStepsConfiguration.FIND_WORKER);
		assertThat(verifyPartitions).hasSize(4)
			.allSatisfy((partition) -> assertThat(partition.getReadCount()).isBetween(200L, 300L));
		assertThat(verifyPartitions.stream().mapToLong(StepExecution::getReadCount).sum()).isEqualTo(1_000);
		assertThat(JobSteps.partitionsOf(execution, RestoreStepsConfiguration.CANCELLED_WORKER)).hasSize(4)
			.allSatisfy((partition) -> assertThat(partition.getWriteCount()).isPositive());
		assertThat(this.jdbc.sql("SELECT count(*) FROM stockrecon_drift_audit WHERE action = 'repaired'")
			.query(Long.class)
			.single()).isEqualTo(2);
	}

}
