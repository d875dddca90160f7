package io.stockrecon.shop;

import io.stockrecon.StockreconProperties;

/**
 * Where a stock key's counter lives in Redis: a string key per stock key
 * ({@code stock:<id>}), or a field per stock key in one hash ({@code HINCRBY inventory
 * <id>}). Built from {@code stockrecon.redis.*} and refused, with the setting named, when
 * the templates cannot work.
 */
public final class CounterKeys {

	static final String ID = "<id>";

	private static final String DEFAULT_PREFIX = "stock:";

	private final String keyTemplate;

	private final String fieldTemplate;

	/** What comes before the id in a key (or, in a hash, a field). */
	private final String idPrefix;

	/** What comes after the id in a key (or, in a hash, a field). */
	private final String idSuffix;

	private CounterKeys(String keyTemplate, String fieldTemplate) {
		this.keyTemplate = keyTemplate;
		this.fieldTemplate = fieldTemplate;
		String template = (fieldTemplate != null) ? fieldTemplate : keyTemplate;
		this.idPrefix = template.substring(0, template.indexOf(ID));
		this.idSuffix = template.substring(template.indexOf(ID) + ID.length());
	}

	/**
	 * The counters' layout from the settings. An empty key template is
	 * {@code <key-prefix><id>}: the prefix is the shorthand, {@code stock:} by default.
	 * @throws ShopMappingException when the templates cannot work
	 */
	public static CounterKeys of(StockreconProperties.Redis settings) {
		String template = settings.keyTemplate();
		if (template.isEmpty()) {
			template = settings.keyPrefix() + ID;
		}
		else if (!settings.keyPrefix().isEmpty() && !settings.keyPrefix().equals(DEFAULT_PREFIX)) {
			throw new ShopMappingException(
					"stockrecon.redis.key-prefix is '%s' and stockrecon.redis.key-template is '%s': set only one (the prefix is a shorthand for the template <prefix><id>)."
						.formatted(settings.keyPrefix(), template));
		}
		if (template.contains("{") || template.contains("}")) {
			throw new ShopMappingException(
					"stockrecon.redis.key-template is '%s', which holds { or }: stockrecon puts the counter's key in a hash tag so that its delivery markers share the counter's cluster slot."
						.formatted(template));
		}
		String field = settings.hashFieldTemplate();
		if (field.isEmpty()) {
			requireOneId("stockrecon.redis.key-template", template);
			return new CounterKeys(template, null);
		}
		if (template.contains(ID)) {
			throw new ShopMappingException(
					"stockrecon.redis.hash-field-template is '%s', so counters are fields of one hash, but stockrecon.redis.key-template '%s' holds <id>: name the one hash, e.g. key-template=inventory."
						.formatted(field, template));
		}
		requireOneId("stockrecon.redis.hash-field-template", field);
		return new CounterKeys(template, field);
	}

	private static void requireOneId(String setting, String template) {
		int first = template.indexOf(ID);
		if (first < 0 || template.indexOf(ID, first + 1) >= 0) {
			throw new ShopMappingException(
					"%s is '%s'; it must hold <id>, the stock key's value, exactly once (e.g. stock:<id>)."
						.formatted(setting, template));
		}
	}

	/** Whether counters are fields of one hash. */
	public boolean inHash() {
		return this.fieldTemplate != null;
	}

	/** The key of a stock key's counter: its own key, or the hash that holds it. */
	public String key(String id) {
		// split once, not searched per key: the first look asks for every key
		return inHash() ? this.keyTemplate : this.idPrefix + id + this.idSuffix;
	}

	/** The hash field of a stock key's counter ({@link #inHash()} only). */
	public String field(String id) {
		return this.idPrefix + id + this.idSuffix;
	}

	/** How the audit names a counter: its key, or the hash and the field. */
	public String describe(String id) {
		return inHash() ? this.keyTemplate + " " + field(id) : key(id);
	}

	/** The one hash that holds the counters ({@link #inHash()} only). */
	public String hash() {
		return this.keyTemplate;
	}

	/**
	 * The stock key a counter's key (or hash field) names, or {@code null} when it does
	 * not follow the template.
	 */
	public String idOf(String keyOrField) {
		if (keyOrField.length() < this.idPrefix.length() + this.idSuffix.length()
				|| !keyOrField.startsWith(this.idPrefix) || !keyOrField.endsWith(this.idSuffix)) {
			return null;
		}
		return keyOrField.substring(this.idPrefix.length(), keyOrField.length() - this.idSuffix.length());
	}

	/** A {@code SCAN}/{@code HSCAN} pattern that matches every counter, glob-escaped. */
	public String pattern() {
		return escape(this.idPrefix) + "*" + escape(this.idSuffix);
	}

	private static String escape(String literal) {
		return literal.replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
	}

}
