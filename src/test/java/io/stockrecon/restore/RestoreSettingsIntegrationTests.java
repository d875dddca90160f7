package io.stockrecon.restore;

import java.time.LocalDate;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.test.context.TestPropertySource;

import io.stockrecon.job.LaunchOutcome;
import io.stockrecon.support.Shop;
import io.stockrecon.support.StoresIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The restore settings: which statuses give stock back on deletion, and the skip limit.
 * One restore partition ({@code threads=1}): the skip-limit case puts both bad items in
 * one chunk.
 */
@TestPropertySource(properties = { "stockrecon.restore.statuses-restored-on-delete= Pending ,paid",
		"stockrecon.restore.skip-limit=1", "stockrecon.restore.chunk-size=2", "stockrecon.scale.threads=1",
		"stockrecon.verify.settle-interval=100ms" })
class RestoreSettingsIntegrationTests extends StoresIntegrationTest {

	Shop shop;

	@BeforeEach
	void startFromAnEmptyShop() {
		this.shop = emptyShop();
	}

	@Test
	void shouldRestoreOnDeleteOnlyTheConfiguredStatusesAndCancelledOnes() {
		this.shop.product(1, 100)
			.order(1, "pending", 1, 1)
			.order(2, "PAID", 1, 2)
			.order(3, "shipped", 1, 4)
			.order(4, "paid", 1, 8);
		this.shop.cancel(4).delete(1, 2, 3, 4);

		JobExecution execution = runNightly();

		assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(this.shop.stock(1)).isEqualTo(100 - 4);
		assertThat(this.shop.counter(1)).isEqualTo("96");
		assertThat(this.shop.count("SELECT count(*) FROM stockrecon_order_events")).isZero();
	}

	@Test
	void shouldFailTheRunWhenBadItemsExceedTheSkipLimit() {
		this.shop.product(1, 100).order(10, "paid", 1, 1).order(11, "paid", 1, 1).order(12, "paid", 1, 1);
		this.jdbc.sql("INSERT INTO order_items (order_id, product_id, quantity) VALUES (10, 77, 1), (11, 78, 1)")
			.update();
		this.shop.cancel(10, 11, 12);

		JobExecution execution = runNightly();

		assertThat(execution.getStatus()).isEqualTo(BatchStatus.FAILED);
		assertThat(execution.getAllFailureExceptions())
			.anySatisfy((failure) -> assertThat(failure).hasStackTraceContaining("stockrecon.restore.skip-limit=1"));
		// the failing chunk rolled back whole: neither stock nor ledger nor queue moved
		assertThat(this.shop.stock(1)).isEqualTo(97);
		assertThat(this.shop.count("SELECT count(*) FROM stock_restorations")).isZero();
		assertThat(this.shop.count("SELECT count(*) FROM stockrecon_order_events")).isEqualTo(3);
	}

	private JobExecution runNightly() {
		LaunchOutcome outcome = this.launcher.run(LocalDate.of(2026, 11, 24), false, true);
		return ((LaunchOutcome.Ran) outcome).execution();
	}

}
