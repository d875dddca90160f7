package io.stockrecon.reliability;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.stockrecon.cli.ExitCode;
import io.stockrecon.support.Checkouts;
import io.stockrecon.support.RequiresStores;
import io.stockrecon.support.StockreconJar;
import io.stockrecon.support.TestStores;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The shop keeps selling and cancelling during a whole nightly run: checkout threads
 * reserve in Redis ({@code DECRBY}) and then commit the order, its items and the stock in
 * one PostgreSQL transaction, locking products in id order; other threads cancel random
 * orders with plain SQL (the fault counted is that traffic, one per run it races). After
 * the traffic stops, one more {@code run --force} must leave both stores exact: nothing
 * the run did under traffic lost a unit or gave one back twice.
 */
@ExtendWith(RequiresStores.class)
@Tag("reliability")
class LiveTrafficIntegrationTests {

	static final int PRODUCTS = 300;

	static final int ORDERS = 3_000;

	final AtomicBoolean trafficOn = new AtomicBoolean(true);

	final AtomicLong nextOrderId = new AtomicLong(ORDERS);

	final AtomicLong cancellations = new AtomicLong();

	@RegisterExtension
	static final PrivateShop fixture = PrivateShop.create().named("LiveTraffic").withPaidOrders(PRODUCTS, ORDERS);

	@Test
	void shouldLeaveBothStoresExactAfterARunUnderCheckoutsAndCancellations() throws Exception {
		StockreconJar jar = fixture.jar()
			.with("--stockrecon.restore.chunk-size=10", "--stockrecon.verify.chunk-size=20",
					"--stockrecon.verify.first-look-chunk-size=20", "--stockrecon.verify.settle-interval=500ms");
		Checkouts checkouts = new Checkouts(this::connect, fixture.stores().redis(),
				(product) -> fixture.stores().keyPrefix() + product, new Checkouts.Shape(PRODUCTS, 3, 4, 0, 19),
				this.nextOrderId);
		ExecutorService threads = Executors.newFixedThreadPool(3);
		List<Future<?>> traffic = new ArrayList<>();
		StockreconJar.Finished underTraffic;
		long checkoutsBefore;
		try {
			for (int i = 0; i < 2; i++) {
				traffic.add(threads.submit(() -> checkouts.whileOn(this.trafficOn::get)));
			}
			traffic.add(threads.submit(this::cancel));
			// the run starts with traffic already flowing and ends before it stops
			await().until(() -> checkouts.committed() > 20 && this.cancellations.get() > 20);
			checkoutsBefore = checkouts.committed();
			underTraffic = jar.run("run", "--run-date=2026-12-01");
		}
		finally {
			this.trafficOn.set(false);
			threads.shutdown();
		}
		for (Future<?> thread : traffic) {
			thread.get();
		}
		fixture.tally().fault();

		assertThat(underTraffic.exitCode()).as(underTraffic.output()).isEqualTo(ExitCode.COMPLETED);
		assertThat(checkouts.committed()).as("checkouts during the run").isGreaterThan(checkoutsBefore);
		StockreconJar.Finished after = jar.run("run", "--run-date=2026-12-01", "--force");
		assertThat(after.exitCode()).as(after.output()).isEqualTo(ExitCode.COMPLETED);
		fixture.tally().scenario();
		Conservation.Result result = fixture.tally().checked(Conservation.check(fixture.stores()));
		assertThat(result.violations()).as(result.describe()).isEmpty();
		System.out.printf("[reliability] LiveTraffic: %d checkouts and %d cancellations during the run%n",
				checkouts.committed(), this.cancellations.get());
	}

	/** Cancellations of random orders, old and new, with plain SQL. */
	private Void cancel() throws Exception {
		try (Connection connection = connect();
				PreparedStatement cancel = connection
					.prepareStatement("UPDATE orders SET status = 'cancelled' WHERE id = ? AND status = 'paid'")) {
			while (this.trafficOn.get()) {
				cancel.setLong(1, 1 + ThreadLocalRandom.current().nextLong(this.nextOrderId.get()));
				this.cancellations.addAndGet(cancel.executeUpdate());
				Thread.sleep(2);
			}
		}
		return null;
	}

	private Connection connect() throws SQLException {
		TestStores.TestDatabase database = fixture.stores().database();
		return DriverManager.getConnection(database.url(), database.username(), database.password());
	}

}
