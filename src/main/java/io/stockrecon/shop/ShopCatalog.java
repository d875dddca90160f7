package io.stockrecon.shop;

import java.sql.Array;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Checks the mapping against what the database really has, and refuses a mapping that
 * does not fit with one paragraph that names the setting, its value and what the table
 * has: a missing table or column, a quantity that is not an integer, keys of kinds that
 * cannot be compared, a cancelled status that an enum does not know.
 */
final class ShopCatalog {

	private static final String CURRENT_SCHEMA = """
			SELECT current_schema()
			""";

	private static final String SCHEMA_EXISTS = """
			SELECT count(*) FROM pg_namespace WHERE nspname = :schema
			""";

	private static final String TABLES = """
			SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE n.nspname = :schema AND c.relkind IN ('r', 'p')
			ORDER BY c.relname
			""";

	private static final String COLUMNS = """
			SELECT a.attname AS name, a.attnotnull AS not_null,
			       CASE WHEN t.typtype = 'd' THEN b.typname ELSE t.typname END AS type_name,
			       format_type(a.atttypid, a.atttypmod) AS described,
			       (SELECT array_agg(e.enumlabel::text ORDER BY e.enumsortorder) FROM pg_enum e
			        WHERE e.enumtypid = t.oid) AS labels
			FROM pg_attribute a
			JOIN pg_class c ON c.oid = a.attrelid
			JOIN pg_namespace n ON n.oid = c.relnamespace
			JOIN pg_type t ON t.oid = a.atttypid
			LEFT JOIN pg_type b ON b.oid = t.typbasetype
			WHERE n.nspname = :schema AND c.relname = :table AND c.relkind IN ('r', 'p')
			  AND a.attnum > 0 AND NOT a.attisdropped
			ORDER BY a.attnum
			""";

	/** Whether a column alone is unique: the primary key or a unique index on it only. */
	private static final String UNIQUE_ALONE = """
			SELECT count(*) FROM pg_index x
			JOIN pg_class c ON c.oid = x.indrelid
			JOIN pg_namespace n ON n.oid = c.relnamespace
			JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = x.indkey[0]
			WHERE n.nspname = :schema AND c.relname = :table AND a.attname = :column
			  AND x.indisunique AND x.indnatts = 1 AND x.indpred IS NULL AND x.indexprs IS NULL
			""";

	/** A status as PostgreSQL reads it in the capture triggers. */
	private static final String NORMALIZED = """
			SELECT lower(btrim(:status, E' \t\r\n'))
			""";

	private static final Set<String> QUANTITY_TYPES = Set.of("int2", "int4", "int8");

	private static final Set<String> STATUS_TYPES = Set.of("text", "varchar", "bpchar");

	private final JdbcClient jdbc;

	private final ShopProperties names;

	private final boolean restoresCancellations;

	ShopCatalog(JdbcClient jdbc, ShopProperties names, boolean restoresCancellations) {
		this.jdbc = jdbc;
		this.names = names;
		this.restoresCancellations = restoresCancellations;
	}

	/**
	 * Checks the mapping before anything is installed. A database without the shop tables
	 * passes only when every name is stockrecon's own: those tables are then created.
	 * @return whether the shop tables are missing and may be created
	 */
	boolean check() {
		String schema = schema();
		Set<String> tables = Set.copyOf(this.jdbc.sql(TABLES).param("schema", schema).query(String.class).list());
		if (this.names.usesDefaultNames() && !tables.contains(this.names.stock().table())
				&& !tables.contains(this.names.orders().table()) && !tables.contains(this.names.items().table())) {
			return true;
		}
		resolve();
		return false;
	}

	/** The mapping, checked column by column. */
	ShopMapping resolve() {
		String schema = schema();
		ShopProperties.Stock stock = this.names.stock();
		ShopProperties.Orders orders = this.names.orders();
		ShopProperties.Items items = this.names.items();
		Map<String, Column> stockColumns = columns(schema, "stockrecon.shop.stock.table", stock.table());
		Map<String, Column> orderColumns = columns(schema, "stockrecon.shop.orders.table", orders.table());
		Map<String, Column> itemColumns = columns(schema, "stockrecon.shop.items.table", items.table());

		Column stockKey = column(stockColumns, schema, stock.table(), "stockrecon.shop.stock.key-column",
				stock.keyColumn());
		Column stockQuantity = column(stockColumns, schema, stock.table(), "stockrecon.shop.stock.quantity-column",
				stock.quantityColumn());
		Column orderId = column(orderColumns, schema, orders.table(), "stockrecon.shop.orders.id-column",
				orders.idColumn());
		Column status = column(orderColumns, schema, orders.table(), "stockrecon.shop.orders.status-column",
				orders.statusColumn());
		if (orders.softDeletes()) {
			Column deletedAt = column(orderColumns, schema, orders.table(), "stockrecon.shop.orders.deleted-at-column",
					orders.deletedAtColumn());
			if (deletedAt.notNull() || deletedAt.typeName().equals("bool")) {
				throw new ShopMappingException(
						"stockrecon.shop.orders.deleted-at-column is '%s', a %s%s column of table \"%s\".\"%s\"; a soft delete is a column that goes from NULL to a value (such as a deleted_at timestamp), so it must be nullable and not a flag."
							.formatted(deletedAt.name(), deletedAt.notNull() ? "NOT NULL " : "", deletedAt.described(),
									schema, orders.table()));
			}
		}
		Column itemOrder = column(itemColumns, schema, items.table(), "stockrecon.shop.items.order-column",
				items.orderColumn());
		Column itemKey = column(itemColumns, schema, items.table(), "stockrecon.shop.items.key-column",
				items.keyColumn());
		Column itemQuantity = column(itemColumns, schema, items.table(), "stockrecon.shop.items.quantity-column",
				items.quantityColumn());

		KeyType stockKeyType = keyType("stockrecon.shop.stock.key-column", schema, stock.table(), stockKey);
		if (this.jdbc.sql(UNIQUE_ALONE)
			.param("schema", schema)
			.param("table", stock.table())
			.param("column", stockKey.name())
			.query(Long.class)
			.single() == 0) {
			throw new ShopMappingException(
					"stockrecon.shop.stock.key-column is '%s', but table \"%s\".\"%s\" has no primary key or unique index on that column alone: stockrecon adds restored units to the one row of a stock key, so the key must be unique (stock kept per warehouse is out of scope)."
						.formatted(stockKey.name(), schema, stock.table()));
		}
		KeyType orderIdType = keyType("stockrecon.shop.orders.id-column", schema, orders.table(), orderId);
		sameKind("stockrecon.shop.items.key-column", items.table(), itemKey, "stockrecon.shop.stock.key-column",
				stock.table(), stockKey, stockKeyType);
		sameKind("stockrecon.shop.items.order-column", items.table(), itemOrder, "stockrecon.shop.orders.id-column",
				orders.table(), orderId, orderIdType);
		integer("stockrecon.shop.stock.quantity-column", schema, stock.table(), stockQuantity);
		integer("stockrecon.shop.items.quantity-column", schema, items.table(), itemQuantity);
		checkStatus(schema, orders, status);
		long maxStock = switch (stockQuantity.typeName()) {
			case "int2" -> Short.MAX_VALUE;
			case "int4" -> Integer.MAX_VALUE;
			default -> Long.MAX_VALUE;
		};
		return new ShopMapping(this.names, schema, orderIdType, stockKeyType, maxStock);
	}

	private String schema() {
		if (!this.names.schema().isEmpty()) {
			long found = this.jdbc.sql(SCHEMA_EXISTS).param("schema", this.names.schema()).query(Long.class).single();
			if (found == 0) {
				throw new ShopMappingException(
						"stockrecon.shop.schema is '%s', but the database has no schema of that name (names are case-sensitive). Set it to the schema of the shop's tables, or leave it empty for the connection's current schema."
							.formatted(this.names.schema()));
			}
			return this.names.schema();
		}
		String current = this.jdbc.sql(CURRENT_SCHEMA).query(String.class).optional().orElse(null);
		if (current == null) {
			throw new ShopMappingException(
					"The connection has no current schema (its search_path names no existing schema). Set stockrecon.shop.schema to the schema of the shop's tables.");
		}
		return current;
	}

	private Map<String, Column> columns(String schema, String setting, String table) {
		Map<String, Column> columns = new LinkedHashMap<>();
		this.jdbc.sql(COLUMNS).param("schema", schema).param("table", table).query((rs) -> {
			Array labels = rs.getArray("labels");
			columns.put(rs.getString("name"),
					new Column(rs.getString("name"), rs.getString("type_name"), rs.getString("described"),
							rs.getBoolean("not_null"),
							(labels != null) ? List.of((String[]) labels.getArray()) : null));
		});
		if (columns.isEmpty()) {
			List<String> tables = this.jdbc.sql(TABLES).param("schema", schema).query(String.class).list();
			throw new ShopMappingException(
					"%s is '%s', but schema \"%s\" has no table of that name (names are case-sensitive). Its tables: %s."
						.formatted(setting, table, schema, tables.isEmpty() ? "none" : String.join(", ", tables)));
		}
		return columns;
	}

	private static Column column(Map<String, Column> columns, String schema, String table, String setting,
			String name) {
		Column column = columns.get(name);
		if (column == null) {
			throw new ShopMappingException(
					"%s is '%s', but table \"%s\".\"%s\" has no such column (names are case-sensitive). Its columns: %s."
						.formatted(setting, name, schema, table,
								columns.values()
									.stream()
									.map((c) -> c.name() + " " + c.described())
									.collect(Collectors.joining(", "))));
		}
		return column;
	}

	private static KeyType keyType(String setting, String schema, String table, Column column) {
		KeyType type = KeyType.ofColumnType(column.typeName());
		if (type == null) {
			throw new ShopMappingException(
					"%s is '%s', a column of type %s in table \"%s\".\"%s\"; a key must be bigint, integer, uuid, text or varchar."
						.formatted(setting, column.name(), column.described(), schema, table));
		}
		return type;
	}

	private static void sameKind(String setting, String table, Column column, String otherSetting, String otherTable,
			Column other, KeyType expected) {
		if (KeyType.ofColumnType(column.typeName()) != expected) {
			throw new ShopMappingException(
					"%s is '%s', of type %s in table \"%s\", but %s '%s' of \"%s\" is %s: the two cannot be compared. Map columns of the same kind (both numbers, both uuid, or both text)."
						.formatted(setting, column.name(), column.described(), table, otherSetting, other.name(),
								otherTable, other.described()));
		}
	}

	private static void integer(String setting, String schema, String table, Column column) {
		if (!QUANTITY_TYPES.contains(column.typeName())) {
			throw new ShopMappingException(
					"%s is '%s', a column of type %s in table \"%s\".\"%s\"; stockrecon counts whole units and needs integer or bigint (fractional quantities are out of scope)."
						.formatted(setting, column.name(), column.described(), schema, table));
		}
	}

	private void checkStatus(String schema, ShopProperties.Orders orders, Column status) {
		if (status.labels() == null && !STATUS_TYPES.contains(status.typeName())) {
			throw new ShopMappingException(
					"stockrecon.shop.orders.status-column is '%s', a column of type %s in table \"%s\".\"%s\"; the status must be text, varchar or an enum type."
						.formatted(status.name(), status.described(), schema, orders.table()));
		}
		for (String cancelled : orders.cancelledStatuses()) {
			String read = this.jdbc.sql(NORMALIZED).param("status", cancelled).query(String.class).single();
			if (!cancelled.equals(read)) {
				throw new ShopMappingException(
						"stockrecon.shop.orders.cancelled-statuses holds '%s', which PostgreSQL reads as '%s' (lower() in this database's collation): write it as PostgreSQL does, so that the capture trigger and the job agree."
							.formatted(cancelled, read));
			}
		}
		if (this.restoresCancellations && orders.cancelledStatuses().isEmpty()) {
			throw new ShopMappingException(
					"stockrecon.shop.orders.cancelled-statuses is empty, but stockrecon.restore.on-cancel is true. Name the statuses that mean cancelled (e.g. cancelled,canceled), or set stockrecon.restore.on-cancel=false if the shop restocks cancellations itself.");
		}
		if (status.labels() != null && this.restoresCancellations) {
			Set<String> known = status.labels().stream().map(OrderStatuses::normalize).collect(Collectors.toSet());
			List<String> unknown = orders.cancelledStatuses().stream().filter((s) -> !known.contains(s)).toList();
			if (!unknown.isEmpty()) {
				throw new ShopMappingException(
						"stockrecon.shop.orders.cancelled-statuses is '%s', but the status column '%s' is of enum type %s, which has no value %s. Its values: %s."
							.formatted(String.join(",", orders.cancelledStatuses()), status.name(), status.described(),
									String.join(", ", unknown), String.join(", ", status.labels())));
			}
		}
	}

	/** A column of a shop table, as the catalog describes it. */
	private record Column(String name, String typeName, String described, boolean notNull, List<String> labels) {

		@Override
		public String toString() {
			return this.name + " " + this.described
					+ ((this.labels != null) ? " " + Arrays.toString(this.labels.toArray()) : "");
		}

	}

}
