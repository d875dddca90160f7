package io.stockrecon.drift;

import org.junit.jupiter.api.Test;

import io.stockrecon.stock.CounterValue;

import static org.assertj.core.api.Assertions.assertThat;

class DriftKindTests {

	@Test
	void shouldClassifyEveryKindOfCounter() {
		assertThat(DriftKind.classify(10, CounterValue.of("10"))).isEqualTo(DriftKind.EQUAL);
		assertThat(DriftKind.classify(10, CounterValue.of("12"))).isEqualTo(DriftKind.REDIS_HIGHER);
		assertThat(DriftKind.classify(10, CounterValue.of("7"))).isEqualTo(DriftKind.REDIS_LOWER);
		assertThat(DriftKind.classify(10, CounterValue.MISSING)).isEqualTo(DriftKind.KEY_MISSING);
		assertThat(DriftKind.classify(10, CounterValue.of("-2"))).isEqualTo(DriftKind.NEGATIVE);
		assertThat(DriftKind.classify(-2, CounterValue.of("-2"))).isEqualTo(DriftKind.EQUAL);
		assertThat(DriftKind.classify(10, CounterValue.WRONG_TYPE)).isEqualTo(DriftKind.NOT_AN_INTEGER);
	}

	@Test
	void shouldAcceptOnlyWhatRedisTakesAsA64BitInteger() {
		assertThat(DriftKind.classify(10, CounterValue.of("ten"))).isEqualTo(DriftKind.NOT_AN_INTEGER);
		assertThat(DriftKind.classify(10, CounterValue.of("10.0"))).isEqualTo(DriftKind.NOT_AN_INTEGER);
		assertThat(DriftKind.classify(10, CounterValue.of(" 10"))).isEqualTo(DriftKind.NOT_AN_INTEGER);
		assertThat(DriftKind.classify(10, CounterValue.of("+10"))).isEqualTo(DriftKind.NOT_AN_INTEGER);
		assertThat(DriftKind.classify(10, CounterValue.of("010"))).isEqualTo(DriftKind.NOT_AN_INTEGER);
		assertThat(DriftKind.classify(10, CounterValue.of("9223372036854775808"))).isEqualTo(DriftKind.NOT_AN_INTEGER);
		assertThat(DriftKind.classify(10, CounterValue.of("9223372036854775807"))).isEqualTo(DriftKind.REDIS_HIGHER);
		assertThat(DriftKind.classify(10, CounterValue.of(""))).isEqualTo(DriftKind.NOT_AN_INTEGER);
		// Redis refuses DECRBY on "-0": a counter holding it is broken even at stock 0
		assertThat(DriftKind.classify(0, CounterValue.of("-0"))).isEqualTo(DriftKind.NOT_AN_INTEGER);
		assertThat(DriftKind.classify(0, CounterValue.of("0"))).isEqualTo(DriftKind.EQUAL);
	}

}
