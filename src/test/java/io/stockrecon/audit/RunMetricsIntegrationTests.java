package io.stockrecon.audit;

import java.time.LocalDate;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import io.stockrecon.support.Shop;
import io.stockrecon.support.StoresIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring Batch's observations are on, and the job's own counters agree with the audit.
 */
@TestPropertySource(properties = "stockrecon.verify.settle-interval=50ms")
class RunMetricsIntegrationTests extends StoresIntegrationTest {

	@Autowired
	MeterRegistry meters;

	@Test
	void shouldCountRestoredUnitsDriftAndTimeTheJobAndItsSteps() {
		Shop shop = shop();
		shop.product(1, 100).product(2, 100).order(1, "paid", 1, 3).order(2, "paid", 2, 5).setCounter(2, "1");
		shop.cancel(1, 2);

		this.launcher.run(LocalDate.of(2026, 11, 24), false, true);

		assertThat(this.meters.get("stockrecon.restored.units").tag("reason", "cancelled").counter().count())
			.isEqualTo(8);
		assertThat(this.meters.get("stockrecon.restored.orders").tag("reason", "cancelled").counter().count())
			.isEqualTo(2);
		assertThat(this.meters.get("stockrecon.drift.findings")
			.tag("kind", "redis-lower")
			.tag("action", "repaired")
			.counter()
			.count()).isEqualTo(1);
		assertThat(this.meters.get("stockrecon.executions").tag("status", "COMPLETED").counter().count()).isEqualTo(1);
		assertThat(this.meters.find("spring.batch.job").timer()).as("Batch's job observation").isNotNull();
		assertThat(
				this.meters.find("spring.batch.step").tag("spring.batch.step.name", "restoreCancelledOrders").timer())
			.as("Batch's step observation")
			.isNotNull();
	}

}
