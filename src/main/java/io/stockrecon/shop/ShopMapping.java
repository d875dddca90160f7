package io.stockrecon.shop;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shop's schema, checked against the database ({@link ShopCatalog}): the one source
 * of the names in stockrecon's SQL. A statement that touches a shop table is a text block
 * with placeholders such as <code>${orders}</code> or <code>${orders.id}</code>, which
 * {@link #sql(String)} fills with quoted identifiers taken only from this validated
 * mapping; values stay bound parameters.
 */
public final class ShopMapping {

	private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-z_.]+)}");

	private final ShopProperties names;

	private final String schema;

	private final KeyType orderIdType;

	private final KeyType stockKeyType;

	private final long maxStock;

	private final Map<String, String> identifiers;

	ShopMapping(ShopProperties names, String schema, KeyType orderIdType, KeyType stockKeyType, long maxStock) {
		this.names = names;
		this.schema = schema;
		this.orderIdType = orderIdType;
		this.stockKeyType = stockKeyType;
		this.maxStock = maxStock;
		Map<String, String> ids = new LinkedHashMap<>();
		ids.put("stock", table(names.stock().table()));
		ids.put("stock.key", quote(names.stock().keyColumn()));
		ids.put("stock.quantity", quote(names.stock().quantityColumn()));
		ids.put("orders", table(names.orders().table()));
		ids.put("orders.id", quote(names.orders().idColumn()));
		ids.put("orders.status", quote(names.orders().statusColumn()));
		// the status as stockrecon reads it everywhere (OrderStatuses), and the capture
		// triggers too: trimmed of spaces, tabs and line breaks, lowercased
		ids.put("orders.status_normalized",
				"lower(btrim(" + quote(names.orders().statusColumn()) + "::text, E' \\t\\r\\n'))");
		ids.put("orders.soft_deleted", names.orders().softDeletes()
				? "(" + quote(names.orders().deletedAtColumn()) + " IS NOT NULL)" : "false");
		ids.put("items", table(names.items().table()));
		ids.put("items.order", quote(names.items().orderColumn()));
		ids.put("items.key", quote(names.items().keyColumn()));
		ids.put("items.quantity", quote(names.items().quantityColumn()));
		ids.put("order_id_type", orderIdType.sqlType());
		ids.put("stock_key_type", stockKeyType.sqlType());
		this.identifiers = Map.copyOf(ids);
	}

	/**
	 * The statement with its placeholders replaced by quoted identifiers of the mapped
	 * tables and columns, or by the SQL type of stockrecon's key columns.
	 * @throws IllegalArgumentException for a placeholder that names nothing
	 */
	public String sql(String template) {
		Matcher placeholder = PLACEHOLDER.matcher(template);
		StringBuilder sql = new StringBuilder();
		while (placeholder.find()) {
			String identifier = this.identifiers.get(placeholder.group(1));
			if (identifier == null) {
				throw new IllegalArgumentException("Unknown placeholder " + placeholder.group());
			}
			placeholder.appendReplacement(sql, Matcher.quoteReplacement(identifier));
		}
		placeholder.appendTail(sql);
		return sql.toString();
	}

	/** The names the mapping was built from. */
	public ShopProperties names() {
		return this.names;
	}

	/** The schema of the shop's tables. */
	public String schema() {
		return this.schema;
	}

	public KeyType orderIdType() {
		return this.orderIdType;
	}

	public KeyType stockKeyType() {
		return this.stockKeyType;
	}

	/** The most units the stock column holds: a restore beyond it is skipped. */
	public long maxStock() {
		return this.maxStock;
	}

	/** The stock table, schema-qualified and quoted, for {@code to_regclass(...)}. */
	public String stockTable() {
		return this.identifiers.get("stock");
	}

	public boolean softDeletes() {
		return this.names.orders().softDeletes();
	}

	/** The normalized statuses that mean cancelled. */
	public List<String> cancelledStatuses() {
		return this.names.orders().cancelledStatuses();
	}

	/** Whether a status means cancelled, read trimmed and case-insensitively. */
	public boolean isCancelled(String status) {
		return cancelledStatuses().contains(OrderStatuses.normalize(status));
	}

	private String table(String name) {
		return quote(this.schema) + "." + quote(name);
	}

	/** An identifier as PostgreSQL's {@code quote_ident} always-quoted form. */
	static String quote(String identifier) {
		return "\"" + identifier.replace("\"", "\"\"") + "\"";
	}

}
