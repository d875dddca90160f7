package io.stockrecon.shop;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;

import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Brings stockrecon into the shop's database at every start, before any job runs:
 * <ol>
 * <li>checks the mapping against the catalog, and refuses a wrong one before anything is
 * installed ({@link ShopMappingException});</li>
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

	private final boolean onCancel;

	private final boolean onDelete;

	public ShopInstallation(ShopProperties names, boolean onCancel, boolean onDelete) {
		this.names = names;
		this.onCancel = onCancel;
		this.onDelete = onDelete;
	}

	@Override
	public void migrate(Flyway flyway) {
		DataSource dataSource = flyway.getConfiguration().getDataSource();
		JdbcClient jdbc = JdbcClient.create(dataSource);
		JdbcTemplate ddl = new JdbcTemplate(dataSource);
		ShopCatalog catalog = new ShopCatalog(jdbc, this.names, this.onCancel);
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
			new CaptureTriggers(jdbc, ddl, mapping, this.onCancel, this.onDelete).install();
		});
	}

}
