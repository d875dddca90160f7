package io.stockrecon.stock;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * What a counter key holds, as read from Redis.
 *
 * @param state whether the key is missing, a string, or of another Redis type
 * @param raw the string value ({@link State#STRING}), its bytes in hex
 * ({@link State#BINARY}), or {@code null}
 */
public record CounterValue(State state, String raw) {

	public static final CounterValue MISSING = new CounterValue(State.MISSING, null);

	public static final CounterValue WRONG_TYPE = new CounterValue(State.WRONG_TYPE, null);

	public static CounterValue of(String raw) {
		return new CounterValue(State.STRING, raw);
	}

	/**
	 * The value of a string key as Redis returned it. Text that PostgreSQL's {@code text}
	 * cannot hold (bytes that are not UTF-8, or a NUL) is kept as hex, so that auditing
	 * it cannot fail the step and a repair can still compare the exact bytes.
	 */
	public static CounterValue of(byte[] value) {
		if (isAsciiWithoutNul(value)) {
			// every counter in practice: UTF-8 and NUL-free, no decoder needed
			return of(new String(value, StandardCharsets.US_ASCII));
		}
		try {
			String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(value)).toString();
			if (text.indexOf('\0') < 0) {
				return of(text);
			}
		}
		catch (CharacterCodingException ex) {
			// not UTF-8: kept as bytes below
		}
		return new CounterValue(State.BINARY, HexFormat.of().formatHex(value));
	}

	private static boolean isAsciiWithoutNul(byte[] value) {
		for (byte b : value) {
			if (b <= 0) {
				return false;
			}
		}
		return true;
	}

	/** The bytes of a string value, or {@code null} when the key holds none. */
	public byte[] bytes() {
		return switch (this.state) {
			case STRING -> this.raw.getBytes(StandardCharsets.UTF_8);
			case BINARY -> HexFormat.of().parseHex(this.raw);
			case MISSING, WRONG_TYPE -> null;
		};
	}

	/** Text for the audit table: the value, or a word in angle brackets. */
	public String describe() {
		return switch (this.state) {
			case MISSING -> null;
			case WRONG_TYPE -> "<not a string>";
			case STRING -> this.raw;
			case BINARY -> "<bytes " + this.raw + ">";
		};
	}

	/**
	 * The kinds of key.
	 */
	public enum State {

		MISSING, STRING,

		/** a string that is not UTF-8 text, or holds a NUL */
		BINARY,

		WRONG_TYPE

	}

}
