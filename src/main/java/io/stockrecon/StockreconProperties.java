package io.stockrecon;

import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Every {@code stockrecon.*} setting. Defaults live in {@code application.properties} so
 * that the README and the running job read them from one place.
 *
 * @param redis where the stock counters live
 * @param restore how the restore steps work
 * @param verify how the verify steps work
 * @param progress how often long steps log their progress
 * @param scale how the partitioned steps spread their work
 */
@Validated
@ConfigurationProperties("stockrecon")
public record StockreconProperties(@Valid @NotNull Redis redis, @Valid @NotNull Restore restore,
		@Valid @NotNull Verify verify, @Valid @NotNull Progress progress, @Valid @NotNull Scale scale) {

	/**
	 * @param keyPrefix a product's counter is {@code keyPrefix + productId}
	 * @param appliedMarkerTtl how long the marker of a delivered delta survives a crash
	 * between Redis and PostgreSQL; a relaunch later than that could apply it twice
	 */
	public record Redis(@NotBlank @Pattern(regexp = "[^{}]*",
			message = "must not contain { or }: stockrecon puts the counter key in a hash tag") String keyPrefix,
			@NotNull Duration appliedMarkerTtl) {

		public String counterKey(long productId) {
			return this.keyPrefix + productId;
		}

	}

	/**
	 * @param chunkSize orders per chunk transaction
	 * @param skipLimit bad items tolerated per execution before the run fails
	 * @param statusesRestoredOnDelete lowercase statuses whose deletion gives stock back;
	 * empty means all
	 * @param publishBatchSize outbox rows delivered to Redis per batch
	 */
	public record Restore(@Positive int chunkSize, @PositiveOrZero long skipLimit,
			List<String> statusesRestoredOnDelete, @Positive int publishBatchSize) {

		public Restore {
			statusesRestoredOnDelete = (statusesRestoredOnDelete != null) ? statusesRestoredOnDelete.stream()
				.map(OrderStatus::normalize)
				.filter((status) -> !status.isEmpty())
				.toList() : List.of();
		}

		/**
		 * Whether deleting an order in this status gives its stock back. A cancelled
		 * order always does: its cancellation already earned the restore.
		 */
		public boolean restoresOnDelete(String statusAtDeletion) {
			String status = OrderStatus.normalize(statusAtDeletion);
			return OrderStatus.isCancelled(status) || this.statusesRestoredOnDelete.isEmpty()
					|| this.statusesRestoredOnDelete.contains(status);
		}

	}

	/**
	 * @param chunkSize products per chunk (one PostgreSQL page, one pipelined Redis
	 * batch)
	 * @param settleInterval how long a disagreement must persist, unchanged on both
	 * sides, before it is repaired; longer than a checkout takes from its Redis
	 * reservation to its PostgreSQL commit
	 */
	public record Verify(@Positive int chunkSize, @NotNull Duration settleInterval) {

	}

	/**
	 * @param interval how often a long step logs a progress line
	 */
	public record Progress(@NotNull Duration interval) {

	}

	/**
	 * @param partitions partitions of each partitioned step (product id ranges for
	 * verify, order ids modulo the count for restore)
	 * @param threads threads that run the partitions in this JVM
	 * @param remote send the partitions to worker JVMs over RabbitMQ
	 * ({@code run --remote})
	 * @param role {@code worker} in a worker JVM
	 * @param queue the RabbitMQ queue of partition requests
	 * @param remotePollInterval how often a remote manager looks at its partitions
	 * @param remoteTimeout how long a remote manager waits for all partitions before it
	 * fails the step; longer than the longest partition
	 */
	public record Scale(@Positive int partitions, @Positive int threads, boolean remote, String role,
			@NotBlank String queue, @NotNull Duration remotePollInterval, @NotNull Duration remoteTimeout) {

	}

}
