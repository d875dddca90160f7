package io.stockrecon.stock;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.stockrecon.drift.DriftKind;

import static org.assertj.core.api.Assertions.assertThat;

class CounterValueTests {

	@Test
	void shouldKeepTextAsTextAndOtherBytesAsHexThatPostgresCanStore() {
		assertThat(CounterValue.of("42".getBytes(StandardCharsets.UTF_8))).isEqualTo(CounterValue.of("42"));
		assertThat(CounterValue.of("zwölf".getBytes(StandardCharsets.UTF_8))).isEqualTo(CounterValue.of("zwölf"));

		CounterValue notUtf8 = CounterValue.of(new byte[] { (byte) 0xff, (byte) 0xfe });
		CounterValue withNul = CounterValue.of(new byte[] { '1', 0, '2' });

		assertThat(notUtf8).isEqualTo(new CounterValue(CounterValue.State.BINARY, "fffe"));
		assertThat(notUtf8.describe()).isEqualTo("<bytes fffe>");
		assertThat(notUtf8.bytes()).containsExactly(0xff, 0xfe);
		assertThat(withNul.raw()).isEqualTo("310032");
		assertThat(withNul.bytes()).containsExactly('1', 0, '2');
		assertThat(DriftKind.classify(12, withNul)).isEqualTo(DriftKind.NOT_AN_INTEGER);
	}

}
