package io.stockrecon;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import io.stockrecon.shop.OrderStatuses;

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
	 * @param keyPrefix shorthand for a key template {@code <keyPrefix><id>}; empty when
	 * the template is used
	 * @param keyTemplate the counter's key, {@code <id>} standing for the stock key; with
	 * a hash field template, the name of the hash that holds every counter
	 * @param hashFieldTemplate set (e.g. {@code <id>}): counters are fields of the hash
	 * named by the key template
	 * @param appliedMarkerTtl how long the marker of a delivered delta survives a crash
	 * between Redis and PostgreSQL; a relaunch later than that could apply it twice
	 */
	public record Redis(String keyPrefix, String keyTemplate, String hashFieldTemplate,
			@NotNull Duration appliedMarkerTtl) {

		public Redis {
			keyPrefix = Objects.requireNonNullElse(keyPrefix, "");
			keyTemplate = Objects.requireNonNullElse(keyTemplate, "");
			hashFieldTemplate = Objects.requireNonNullElse(hashFieldTemplate, "");
		}

	}

	/**
	 * @param chunkSize orders per chunk transaction
	 * @param skipLimit bad items tolerated per execution before the run fails
	 * @param statusesRestoredOnDelete lowercase statuses whose deletion gives stock back;
	 * empty means all
	 * @param publishBatchSize about how many counters one publish transaction delivers:
	 * consecutive outbox rows (restore chunks write them) of one execution, summed per
	 * counter
	 * @param onCancel whether a cancellation gives stock back; {@code false} for a shop
	 * that restocks cancellations itself
	 * @param onDelete whether a deletion gives stock back
	 */
	public record Restore(@Positive int chunkSize, @PositiveOrZero long skipLimit,
			List<String> statusesRestoredOnDelete, @Positive int publishBatchSize, boolean onCancel, boolean onDelete) {

		public Restore {
			statusesRestoredOnDelete = (statusesRestoredOnDelete != null) ? statusesRestoredOnDelete.stream()
				.map(OrderStatuses::normalize)
				.filter((status) -> !status.isEmpty())
				.toList() : List.of();
		}

		/**
		 * Whether deleting an order gives its stock back. A cancelled order does when
		 * cancellations do: its cancellation already earned the restore. Any other order
		 * does when deletions do and its status is among those listed (or none is).
		 */
		public boolean restoresDeletion(String statusAtDeletion, boolean cancelled) {
			if (cancelled) {
				return this.onCancel;
			}
			return this.onDelete && (this.statusesRestoredOnDelete.isEmpty()
					|| this.statusesRestoredOnDelete.contains(OrderStatuses.normalize(statusAtDeletion)));
		}

	}

	/**
	 * @param chunkSize suspects per repair chunk (whose products stay share-locked until
	 * it commits), and keys per {@code MGET} of the first look
	 * @param firstLookChunkSize products per chunk of the first look (one PostgreSQL
	 * page, one transaction): it only reads and records suspects, so its chunks can be
	 * large; each chunk's counters are read with {@code MGET}s of {@code chunkSize} keys
	 * @param settleInterval how long a disagreement must persist, unchanged on both
	 * sides, before it is repaired; longer than a checkout takes from its Redis
	 * reservation to its PostgreSQL commit
	 */
	public record Verify(@Positive int chunkSize, @Positive int firstLookChunkSize, @NotNull Duration settleInterval) {

	}

	/**
	 * @param interval how often a long step logs a progress line
	 */
	public record Progress(@NotNull Duration interval) {

	}

	/**
	 * @param partitions partitions of each partitioned step (product id ranges for
	 * verify, order ids modulo the count for restore); when unset, see
	 * {@link #restorePartitions} and {@link #verifyPartitions}
	 * @param threads threads that run the partitions in this JVM
	 * @param remote send the partitions to worker JVMs over RabbitMQ
	 * ({@code run --remote})
	 * @param role {@code worker} in a worker JVM
	 * @param queue the RabbitMQ queue of partition requests
	 * @param remotePollInterval how often a remote manager looks at its partitions
	 * @param remoteTimeout how long a remote manager waits for all partitions before it
	 * fails the step; longer than the longest partition
	 */
	public record Scale(@Positive Integer partitions, @Positive int threads, boolean remote, String role,
			@NotBlank String queue, @NotNull Duration remotePollInterval, @NotNull Duration remoteTimeout) {

		/**
		 * Partitions of the restore steps: as set, or one per thread. A chunk's work is
		 * PostgreSQL's, in one session: with two partitions on two threads, one chunk's
		 * statement runs while the other's does (on the benchmark's shop of 10 k hot
		 * products, 2 cores, the restore took 7.7 to 8.8 s against 9.0 to 10.1 s with
		 * one, by hand). Their chunks lock the stock rows they share in key order, so
		 * they wait for each other there and never deadlock.
		 */
		public int restorePartitions() {
			if (this.partitions != null) {
				return this.partitions;
			}
			return this.threads;
		}

		/**
		 * Partitions of the verify steps: as set, or one. One partition already keeps
		 * both stores busy (it reads PostgreSQL while its reads of Redis are in flight);
		 * a second on the same 2 cores made the verify of a million counters slower (3.3
		 * and 2.8 s against 3.0 and 2.5 s, by hand).
		 */
		public int verifyPartitions() {
			if (this.partitions != null) {
				return this.partitions;
			}
			return 1;
		}

	}

}
