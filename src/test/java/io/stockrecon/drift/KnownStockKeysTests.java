package io.stockrecon.drift;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The keys the orphan scan holds in memory: exact, whatever order and shape they come in,
 * and read from PostgreSQL's binary {@code COPY} format as its documentation defines it
 * (VerifyIntegrationTests reads a real table).
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

	@Test
	void shouldReadUuidsFromBinaryCopySkippingNullsAndTheHeaderExtension() throws IOException {
		List<UUID> uuids = List.of(UUID.fromString("00000000-0000-0000-0000-000000000001"),
				UUID.fromString("ffffffff-ffff-ffff-ffff-fffffffffffe"),
				UUID.fromString("7f000000-0000-4000-8000-00000000ff00"));
		ByteArrayOutputStream copy = new ByteArrayOutputStream();
		DataOutputStream out = new DataOutputStream(copy);
		out.writeBytes("PGCOPY\n");
		out.write(new byte[] { (byte) 0xff, '\r', '\n', 0 });
		out.writeInt(0);
		// a header extension, which a reader skips
		out.writeInt(3);
		out.write(new byte[] { 1, 2, 3 });
		for (UUID uuid : uuids) {
			out.writeShort(1);
			out.writeInt(16);
			out.writeLong(uuid.getMostSignificantBits());
			out.writeLong(uuid.getLeastSignificantBits());
			// a NULL key between each
			out.writeShort(1);
			out.writeInt(-1);
		}
		out.writeShort(-1);

		KnownStockKeys keys = KnownStockKeys.Uuids
			.read(new KnownStockKeys.KeyStream(new ByteArrayInputStream(copy.toByteArray())), 1);

		assertThat(uuids).allMatch((uuid) -> keys.contains(uuid.toString()));
		assertThat(keys.contains("00000000-0000-0000-0000-000000000002")).isFalse();
		assertThat(keys.contains("ffffffff-ffff-ffff-ffff-ffffffffffff")).isFalse();
	}

	/**
	 * A uuid shop bigger than the table's estimate said: past
	 * {@link KnownStockKeys#MAX_UUIDS} the scan holds nothing (it asks PostgreSQL a page
	 * at a time instead), and the copy is still read to its trailer, so that its
	 * connection can be used again.
	 */
	@Test
	void shouldGiveUpPastTheUuidsItMayHoldAndStillReadTheCopyToItsEnd() throws IOException {
		// far more than one buffer past the bound: stopping there would leave bytes
		// unread
		int keys = KnownStockKeys.MAX_UUIDS + 100_000;
		ByteArrayOutputStream copy = new ByteArrayOutputStream(19 + keys * 22 + 2);
		DataOutputStream out = new DataOutputStream(copy);
		out.writeBytes("PGCOPY\n");
		out.write(new byte[] { (byte) 0xff, '\r', '\n', 0 });
		out.writeInt(0);
		out.writeInt(0);
		for (int i = 0; i < keys; i++) {
			out.writeShort(1);
			out.writeInt(16);
			out.writeLong(i);
			out.writeLong(-i);
		}
		out.writeShort(-1);
		ByteArrayInputStream stream = new ByteArrayInputStream(copy.toByteArray());

		// the estimate was low, as a stale one would be
		KnownStockKeys read = KnownStockKeys.Uuids.read(new KnownStockKeys.KeyStream(stream), 1_000);

		assertThat(read).isNull();
		assertThat(stream.available()).isZero();
	}

}
