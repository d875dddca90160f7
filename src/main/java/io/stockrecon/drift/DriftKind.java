package io.stockrecon.drift;

import io.stockrecon.shop.KeyType;
import io.stockrecon.stock.CounterValue;

/**
 * How a Redis counter compares with PostgreSQL's stock, which is the truth. The codes are
 * what the audit table and the reports show.
 */
public enum DriftKind {

	EQUAL("equal"),

	/** Redis shows more than PostgreSQL has: checkout would oversell. */
	REDIS_HIGHER("redis-higher"),

	/** Redis shows less: checkout refuses sales it could make. */
	REDIS_LOWER("redis-lower"),

	/** No counter at all, for instance after a Redis restart that lost its keys. */
	KEY_MISSING("key-missing"),

	/**
	 * The key holds something that is not a 64-bit decimal integer, or is not a string.
	 */
	NOT_AN_INTEGER("not-an-integer"),

	/** A negative counter that PostgreSQL does not have. */
	NEGATIVE("negative"),

	/** A key under the prefix whose product does not exist in {@code inventory}. */
	ORPHAN("orphan");

	private final String code;

	DriftKind(String code) {
		this.code = code;
	}

	public String code() {
		return this.code;
	}

	/**
	 * Classifies a product's counter against its stock in PostgreSQL.
	 */
	public static DriftKind classify(long postgresStock, CounterValue redis) {
		if (redis.state() == CounterValue.State.MISSING) {
			return KEY_MISSING;
		}
		Long value = (redis.state() == CounterValue.State.STRING) ? parse(redis.raw()) : null;
		if (value == null) {
			return NOT_AN_INTEGER;
		}
		if (value == postgresStock) {
			return EQUAL;
		}
		if (value < 0) {
			return NEGATIVE;
		}
		return (value > postgresStock) ? REDIS_HIGHER : REDIS_LOWER;
	}

	/**
	 * What Redis itself accepts as an integer for INCRBY and DECRBY: no sign on zero, so
	 * not {@code -0}; the same text as PostgreSQL prints for a bigint. Checked by hand:
	 * the first look asks it of every counter.
	 */
	static Long parse(String raw) {
		return KeyType.canonicalLong(raw);
	}

	public static DriftKind ofCode(String code) {
		for (DriftKind kind : values()) {
			if (kind.code.equals(code)) {
				return kind;
			}
		}
		throw new IllegalArgumentException("Unknown drift kind " + code);
	}

}
