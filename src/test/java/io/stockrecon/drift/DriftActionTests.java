package io.stockrecon.drift;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class DriftActionTests {

	@Test
	void shouldKeepTheCodesStoredInTheAuditTable() {
		assertThat(Arrays.stream(DriftAction.values()).map(DriftAction::code)).containsExactly("repaired", "reported",
				"resolved", "unsettled", "product-gone", "deleted");
	}

	@Test
	void shouldReadEveryCodeBack() {
		for (DriftAction action : DriftAction.values()) {
			assertThat(DriftAction.ofCode(action.code())).isEqualTo(action);
		}
		assertThatIllegalArgumentException().isThrownBy(() -> DriftAction.ofCode("REPAIRED"));
	}

	@Test
	void shouldCountOnlyRepairedAndReportedAsConfirmedDrift() {
		assertThat(Arrays.stream(DriftAction.values()).filter(DriftAction::confirmsDrift))
			.containsExactly(DriftAction.REPAIRED, DriftAction.REPORTED);
	}

}
