package io.stockrecon.drift;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.stockrecon.shop.CounterKeys;
import io.stockrecon.shop.KeyType;

/**
 * The counter keys of one {@code SCAN} (or {@code HSCAN}) page, held compactly while they
 * wait for the orphan scan to check them: numeric ids as one long and uuids as two (8 and
 * 16 bytes a key, where a key as a string takes about 70), text ids as they are. A key
 * whose id is not a stock key as PostgreSQL prints it ({@code stock:abc} for numeric
 * keys, {@code stock:007}) is kept apart: it is an orphan whatever the stock table holds.
 * <p>
 * A canonical id prints back to the very text it was parsed from, so the key (or hash
 * field) of each id is rebuilt from the template when it is needed.
 */
final class ScannedKeys {

	private final KeyType type;

	private final CounterKeys template;

	/** Numeric ids, or uuids as pairs (most, least significant bits). */
	private final long[] numbers;

	/** Text ids ({@link KeyType#TEXT} only). */
	private final String[] texts;

	private final List<String> withoutStockKey = new ArrayList<>();

	private int size;

	private ScannedKeys(KeyType type, CounterKeys template, int capacity) {
		this.type = type;
		this.template = template;
		this.numbers = switch (type) {
			case BIGINT -> new long[capacity];
			case UUID -> new long[2 * capacity];
			case TEXT -> null;
		};
		this.texts = (type == KeyType.TEXT) ? new String[capacity] : null;
	}

	/** A page's keys (or hash fields), as the scan returned them. */
	static ScannedKeys of(List<String> keys, CounterKeys template, KeyType type) {
		ScannedKeys page = new ScannedKeys(type, template, keys.size());
		for (String key : keys) {
			page.add(key);
		}
		return page;
	}

	private void add(String key) {
		String id = this.template.idOf(key);
		Long number = (this.type == KeyType.BIGINT) ? KeyType.canonicalLong(id) : null;
		if ((this.type == KeyType.BIGINT) ? number == null : !this.type.isCanonical(id)) {
			this.withoutStockKey.add(key);
			return;
		}
		if (this.type == KeyType.BIGINT) {
			this.numbers[this.size] = number;
		}
		else if (this.type == KeyType.UUID) {
			UUID uuid = UUID.fromString(id);
			this.numbers[2 * this.size] = uuid.getMostSignificantBits();
			this.numbers[2 * this.size + 1] = uuid.getLeastSignificantBits();
		}
		else {
			this.texts[this.size] = id;
		}
		this.size++;
	}

	/** How many keys name a stock key. */
	int size() {
		return this.size;
	}

	/** The {@code i}th stock key, as PostgreSQL prints it. */
	String id(int i) {
		return switch (this.type) {
			case BIGINT -> Long.toString(this.numbers[i]);
			case UUID -> new UUID(this.numbers[2 * i], this.numbers[2 * i + 1]).toString();
			case TEXT -> this.texts[i];
		};
	}

	/** The key (or, in a hash, the field) of the {@code i}th stock key. */
	String key(int i) {
		String id = id(i);
		return this.template.inHash() ? this.template.field(id) : this.template.key(id);
	}

	/** The {@code i}th numeric id ({@link KeyType#BIGINT} only). */
	long number(int i) {
		return this.numbers[i];
	}

	/** The most significant bits of the {@code i}th uuid ({@link KeyType#UUID} only). */
	long most(int i) {
		return this.numbers[2 * i];
	}

	/** The least significant bits of the {@code i}th uuid ({@link KeyType#UUID} only). */
	long least(int i) {
		return this.numbers[2 * i + 1];
	}

	/** The keys (or fields) that name no stock key at all. */
	List<String> withoutStockKey() {
		return this.withoutStockKey;
	}

}
