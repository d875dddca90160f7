package io.stockrecon.reliability;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
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

	final AtomicLong checkouts = new AtomicLong();

	final AtomicLong cancellations = new AtomicLong();

	@RegisterExtension
	static final PrivateShop fixture = PrivateShop.create().named("LiveTraffic").withPaidOrders(PRODUCTS, ORDERS);

	@Test
	void shouldLeaveBothStoresExactAfterARunUnderCheckoutsAndCancellations() throws Exception {
		StockreconJar jar = fixture.jar()
			.with("--stockrecon.restore.chunk-size=10", "--stockrecon.verify.chunk-size=20",
					"--stockrecon.verify.settle-interval=500ms");
		ExecutorService threads = Executors.newFixedThreadPool(3);
		List<Future<?>> traffic = new ArrayList<>();
		StockreconJar.Finished underTraffic;
		long checkoutsBefore;
		try {
			for (int i = 0; i < 2; i++) {
				traffic.add(threads.submit(this::checkOut));
			}
			traffic.add(threads.submit(this::cancel));
			// the run starts with traffic already flowing and ends before it stops
			await().until(() -> this.checkouts.get() > 20 && this.cancellations.get() > 20);
			checkoutsBefore = this.checkouts.get();
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
		assertThat(this.checkouts.get()).as("checkouts during the run").isGreaterThan(checkoutsBefore);
		StockreconJar.Finished after = jar.run("run", "--run-date=2026-12-01", "--force");
		assertThat(after.exitCode()).as(after.output()).isEqualTo(ExitCode.COMPLETED);
		fixture.tally().scenario();
		Conservation.Result result = fixture.tally().checked(Conservation.check(fixture.stores()));
		assertThat(result.violations()).as(result.describe()).isEmpty();
		System.out.printf("[reliability] LiveTraffic: %d checkouts and %d cancellations during the run%n",
				this.checkouts.get(), this.cancellations.get());
	}

	/**
	 * Checkout as the shop makes it: reserve every item in Redis, then one PostgreSQL
	 * transaction for the order, its items and the stock, products locked in id order.
	 */
	private Void checkOut() throws Exception {
		TestStores.TestDatabase database = fixture.stores().database();
		try (Connection connection = DriverManager.getConnection(database.url(), database.username(),
				database.password());
				PreparedStatement order = connection
					.prepareStatement("INSERT INTO orders (id, status, updated_at) VALUES (?, 'paid', now())");
				PreparedStatement item = connection
					.prepareStatement("INSERT INTO order_items (order_id, product_id, quantity) VALUES (?, ?, ?)");
				PreparedStatement stock = connection
					.prepareStatement("UPDATE inventory SET stock = stock - ? WHERE product_id = ?")) {
			connection.setAutoCommit(false);
			while (this.trafficOn.get()) {
				ThreadLocalRandom random = ThreadLocalRandom.current();
				TreeMap<Long, Integer> items = new TreeMap<>();
				for (int i = 0, count = 1 + random.nextInt(3); i < count; i++) {
					items.merge(1L + random.nextInt(PRODUCTS), 1 + random.nextInt(4), Integer::sum);
				}
				items.forEach((product, quantity) -> fixture.stores()
					.redis()
					.opsForValue()
					.decrement(fixture.stores().keyPrefix() + product, quantity));
				long orderId = this.nextOrderId.incrementAndGet();
				order.setLong(1, orderId);
				order.executeUpdate();
				for (var line : items.entrySet()) {
					item.setLong(1, orderId);
					item.setLong(2, line.getKey());
					item.setInt(3, line.getValue());
					item.executeUpdate();
					stock.setInt(1, line.getValue());
					stock.setLong(2, line.getKey());
					stock.executeUpdate();
				}
				// a checkout takes a moment between its reservation and its commit
				Thread.sleep(random.nextInt(20));
				connection.commit();
				this.checkouts.incrementAndGet();
			}
		}
		return null;
	}

	/** Cancellations of random orders, old and new, with plain SQL. */
	private Void cancel() throws Exception {
		TestStores.TestDatabase database = fixture.stores().database();
		try (Connection connection = DriverManager.getConnection(database.url(), database.username(),
				database.password());
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

}
