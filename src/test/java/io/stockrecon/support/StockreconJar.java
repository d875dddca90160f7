package io.stockrecon.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged {@code target/stockrecon.jar}, run as a child process against a test's own
 * database and key prefix, the way a scheduler runs it.
 */
public final class StockreconJar {

	private static final Path JAR = Path.of("target", "stockrecon.jar");

	/**
	 * The jar extracted beside its libraries, with the class data sharing archive that
	 * {@code jobs/class-data-sharing.sh} writes for it: see {@link #quickStart()}.
	 */
	private static final Path EXTRACTED = Path.of("target", "class-data-sharing");

	private final TestStores.TestDatabase database;

	/** {@code null} when the shop settings name the counters. */
	private final String keyPrefix;

	private final List<String> shopSettings;

	private final String redisHost;

	private final int redisPort;

	private final List<String> extraArguments = new ArrayList<>();

	private final Map<String, String> extraEnvironment = new LinkedHashMap<>();

	private final List<String> jvmOptions = new ArrayList<>();

	private boolean fromSharedArchive;

	public StockreconJar(TestStores.TestDatabase database, String keyPrefix) {
		this(database, keyPrefix, TestStores.redisHost(), TestStores.redisPort());
	}

	/** Against another Redis than the shared test Redis, such as a private one. */
	public StockreconJar(TestStores.TestDatabase database, String keyPrefix, String redisHost, int redisPort) {
		this(database, keyPrefix, List.of(), redisHost, redisPort);
	}

	/**
	 * Against a shop and counters of their own, given as the settings that map them (see
	 * {@link TestShop#settings()}).
	 */
	public StockreconJar(TestStores.TestDatabase database, List<String> shopSettings, String redisHost, int redisPort) {
		this(database, null, shopSettings, redisHost, redisPort);
	}

	private StockreconJar(TestStores.TestDatabase database, String keyPrefix, List<String> shopSettings,
			String redisHost, int redisPort) {
		this.database = database;
		this.keyPrefix = keyPrefix;
		this.shopSettings = List.copyOf(shopSettings);
		this.redisHost = redisHost;
		this.redisPort = redisPort;
	}

	/** Adds configuration overrides to every launch, such as a small chunk size. */
	public StockreconJar with(String... arguments) {
		this.extraArguments.addAll(List.of(arguments));
		return this;
	}

	/**
	 * Adds JVM options to every launch, such as {@code -XX:TieredStopAtLevel=1} for tests
	 * that start the jar many times on a busy machine.
	 */
	public StockreconJar withJvm(String... options) {
		this.jvmOptions.addAll(List.of(options));
		return this;
	}

	/**
	 * For tests that start the jar many times on a busy machine: launches are short, so
	 * the quick compiler alone is enough and saves a core; and the classes are mapped
	 * from a class data sharing archive of the extracted jar, as the README's start-up
	 * section recommends for production, which takes about 2 s off each start here (a
	 * suite starts the jar a hundred times). Other tests keep launching the fat jar
	 * itself.
	 */
	public StockreconJar quickStart() {
		this.jvmOptions.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
		this.fromSharedArchive = true;
		return this;
	}

	/**
	 * Sets an environment variable of every launch, over the connection settings this
	 * class sets itself (such as {@code SPRING_DATASOURCE_PASSWORD}).
	 */
	public StockreconJar env(String name, String value) {
		this.extraEnvironment.put(name, value);
		return this;
	}

	/** Starts {@code stockrecon <args>}; its output goes to a file of its own. */
	public Launch start(String... args) {
		if (!Files.exists(JAR)) {
			throw new IllegalStateException(
					JAR + " is missing: run the tests with ./mvnw verify, which packages it first");
		}
		List<String> command = new ArrayList<>(List.of(javaExecutable(), "-Xmx256m"));
		command.addAll(this.jvmOptions);
		if (this.fromSharedArchive) {
			// a stale archive (another JDK) only costs the speed; the JVM's warning about
			// it
			// is kept out of the output that tests read line by line
			command.addAll(List.of("-XX:SharedArchiveFile=" + sharedArchive(), "-Xlog:disable",
					"-Xlog:all=error:stderr", "-jar", EXTRACTED.resolve("stockrecon.jar").toString()));
		}
		else {
			command.addAll(List.of("-jar", JAR.toString()));
		}
		command.addAll(List.of(args));
		command.addAll(this.shopSettings);
		// a test that maps its counters with a key template names its own keys
		if (this.keyPrefix != null && this.extraArguments.stream()
			.noneMatch((argument) -> argument.startsWith("--stockrecon.redis.key-template="))) {
			command.add("--stockrecon.redis.key-prefix=" + this.keyPrefix);
		}
		command.addAll(this.extraArguments);
		try {
			Path output = Files.createTempFile("stockrecon-jar", ".log");
			// read while the test runs; a suite launches the jar a hundred times
			output.toFile().deleteOnExit();
			ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(output.toFile());
			Map<String, String> env = builder.environment();
			env.put("SPRING_DATASOURCE_URL", this.database.url());
			env.put("SPRING_DATASOURCE_USERNAME", this.database.username());
			env.put("SPRING_DATASOURCE_PASSWORD", this.database.password());
			env.put("SPRING_DATA_REDIS_HOST", this.redisHost);
			env.put("SPRING_DATA_REDIS_PORT", Integer.toString(this.redisPort));
			env.putAll(this.extraEnvironment);
			return new Launch(ChildProcesses.start(builder), output);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not start " + command, ex);
		}
	}

	/** Runs {@code stockrecon <args>} to its end. */
	public Finished run(String... args) {
		return start(args).awaitExit();
	}

	/**
	 * The archive of {@link #EXTRACTED}, written by the script operators use, once per
	 * packaged jar.
	 */
	private static synchronized Path sharedArchive() {
		Path archive = EXTRACTED.resolve("stockrecon.jsa");
		try {
			if (Files.exists(archive)
					&& Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(JAR)) > 0) {
				return archive;
			}
			Path log = Path.of("target", "class-data-sharing.log");
			ProcessBuilder script = new ProcessBuilder("bash", "jobs/class-data-sharing.sh", JAR.toString(),
					EXTRACTED.toString())
				.redirectErrorStream(true)
				.redirectOutput(log.toFile());
			// the JVM that maps the archive must be the one that wrote it
			script.environment()
				.put("PATH", Path.of(javaExecutable()).getParent() + ":" + System.getenv().getOrDefault("PATH", ""));
			Process process = ChildProcesses.start(script);
			if (!process.waitFor(3, TimeUnit.MINUTES) || process.exitValue() != 0) {
				process.destroyForcibly();
				throw new IllegalStateException("jobs/class-data-sharing.sh failed:\n" + Files.readString(log));
			}
			return archive;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not write the class data sharing archive", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static String javaExecutable() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	/**
	 * A running launch.
	 */
	public record Launch(Process process, Path output) {

		public Finished awaitExit() {
			try {
				if (!this.process.waitFor(5, TimeUnit.MINUTES)) {
					this.process.destroyForcibly();
					throw new IllegalStateException("stockrecon did not end within 5 minutes:\n" + output());
				}
				return new Finished(this.process.exitValue(), outputText());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}

		/** {@code kill -9}: the JVM gets no chance to record anything. */
		public void kill() {
			ChildProcesses.kill(this.process);
		}

		public String outputText() {
			try {
				return Files.readString(this.output);
			}
			catch (IOException ex) {
				return "(no output: " + ex.getMessage() + ")";
			}
		}

	}

	/**
	 * A launch that ended.
	 */
	public record Finished(int exitCode, String output) {

	}

}
