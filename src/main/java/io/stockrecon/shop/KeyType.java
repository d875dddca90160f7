package io.stockrecon.shop;

import java.util.Comparator;

/**
 * The kinds of id a shop uses for its orders and stock keys, and the type stockrecon's
 * own tables give them. Keys travel through the job as text; SQL casts them back with
 * {@link #sqlType()}.
 */
public enum KeyType {

	/** {@code bigint}, {@code integer} or {@code smallint} ids. */
	BIGINT("bigint"),

	/** {@code uuid} ids, in PostgreSQL's lowercase text form. */
	UUID("uuid"),

	/** {@code text} or {@code varchar} ids. */
	TEXT("text");

	private final String sqlType;

	KeyType(String sqlType) {
		this.sqlType = sqlType;
	}

	/** The type of stockrecon's columns that hold such a key. */
	public String sqlType() {
		return this.sqlType;
	}

	/**
	 * Whether a text is a key as PostgreSQL prints it: {@code 007} is not the bigint 7's
	 * text, and an uppercase uuid is not how PostgreSQL prints one, so a Redis key built
	 * from either belongs to no product.
	 */
	public boolean isCanonical(String key) {
		if (key == null) {
			return false;
		}
		// by hand, not by regular expressions: the orphan scan asks this of every key
		return switch (this) {
			case BIGINT -> canonicalLong(key) != null;
			case UUID -> isCanonicalUuid(key);
			case TEXT -> key.indexOf(0) < 0;
		};
	}

	/** {@code [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}} */
	private static boolean isCanonicalUuid(String key) {
		if (key.length() != 36) {
			return false;
		}
		for (int i = 0; i < 36; i++) {
			char c = key.charAt(i);
			boolean valid = (i == 8 || i == 13 || i == 18 || i == 23) ? c == '-'
					: (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
			if (!valid) {
				return false;
			}
		}
		return true;
	}

	/**
	 * The value of a text that is a long as PostgreSQL prints it,
	 * {@code 0|-?[1-9][0-9]{0,18}} within the range of a long, or {@code null}. It is
	 * also exactly what Redis takes as an integer for {@code INCRBY}.
	 */
	public static Long canonicalLong(String text) {
		if (text == null) {
			return null;
		}
		int first = text.startsWith("-") ? 1 : 0;
		int digits = text.length() - first;
		if (digits < 1 || digits > 19 || (text.charAt(first) == '0' && (digits > 1 || first == 1))) {
			return null;
		}
		for (int i = first; i < text.length(); i++) {
			if (text.charAt(i) < '0' || text.charAt(i) > '9') {
				return null;
			}
		}
		try {
			return Long.parseLong(text);
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	/** The order of keys, numeric for numbers. */
	public Comparator<String> order() {
		return (this == BIGINT) ? Comparator.comparingLong(Long::parseLong) : Comparator.naturalOrder();
	}

	/**
	 * The key type of a PostgreSQL column type ({@code pg_type.typname}), or {@code null}
	 * when stockrecon cannot use it as a key.
	 */
	static KeyType ofColumnType(String typname) {
		return switch (typname) {
			case "int2", "int4", "int8" -> BIGINT;
			case "uuid" -> UUID;
			case "text", "varchar" -> TEXT;
			default -> null;
		};
	}

}
