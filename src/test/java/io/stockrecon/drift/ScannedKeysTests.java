package io.stockrecon.drift;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.stockrecon.StockreconProperties;
import io.stockrecon.shop.CounterKeys;
import io.stockrecon.shop.KeyType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A scanned page waits as numbers, and every key it names is rebuilt exactly as Redis
 * returned it: the orphan scan reports and deletes keys by that name.
 */
class ScannedKeysTests {

	@Test
	void shouldHoldNumericIdsAndRebuildTheirKeys() {
		CounterKeys keys = keys("sku:<id>:available", "");
		List<String> scanned = List.of("sku:42:available", "sku:-7:available", "sku:9223372036854775807:available",
				"sku:007:available", "sku:abc:available", "sku:-0:available", "sku:9223372036854775808:available",
				"other:1");

		ScannedKeys page = ScannedKeys.of(scanned, keys, KeyType.BIGINT);

		assertThat(ids(page)).containsExactly("42", "-7", "9223372036854775807");
		assertThat(IntStream.range(0, page.size()).mapToLong(page::number)).containsExactly(42L, -7L, Long.MAX_VALUE);
		assertThat(rebuilt(page)).containsExactly("sku:42:available", "sku:-7:available",
				"sku:9223372036854775807:available");
		assertThat(page.withoutStockKey()).containsExactly("sku:007:available", "sku:abc:available", "sku:-0:available",
				"sku:9223372036854775808:available", "other:1");
	}

	@Test
	void shouldHoldUuidsAsPairsAndRebuildTheirKeys() {
		CounterKeys keys = keys("stock:<id>", "");
		String uuid = "0f8fad5b-d9cb-469f-a165-70867728950e";

		ScannedKeys page = ScannedKeys.of(List.of("stock:" + uuid, "stock:" + uuid.toUpperCase(), "stock:42"), keys,
				KeyType.UUID);

		assertThat(ids(page)).containsExactly(uuid);
		assertThat(page.most(0)).isEqualTo(UUID.fromString(uuid).getMostSignificantBits());
		assertThat(page.least(0)).isEqualTo(UUID.fromString(uuid).getLeastSignificantBits());
		assertThat(rebuilt(page)).containsExactly("stock:" + uuid);
		assertThat(page.withoutStockKey()).containsExactly("stock:" + uuid.toUpperCase(), "stock:42");
	}

	@Test
	void shouldRebuildTheFieldsOfAHashAndKeepTextIdsAsTheyAre() {
		CounterKeys hash = keys("inventory", "sku:<id>");

		ScannedKeys page = ScannedKeys.of(List.of("sku:A-1", "sku:b 2", "other", "sku:x\0y"), hash, KeyType.TEXT);

		assertThat(ids(page)).containsExactly("A-1", "b 2");
		assertThat(rebuilt(page)).containsExactly("sku:A-1", "sku:b 2");
		assertThat(page.withoutStockKey()).containsExactly("other", "sku:x\0y");
	}

	private static List<String> ids(ScannedKeys page) {
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < page.size(); i++) {
			ids.add(page.id(i));
		}
		return ids;
	}

	private static List<String> rebuilt(ScannedKeys page) {
		List<String> rebuilt = new ArrayList<>();
		for (int i = 0; i < page.size(); i++) {
			rebuilt.add(page.key(i));
		}
		return rebuilt;
	}

	private static CounterKeys keys(String keyTemplate, String fieldTemplate) {
		return CounterKeys.of(new StockreconProperties.Redis("", keyTemplate, fieldTemplate, Duration.ofDays(1)));
	}

}
