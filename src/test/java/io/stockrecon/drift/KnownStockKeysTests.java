package io.stockrecon.drift;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The uuids the orphan scan holds in memory: exact, whatever order and shape they come
 * in.
 */
class KnownStockKeysTests {

	@Test
	void shouldKnowEveryUuidItReadAndNoOther() {
		Random random = new Random(12);
		List<UUID> known = new ArrayList<>();
		for (int i = 0; i < 50_000; i++) {
			known.add(new UUID(random.nextLong(), random.nextLong()));
		}
		// time-ordered uuids share their high half; sequences, their both halves but one
		for (int i = 0; i < 5_000; i++) {
			known.add(new UUID(0x0190_0000_0000_7000L, random.nextLong()));
			known.add(new UUID(0, i));
			known.add(new UUID(-1, -i));
		}
		long[] pairs = new long[2 * known.size()];
		for (int i = 0; i < known.size(); i++) {
			pairs[2 * i] = known.get(i).getMostSignificantBits();
			pairs[2 * i + 1] = known.get(i).getLeastSignificantBits();
		}

		KnownStockKeys keys = KnownStockKeys.Uuids.of(pairs, known.size());

		assertThat(known).allMatch((uuid) -> keys.contains(uuid.toString()));
		Set<UUID> all = new HashSet<>(known);
		for (int i = 0; i < 50_000; i++) {
			UUID other = (i % 2 == 0) ? new UUID(random.nextLong(), random.nextLong())
					: new UUID(0x0190_0000_0000_7000L, random.nextLong());
			assertThat(keys.contains(other.toString())).isEqualTo(all.contains(other));
		}
		assertThat(keys.contains(new UUID(0, 5_000).toString())).isFalse();
		assertThat(KnownStockKeys.Uuids.of(new long[0], 0).contains(new UUID(0, 0).toString())).isFalse();
	}

}
