package io.stockrecon.reliability;

import java.util.Random;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.stockrecon.cli.ExitCode;
import io.stockrecon.support.DirectStores;
import io.stockrecon.support.PrivateRedisServer;
import io.stockrecon.support.ShopKind;
import io.stockrecon.support.StockreconJar;
import io.stockrecon.support.TestShop;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fixture of the tests that drive the packaged jar as an operator would: a
 * redis-server of their own (the orphan scan walks the whole key space), a fresh database
 * holding a shop of one kind, installed by a first run of the jar, and the jar to run
 * next.
 * <p>
 * A test class registers it as an extension ({@code @RegisterExtension static}), which
 * starts it before the class and closes it after; a parameterized class calls
 * {@link #start()} and {@link #close()} around each invocation instead. A class
 * {@link #named(String) named} by its suite also gets, per shop kind, its
 * {@link ReliabilityFigures.Tally tally}, printed on close, and a random seeded as
 * {@link Seed} says.
 */
final class PrivateShop implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

	/** Chunks small enough that every step commits often, on a JVM that starts fast. */
	static final int SMALL_CHUNK = 20;

	private final ShopKind kind;

	private final Consumer<DirectStores> filling;

	private final boolean watched;

	private final UnaryOperator<StockreconJar> jarSettings;

	private final String suite;

	private String name;

	private ReliabilityFigures.Tally tally;

	private Random random;

	private PrivateRedisServer redis;

	private DirectStores stores;

	private JobWatch watch;

	private StockreconJar jar;

	private PrivateShop(ShopKind kind, Consumer<DirectStores> filling, boolean watched,
			UnaryOperator<StockreconJar> jarSettings, String suite) {
		this.kind = kind;
		this.filling = filling;
		this.watched = watched;
		this.jarSettings = jarSettings;
		this.suite = suite;
	}

	/** A private shop of stockrecon's own kind, empty, and the jar as it comes. */
	static PrivateShop create() {
		return new PrivateShop(ShopKind.DEFAULT, (stores) -> {
		}, false, UnaryOperator.identity(), null);
	}

	/** The same shop, of another kind. */
	PrivateShop of(ShopKind kind) {
		return new PrivateShop(kind, this.filling, this.watched, this.jarSettings, this.suite);
	}

	/**
	 * The same shop, for a class of the reliability suite: on start it gets a tally and a
	 * seeded random under the suite's name on its shop kind.
	 */
	PrivateShop named(String suite) {
		return new PrivateShop(this.kind, this.filling, this.watched, this.jarSettings, suite);
	}

	/** The same shop, filled by {@code filling} once stockrecon is installed. */
	PrivateShop filled(Consumer<DirectStores> filling) {
		return new PrivateShop(this.kind, filling, this.watched, this.jarSettings, this.suite);
	}

	/** The same shop, with generated products and paid orders. */
	PrivateShop withPaidOrders(int products, int orders) {
		return filled((stores) -> stores.shop().generatePaid(products, orders));
	}

	/** The same shop, with a {@link JobWatch} on its job repository. */
	PrivateShop watched() {
		return new PrivateShop(this.kind, this.filling, true, this.jarSettings, this.suite);
	}

	/** The same shop, whose jar takes these settings after the installing run. */
	PrivateShop jar(UnaryOperator<StockreconJar> settings) {
		UnaryOperator<StockreconJar> before = this.jarSettings;
		return new PrivateShop(this.kind, this.filling, this.watched, (jar) -> settings.apply(before.apply(jar)),
				this.suite);
	}

	/**
	 * The same shop, whose jar starts fast and works in chunks (and publish batches) of
	 * {@link #SMALL_CHUNK}, so that a kill or an outage lands between commits.
	 */
	PrivateShop smallChunks(String settleInterval) {
		return jar((jar) -> jar.quickStart()
			.with("--stockrecon.restore.chunk-size=" + SMALL_CHUNK, "--stockrecon.verify.chunk-size=" + SMALL_CHUNK,
					"--stockrecon.verify.first-look-chunk-size=" + SMALL_CHUNK,
					"--stockrecon.restore.publish-batch-size=" + SMALL_CHUNK,
					"--stockrecon.verify.settle-interval=" + settleInterval));
	}

	/**
	 * Starts Redis and the database, installs stockrecon with a first run and fills the
	 * shop. Skips the test when redis-server is not on the PATH.
	 */
	PrivateShop start() {
		if (this.suite != null) {
			this.name = this.kind.label(this.suite);
			this.tally = ReliabilityFigures.tally(this.suite, this.kind);
			this.random = new Random(Seed.of(this.name));
		}
		Assumptions.assumeTrue(PrivateRedisServer.available(), "redis-server is not on the PATH");
		this.redis = PrivateRedisServer.start();
		this.stores = DirectStores.fresh(this.redis, this.kind);
		StockreconJar.Finished install = this.stores.jar().run("run", "--run-date=2000-01-01");
		assertThat(install.exitCode()).as(install.output()).isEqualTo(ExitCode.COMPLETED);
		this.filling.accept(this.stores);
		if (this.watched) {
			this.watch = new JobWatch(this.stores.database());
		}
		this.jar = this.jarSettings.apply(this.stores.jar());
		return this;
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		start();
	}

	@Override
	public void afterAll(ExtensionContext context) {
		close();
	}

	DirectStores stores() {
		return this.stores;
	}

	TestShop shop() {
		return this.stores.shop();
	}

	/** The jar with this fixture's settings. */
	StockreconJar jar() {
		return this.jar;
	}

	JobWatch watch() {
		return this.watch;
	}

	PrivateRedisServer redis() {
		return this.redis;
	}

	/** The suite's name on this shop kind, as its figures print it. */
	String name() {
		return this.name;
	}

	/** The figures of this class on this shop kind. */
	ReliabilityFigures.Tally tally() {
		return this.tally;
	}

	/** The random of this class on this shop kind, seeded as {@link Seed} says. */
	Random random() {
		return this.random;
	}

	/** Prints the tally, if named, and ends the jar's stores and the private Redis. */
	@Override
	public void close() {
		if (this.tally != null) {
			this.tally.print();
			this.tally = null;
		}
		if (this.watch != null) {
			this.watch.close();
			this.watch = null;
		}
		if (this.stores != null) {
			this.stores.close();
			this.stores = null;
		}
		if (this.redis != null) {
			this.redis.close();
			this.redis = null;
		}
	}

}
