package io.stockrecon.restore;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.stockrecon.StockreconProperties;
import io.stockrecon.shop.OrderStatuses;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The restore decisions, one row per rule: which captured events have earned a restore,
 * and which items can be restored.
 */
class RestoreDecisionTests {

	static final Set<String> CANCELLED = Set.of("cancelled", "canceled");

	@ParameterizedTest(name = "{0} event (status {1}), order now {2}/{3}, on-cancel {4}, on-delete {5}: due {6}")
	@CsvSource(nullValues = "gone", textBlock = """
			cancelled, cancelled, cancelled, false, true,  true,  true
			cancelled, cancelled, ' Canceled ', false, true,  true,  true
			cancelled, cancelled, paid,      false, true,  true,  false
			cancelled, cancelled, gone,      false, true,  true,  false
			cancelled, cancelled, cancelled, false, false, true,  false
			deleted,   paid,      gone,      false, true,  true,  true
			deleted,   paid,      paid,      false, true,  true,  false
			deleted,   paid,      paid,      true,  true,  true,  true
			deleted,   paid,      gone,      false, true,  false, false
			deleted,   cancelled, gone,      false, true,  false, true
			deleted,   cancelled, gone,      false, false, true,  false
			deleted,   pending,   gone,      false, true,  true,  false
			""")
	void shouldDecideWhichEventsAreDue(String kind, String statusAtEvent, String statusNow, boolean softDeleted,
			boolean onCancel, boolean onDelete, boolean due) {
		StockreconProperties.Restore settings = new StockreconProperties.Restore(1000, 10, List.of("paid", "new"), 1000,
				onCancel, onDelete);
		OrderEvent event = new OrderEvent(1, "o-1", kind, statusAtEvent);
		RestoreDecision.OrderNow now = (statusNow != null) ? new RestoreDecision.OrderNow(statusNow, softDeleted)
				: null;

		assertThat(RestoreDecision.isDue(event, now, (status) -> CANCELLED.contains(OrderStatuses.normalize(status)),
				settings))
			.isEqualTo(due);
	}

	@ParameterizedTest(name = "{0} units onto stock {1} with {2} pending (max {3}): {4}")
	@CsvSource(nullValues = "none", textBlock = """
			3,  100,        0, 2147483647, none
			0,  100,        0, 2147483647, NON_POSITIVE_QUANTITY
			-2, 100,        0, 2147483647, NON_POSITIVE_QUANTITY
			3,  none,       0, 2147483647, UNKNOWN_PRODUCT
			3,  2147483640, 4, 2147483647, none
			3,  2147483640, 5, 2147483647, STOCK_OVERFLOW
			1,  32767,      0, 32767,      STOCK_OVERFLOW
			7,  9223372036854775800, 0, 9223372036854775807, none
			8,  9223372036854775800, 0, 9223372036854775807, STOCK_OVERFLOW
			""")
	void shouldSkipItemsThatCannotBeRestored(long quantity, Long stock, long pending, long maxStock,
			SkipReason reason) {
		Map<String, Long> stocks = (stock != null) ? Map.of("p", stock) : Map.of();

		assertThat(RestoreDecision.validate(new OrderItem("o", "p", quantity), stocks, Map.of("p", pending), maxStock))
			.isEqualTo(reason);
	}

}
