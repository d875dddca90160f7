package io.stockrecon.shop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * SQL gets the shop's names only from the validated mapping, always quoted.
 */
class ShopMappingTests {

	static final Pattern TEXT_BLOCK = Pattern.compile("(?s)\"\"\"(.*?)\"\"\"");

	static final ShopMapping NEXT_JS_SHOP = new ShopMapping(
			new ShopProperties("shop", new ShopProperties.Stock("products", "id", "stock_quantity"),
					new ShopProperties.Orders("order", "id", "order_status", List.of(" Canceled", "cancelled"),
							"deleted_at"),
					new ShopProperties.Items("order_line", "order_id", "product_id", "qty")),
			"shop", KeyType.UUID, KeyType.UUID, Long.MAX_VALUE);

	@Test
	void shouldQuoteEveryIdentifierAndQualifyEveryTable() {
		assertThat(NEXT_JS_SHOP.sql("""
				SELECT ${orders.id}, ${orders.soft_deleted} FROM ${orders}
				WHERE ${orders.id} = ANY(CAST(:ids AS ${order_id_type}[])) AND ${orders.status_normalized} = 'x'
				""")).isEqualTo("""
				SELECT "id", ("deleted_at" IS NOT NULL) FROM "shop"."order"
				WHERE "id" = ANY(CAST(:ids AS uuid[])) AND lower(btrim("order_status"::text, E' \\t\\r\\n')) = 'x'
				""");
	}

	@Test
	void shouldDoubleQuotesInsideNames() {
		ShopMapping odd = new ShopMapping(
				new ShopProperties("", new ShopProperties.Stock("my \"stock\"", "key", "units"),
						ShopProperties.DEFAULTS.orders(), ShopProperties.DEFAULTS.items()),
				"public", KeyType.BIGINT, KeyType.TEXT, Integer.MAX_VALUE);

		assertThat(odd.sql("UPDATE ${stock} SET ${stock.quantity} = 0"))
			.isEqualTo("UPDATE \"public\".\"my \"\"stock\"\"\" SET \"units\" = 0");
		assertThat(odd.stockTable()).isEqualTo("\"public\".\"my \"\"stock\"\"\"");
	}

	@Test
	void shouldRefuseAPlaceholderThatNamesNothing() {
		assertThatIllegalArgumentException().isThrownBy(() -> NEXT_JS_SHOP.sql("SELECT ${orders.total} FROM ${orders}"))
			.withMessageContaining("${orders.total}");
	}

	@ParameterizedTest
	@CsvSource({ "canceled, true", "' CANCELED\t', true", "Cancelled, true", "cancel, false", "paid, false",
			"'', false" })
	void shouldReadStatusesTrimmedAndCaseInsensitively(String status, boolean cancelled) {
		assertThat(NEXT_JS_SHOP.isCancelled(status)).isEqualTo(cancelled);
	}

	@ParameterizedTest
	@CsvSource({ "BIGINT, 42, true", "BIGINT, -5, true", "BIGINT, 007, false", "BIGINT, 99999999999999999999, false",
			"BIGINT, abc, false", "BIGINT, 0, true", "BIGINT, -0, false", "BIGINT, +5, false", "BIGINT, '', false",
			"BIGINT, -, false", "BIGINT, 9223372036854775807, true", "BIGINT, -9223372036854775808, true",
			"BIGINT, 9223372036854775808, false", "BIGINT, 4 2, false",
			"UUID, 0f8fad5b-d9cb-469f-a165-70867728950e, true", "UUID, 0F8FAD5B-D9CB-469F-A165-70867728950E, false",
			"UUID, 42, false", "UUID, 0f8fad5bd9cb469fa16570867728950e, false",
			"UUID, 0f8fad5b-d9cb-469f-a165-70867728950g, false", "UUID, 0f8fad5b-d9cb-469f-a165_70867728950e, false",
			"UUID, {0f8fad5b-d9cb-469f-a165-70867728950e}, false", "TEXT, ord_01H, true", "TEXT, '', true" })
	void shouldTellKeysAsPostgresPrintsThem(KeyType type, String key, boolean canonical) {
		assertThat(type.isCanonical(key)).isEqualTo(canonical);
	}

	/**
	 * Every placeholder that stockrecon's SQL uses is one the mapping fills: a typo would
	 * otherwise fail only when that statement first runs.
	 */
	@Test
	void shouldFillEveryPlaceholderThatTheMainCodeUses() throws IOException {
		List<String> blocks = new ArrayList<>();
		try (Stream<Path> sources = Files.walk(Path.of("src", "main", "java"))) {
			for (Path source : sources.filter((path) -> path.toString().endsWith(".java")).toList()) {
				Matcher block = TEXT_BLOCK.matcher(Files.readString(source));
				while (block.find()) {
					if (block.group(1).contains("${")) {
						blocks.add(block.group(1));
					}
				}
			}
		}
		assertThat(blocks).hasSizeGreaterThan(15);
		blocks.forEach((sql) -> assertThat(NEXT_JS_SHOP.sql(sql)).doesNotContain("${"));
	}

}
