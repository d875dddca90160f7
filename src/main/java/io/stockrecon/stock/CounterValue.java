package io.stockrecon.stock;

/**
 * What a counter key holds, as read from Redis.
 *
 * @param state whether the key is missing, a string, or of another Redis type
 * @param raw the string value, or {@code null} unless {@code state} is
 * {@link State#STRING}
 */
public record CounterValue(State state, String raw) {

	public static final CounterValue MISSING = new CounterValue(State.MISSING, null);

	public static final CounterValue WRONG_TYPE = new CounterValue(State.WRONG_TYPE, null);

	public static CounterValue of(String raw) {
		return new CounterValue(State.STRING, raw);
	}

	/** Text for the audit table: the value, or a word in angle brackets. */
	public String describe() {
		return switch (this.state) {
			case MISSING -> null;
			case WRONG_TYPE -> "<not a string>";
			case STRING -> this.raw;
		};
	}

	/**
	 * The kinds of key.
	 */
	public enum State {

		MISSING, STRING, WRONG_TYPE

	}

}
