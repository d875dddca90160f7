package io.stockrecon.shop;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.stockrecon.StockreconProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Where a stock key's counter lives, and which keys or fields are counters at all.
 */
class CounterKeysTests {

	@Test
	void shouldNameStringKeysByThePrefixOrTheTemplate() {
		CounterKeys byPrefix = keys("stock:", "", "");
		CounterKeys byTemplate = keys("stock:", "sku:<id>:available", "");

		assertThat(byPrefix.key("42")).isEqualTo("stock:42");
		assertThat(byPrefix.inHash()).isFalse();
		assertThat(byTemplate.key("A-1")).isEqualTo("sku:A-1:available");
		assertThat(byTemplate.idOf("sku:A-1:available")).isEqualTo("A-1");
		assertThat(byTemplate.idOf("sku:A-1")).isNull();
		assertThat(byTemplate.idOf("other:A-1:available")).isNull();
		assertThat(byTemplate.describe("A-1")).isEqualTo("sku:A-1:available");
	}

	@Test
	void shouldPutEveryCounterInOneHashWithAFieldTemplate() {
		CounterKeys hash = keys("stock:", "inventory", "<id>");

		assertThat(hash.inHash()).isTrue();
		assertThat(hash.key("7")).isEqualTo("inventory");
		assertThat(hash.field("7")).isEqualTo("7");
		assertThat(hash.idOf("7")).isEqualTo("7");
		assertThat(hash.describe("7")).isEqualTo("inventory 7");
		assertThat(hash.pattern()).isEqualTo("*");

		CounterKeys fields = keys("stock:", "inventory", "sku:<id>:available");
		assertThat(fields.key("A-1")).isEqualTo("inventory");
		assertThat(fields.field("A-1")).isEqualTo("sku:A-1:available");
		assertThat(fields.idOf("sku:A-1:available")).isEqualTo("A-1");
		assertThat(fields.describe("A-1")).isEqualTo("inventory sku:A-1:available");
	}

	@Test
	void shouldEscapeGlobCharactersInTheScanPattern() {
		assertThat(keys("st*ck[1]?:", "", "").pattern()).isEqualTo("st\\*ck\\[1\\]\\?:*");
		assertThat(keys("", "a\\b:<id>:c", "").pattern()).isEqualTo("a\\\\b:*:c");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			textBlock = """
					test:     | counters      |      | stockrecon.redis.key-prefix is 'test:' and stockrecon.redis.key-template is 'counters'
					stock:    | counters      |      | stockrecon.redis.key-template is 'counters'; it must hold <id>
					stock:    | a:<id>:<id>   |      | it must hold <id>, the stock key's value, exactly once
					stock:    | {stock}:<id>  |      | holds { or }
					stock:    | inv:<id>      | <id> | key-template 'inv:<id>' holds <id>
					stock:    | inventory     | f    | stockrecon.redis.hash-field-template is 'f'; it must hold <id>
					""")
	void shouldRefuseTemplatesThatCannotWork(String prefix, String template, String field, String message) {
		assertThatExceptionOfType(ShopMappingException.class)
			.isThrownBy(() -> keys(prefix, template, (field != null) ? field : ""))
			.withMessageContaining(message);
	}

	private static CounterKeys keys(String prefix, String template, String field) {
		return CounterKeys.of(new StockreconProperties.Redis(prefix, template, field, Duration.ofDays(7)));
	}

}
