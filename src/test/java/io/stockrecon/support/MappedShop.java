package io.stockrecon.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A shop built to its own schema, in a database of the test's own, with the settings that
 * map stockrecon onto it. The shop's tables exist before stockrecon first starts, as in a
 * real shop.
 */
public final class MappedShop {

	private final TestStores.TestDatabase database;

	private final JdbcClient jdbc;

	private final Map<String, String> settings;

	private MappedShop(TestStores.TestDatabase database, Map<String, String> settings) {
		this.database = database;
		this.jdbc = JdbcClient
			.create(new DriverManagerDataSource(database.url(), database.username(), database.password()));
		this.settings = settings;
	}

	/**
	 * A fresh database holding the shop that {@code ddl} creates.
	 * @param settings {@code stockrecon.*} settings without the leading dashes
	 */
	public static MappedShop create(String ddl, Map<String, String> settings) {
		TestStores.TestDatabase database = TestStores.newDatabase();
		new JdbcTemplate(new DriverManagerDataSource(database.url(), database.username(), database.password()))
			.execute(ddl);
		return new MappedShop(database, settings);
	}

	/** Points a test's application context at this shop and the test Redis. */
	public void register(DynamicPropertyRegistry registry) {
		registry.add("spring.datasource.url", this.database::url);
		registry.add("spring.datasource.username", this.database::username);
		registry.add("spring.datasource.password", this.database::password);
		registry.add("spring.data.redis.host", TestStores::redisHost);
		registry.add("spring.data.redis.port", TestStores::redisPort);
		this.settings.forEach((name, value) -> registry.add(name, () -> value));
	}

	/** The jar, mapped onto this shop. */
	public StockreconJar jar() {
		return jar(Map.of());
	}

	/**
	 * The jar, mapped onto this shop with some settings changed (a setting given twice on
	 * a command line would be read as both values).
	 */
	public StockreconJar jar(Map<String, String> changed) {
		Map<String, String> mapping = new LinkedHashMap<>(this.settings);
		mapping.putAll(changed);
		List<String> arguments = new ArrayList<>();
		mapping.forEach((name, value) -> arguments.add("--" + name + "=" + value));
		return new StockreconJar(this.database, TestStores.newKeyPrefix()).with(arguments.toArray(String[]::new));
	}

	public JdbcClient jdbc() {
		return this.jdbc;
	}

	public TestStores.TestDatabase database() {
		return this.database;
	}

}
