package io.stockrecon.shop;

import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.stockrecon.StockreconProperties;

/**
 * The shop mapping, checked and installed before any job runs.
 */
@Configuration(proxyBeanMethods = false)
public class ShopConfiguration {

	@Bean
	FlywayMigrationStrategy shopInstallation(ShopProperties shop, StockreconProperties properties) {
		return new ShopInstallation(shop, properties);
	}

	/**
	 * Resolved once the migrations ran: {@link JdbcClient} is only available after
	 * Flyway, so the mapping describes the installed shop.
	 */
	@Bean
	ShopMapping shopMapping(JdbcClient jdbc, ShopProperties shop, StockreconProperties properties) {
		return new ShopCatalog(jdbc, shop, properties.restore().onCancel()).resolve();
	}

}
