package io.stockrecon.shop;

import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.stockrecon.cli.ExitCode;
import io.stockrecon.support.MappedShop;
import io.stockrecon.support.RequiresStores;
import io.stockrecon.support.StockreconJar;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A mapping that does not fit the database is refused before anything is installed: exit
 * 2 and one paragraph that names the setting, its value and what the table has, through
 * the packaged jar as an operator runs it.
 */
@ExtendWith(RequiresStores.class)
class WrongMappingIntegrationTests {

	static final String SHOP = """
			CREATE TYPE order_kind AS ENUM ('retail', 'wholesale');
			CREATE TABLE products (id bigint PRIMARY KEY, sku text NOT NULL, price numeric(10, 2), stock integer NOT NULL);
			CREATE TABLE orders (
			    id bigint PRIMARY KEY, state text NOT NULL, kind order_kind NOT NULL, is_deleted boolean NOT NULL
			);
			CREATE TABLE order_items (order_id bigint NOT NULL, product_id bigint NOT NULL, sku text, quantity integer);
			""";

	static final Map<String, String> FITTING = Map.of("stockrecon.shop.stock.table", "products",
			"stockrecon.shop.stock.key-column", "id", "stockrecon.shop.orders.status-column", "state");

	static MappedShop shop;

	@BeforeAll
	static void shopThatStockreconHasNeverSeen() {
		shop = MappedShop.create(SHOP, FITTING);
	}

	static Stream<Arguments> wrongMappings() {
		return Stream.of(
				Arguments.of("--stockrecon.shop.orders.table=order",
						"stockrecon.shop.orders.table is 'order', but schema \"public\" has no table of that name",
						"Its tables: order_items, orders, products."),
				Arguments.of("--stockrecon.shop.orders.status-column=order_status",
						"stockrecon.shop.orders.status-column is 'order_status', but table \"public\".\"orders\" has no such column",
						"Its columns: id bigint, state text, kind order_kind, is_deleted boolean."),
				Arguments.of("--stockrecon.shop.stock.quantity-column=price",
						"stockrecon.shop.stock.quantity-column is 'price', a column of type numeric(10,2)",
						"needs integer or bigint"),
				Arguments.of("--stockrecon.shop.items.key-column=sku",
						"stockrecon.shop.items.key-column is 'sku', of type text in table \"order_items\"",
						"the two cannot be compared"),
				Arguments.of("--stockrecon.shop.orders.status-column=kind",
						"stockrecon.shop.orders.cancelled-statuses is 'cancelled', but the status column 'kind' is of enum type order_kind",
						"Its values: retail, wholesale."),
				Arguments.of("--stockrecon.shop.schema=Shop",
						"stockrecon.shop.schema is 'Shop', but the database has no schema of that name",
						"case-sensitive"),
				Arguments.of("--stockrecon.redis.key-template=counters", "stockrecon.redis.key-template is 'counters'",
						"it must hold <id>"),
				Arguments.of("--stockrecon.shop.orders.deleted-at-column=is_deleted",
						"stockrecon.shop.orders.deleted-at-column is 'is_deleted', a NOT NULL boolean column",
						"it must be nullable and not a flag"),
				Arguments.of("--stockrecon.shop.stock.key-column=sku",
						"stockrecon.shop.stock.key-column is 'sku', but table \"public\".\"products\" has no primary key or unique index on that column alone",
						"stock kept per warehouse is out of scope"));
	}

	@ParameterizedTest
	@MethodSource("wrongMappings")
	void shouldRefuseAWrongMappingWithOneParagraphAndInstallNothing(String setting, String names, String tells) {
		String name = setting.substring(2, setting.indexOf('='));
		StockreconJar.Finished refused = shop.jar(Map.of(name, setting.substring(setting.indexOf('=') + 1)))
			.quickStart()
			.run("run");

		assertThat(refused.exitCode()).as(refused.output()).isEqualTo(ExitCode.USAGE);
		assertThat(refused.output()).contains(names).contains(tells);
		assertThat(refused.output().strip().lines()).as(refused.output()).hasSize(1);
		assertThat(shop.jdbc()
			.sql("SELECT count(*) FROM pg_class WHERE relname LIKE 'stockrecon%' OR relname LIKE 'batch%'")
			.query(Long.class)
			.single()).isZero();
	}

}
