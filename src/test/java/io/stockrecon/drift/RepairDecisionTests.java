package io.stockrecon.drift;

import java.time.OffsetDateTime;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.stockrecon.stock.CounterValue;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The repair decisions, one row per rule: what the second look makes of a suspect, and
 * what the compare-and-set's answer makes of a repair. {@code missing} is a counter that
 * does not exist, {@code wrong-type} a key that holds no string.
 */
class RepairDecisionTests {

	@ParameterizedTest(name = "first look {0}/{1}, now exists {2}, stock {3}, Redis {4}, dry run {5}: {6}")
	@CsvSource(nullValues = "locked", textBlock = """
			# first look: PostgreSQL, Redis; now: product exists, stock, Redis; dry run; action
			3, 5,          false, locked, 5,          false, PRODUCT_GONE
			3, 5,          true,  locked, 5,          false, UNSETTLED
			3, 5,          true,  5,      5,          false, RESOLVED
			3, 5,          true,  3,      3,          false, RESOLVED
			3, 5,          true,  4,      5,          false, UNSETTLED
			3, 5,          true,  3,      6,          false, UNSETTLED
			3, 5,          true,  3,      missing,    false, UNSETTLED
			3, 5,          true,  3,      5,          false, REPAIRED
			3, 5,          true,  3,      5,          true,  REPORTED
			3, missing,    true,  3,      missing,    false, REPAIRED
			3, missing,    true,  3,      3,          false, RESOLVED
			3, oops,       true,  3,      oops,       false, REPAIRED
			3, oops,       true,  3,      '03',       false, UNSETTLED
			3, wrong-type, true,  3,      wrong-type, true,  REPORTED
			0, -2,         true,  0,      -2,         false, REPAIRED
			""")
	void shouldDecideWhatTheSecondLookMakesOfASuspect(long postgresBefore, String redisBefore, boolean exists,
			Long stockNow, String redisNow, boolean dryRun, DriftAction action) {
		CounterValue before = counter(redisBefore);
		DriftSuspect suspect = new DriftSuspect("p", DriftKind.classify(postgresBefore, before), before, postgresBefore,
				OffsetDateTime.now());

		assertThat(RepairDecision.secondLook(suspect, exists, stockNow, counter(redisNow), dryRun)).isEqualTo(action);
	}

	@ParameterizedTest(name = "compare-and-set applied {0}: {1}")
	@CsvSource(textBlock = """
			true,  REPAIRED
			false, UNSETTLED
			""")
	void shouldLeaveACounterThatACheckoutMovedAfterTheSecondLookAlone(boolean applied, DriftAction action) {
		assertThat(RepairDecision.afterCompareAndSet(applied)).isEqualTo(action);
	}

	private static CounterValue counter(String value) {
		return switch (value) {
			case "missing" -> CounterValue.MISSING;
			case "wrong-type" -> CounterValue.WRONG_TYPE;
			default -> CounterValue.of(value);
		};
	}

}
