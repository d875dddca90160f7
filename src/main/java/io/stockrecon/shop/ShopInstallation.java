package io.stockrecon.shop;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;

import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.stockrecon.StockreconProperties;

/**
 * Brings stockrecon into the shop's database at every start, before any job runs:
 * <ol>
 * <li>checks the mapping against the catalog, and the Redis key templates, and refuses a
 * wrong one before anything is installed ({@link ShopMappingException});</li>
 * <li>runs stockrecon's Flyway migrations (its own tables);</li>
 * <li>in one transaction: creates the default shop tables where every name is
 * stockrecon's own and they are missing, gives stockrecon's key columns the type of the
 * shop's keys, and installs the capture triggers on the mapped tables.</li>
 * </ol>
 * Each part does nothing when it is done already, so a job role without DDL rights starts
 * as long as the mapping has not changed.
 */
public class ShopInstallation implements FlywayMigrationStrategy {

	/** Two processes starting at once install one after the other. */
	private static final String INSTALL_LOCK = """
			SELECT pg_advisory_xact_lock(hashtext('stockrecon.shop-installation'))
			""";

	private final ShopProperties names;

	private final StockreconProperties properties;

	public ShopInstallation(ShopProperties names, StockreconProperties properties) {
		this.names = names;
		this.properties = properties;
	}

	@Override
	public void migrate(Flyway flyway) {
		DataSource dataSource = flyway.getConfiguration().getDataSource();
		JdbcClient jdbc = JdbcClient.create(dataSource);
		JdbcTemplate ddl = new JdbcTemplate(dataSource);
		boolean onCancel = this.properties.restore().onCancel();
		boolean onDelete = this.properties.restore().onDelete();
		CounterKeys.of(this.properties.redis());
		ShopCatalog catalog = new ShopCatalog(jdbc, this.names, onCancel);
		boolean createDefaultShop = catalog.check();
		LegacyChecksums.upgrade(jdbc, flyway.getConfiguration().getTable());
		flyway.migrate();
		new TransactionTemplate(new DataSourceTransactionManager(dataSource)).executeWithoutResult((status) -> {
			jdbc.sql(INSTALL_LOCK).query().singleRow();
			if (createDefaultShop) {
				ddl.execute(DefaultShop.TABLES);
			}
			ShopMapping mapping = catalog.resolve();
			new KeyColumns(jdbc, ddl).align(mapping);
			new CaptureTriggers(jdbc, ddl, mapping, onCancel, onDelete).install();
		});
	}

}
