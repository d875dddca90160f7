package io.stockrecon.shop;

import java.util.List;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Gives the key columns of stockrecon's own tables the kind of the shop's keys, so that
 * the ledger {@code stock_restorations.order_id} has the type of the shop's order id (an
 * application can record its own restorations in it) and every join with a shop table
 * compares like with like.
 */
final class KeyColumns {

	private static final List<String> ORDER_ID_COLUMNS = List.of("stock_restorations.order_id",
			"stockrecon_order_events.order_id", "stockrecon_skipped_items.order_id",
			"stockrecon_removed_lines.order_id");

	private static final List<String> STOCK_KEY_COLUMNS = List.of("stockrecon_deleted_order_items.product_id",
			"stockrecon_skipped_items.product_id", "stockrecon_drift_suspects.product_id",
			"stockrecon_drift_audit.product_id", "stockrecon_removed_lines.product_id");

	private static final String TYPE_OF = """
			SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a
			WHERE a.attrelid = to_regclass(:table) AND a.attname = :column AND NOT a.attisdropped
			""";

	private static final String ALTER = """
			SELECT format('ALTER TABLE %I ALTER COLUMN %I TYPE %s USING %I::text::%s', :table, :column, :type, :column, :type)
			""";

	private final JdbcClient jdbc;

	private final JdbcTemplate ddl;

	KeyColumns(JdbcClient jdbc, JdbcTemplate ddl) {
		this.jdbc = jdbc;
		this.ddl = ddl;
	}

	/** Alters the columns whose type differs; runs inside the caller's transaction. */
	void align(ShopMapping mapping) {
		ORDER_ID_COLUMNS.forEach((column) -> align(column, mapping.orderIdType(), "stockrecon.shop.orders.id-column"));
		STOCK_KEY_COLUMNS
			.forEach((column) -> align(column, mapping.stockKeyType(), "stockrecon.shop.stock.key-column"));
	}

	private void align(String qualified, KeyType type, String setting) {
		String table = qualified.substring(0, qualified.indexOf('.'));
		String column = qualified.substring(qualified.indexOf('.') + 1);
		String now = this.jdbc.sql(TYPE_OF).param("table", table).param("column", column).query(String.class).single();
		if (now.equals(type.sqlType())) {
			return;
		}
		String alter = this.jdbc.sql(ALTER)
			.param("table", table)
			.param("column", column)
			.param("type", type.sqlType())
			.query(String.class)
			.single();
		try {
			this.ddl.execute(alter);
		}
		catch (DataAccessException ex) {
			throw new ShopMappingException(
					"%s maps keys of kind %s, but stockrecon's column %s holds %s values that cannot become %s (%s). A shop's id type cannot change under stockrecon while its tables hold work: let a run empty the queue and outbox, or move those rows aside, then start again."
						.formatted(setting, type.sqlType(), qualified, now, type.sqlType(),
								ex.getMostSpecificCause().getMessage()));
		}
	}

}
