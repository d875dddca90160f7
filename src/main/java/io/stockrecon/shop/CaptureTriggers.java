package io.stockrecon.shop;

import java.util.ArrayList;
import java.util.List;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The triggers that capture, inside the shop's own transactions, every change that may
 * give stock back: a status that becomes cancelled, an order deleted (with its lines,
 * copied before a cascade removes them, or taken from lines the same transaction deleted
 * first), an order soft-deleted. They write to stockrecon's queue, which the restore
 * steps drain exactly once.
 * <p>
 * The statements are generated for the mapping by PostgreSQL itself ({@code format()}
 * with {@code %I} for identifiers and {@code %L} for the cancelled statuses and the
 * {@link EventKinds}), so nothing is pasted into SQL by hand. They are installed in one
 * transaction together with the removal of the previous triggers: a change committed
 * before the switch fired the old triggers, one committed after fires the new ones, and
 * none is lost. When the generated statements equal the installed ones nothing is done,
 * so a job that runs without DDL rights starts as before.
 */
final class CaptureTriggers {

	private static final String CANCELLATION = """
			SELECT format($ddl$CREATE FUNCTION %1$I.stockrecon_capture_cancellation() RETURNS trigger
			LANGUAGE plpgsql AS $fn$
			BEGIN
			    IF lower(btrim(NEW.%4$I::text, E' \\t\\r\\n')) = ANY (%6$L::text[])
			       AND NOT coalesce(lower(btrim(OLD.%4$I::text, E' \\t\\r\\n')) = ANY (%6$L::text[]), false) THEN
			        INSERT INTO %1$I.stockrecon_order_events (order_id, kind, status)
			        VALUES (NEW.%5$I, %7$L, NEW.%4$I::text);
			    END IF;
			    RETURN NULL;
			END $fn$;
			CREATE TRIGGER stockrecon_order_cancelled AFTER UPDATE ON %2$I.%3$I
			    FOR EACH ROW WHEN (OLD.%4$I IS DISTINCT FROM NEW.%4$I)
			    EXECUTE FUNCTION %1$I.stockrecon_capture_cancellation()$ddl$,
			    :internal, :schema, :orders, :status, :id, :cancelled, :cancelledKind)
			""";

	/**
	 * BEFORE, not AFTER: an {@code ON DELETE CASCADE} of the lines runs as an AFTER
	 * trigger that sorts before ours, so only a BEFORE trigger still sees them. Lines
	 * that the same transaction deleted first were kept by the line trigger below.
	 * <p>
	 * What a deletion captures is one function, {@code stockrecon_capture_deleted_order},
	 * called by this trigger and by the soft deletion's: the order's event, its lines (as
	 * they are, and those the same transaction deleted first), and the lines kept for it
	 * forgotten. Its order id is {@code anyelement}: it takes the type of the shop's id.
	 */
	private static final String DELETION = """
			SELECT format($ddl$CREATE FUNCTION %1$I.stockrecon_capture_deleted_order(deleted_order anyelement, status_at_deletion text)
			RETURNS void LANGUAGE plpgsql AS $fn$
			DECLARE
			    captured bigint;
			BEGIN
			    INSERT INTO %1$I.stockrecon_order_events (order_id, kind, status)
			    VALUES (deleted_order, %10$L, status_at_deletion)
			    RETURNING id INTO captured;
			    INSERT INTO %1$I.stockrecon_deleted_order_items (event_id, product_id, quantity)
			    SELECT captured, i.%8$I, i.%9$I FROM %2$I.%6$I i WHERE i.%7$I = deleted_order
			    UNION ALL
			    SELECT captured, r.product_id, r.quantity FROM %1$I.stockrecon_removed_lines r
			    WHERE r.order_id = deleted_order AND r.xid = txid_current();
			    DELETE FROM %1$I.stockrecon_removed_lines WHERE order_id = deleted_order AND xid = txid_current();
			END $fn$;
			CREATE FUNCTION %1$I.stockrecon_capture_deletion() RETURNS trigger
			LANGUAGE plpgsql AS $fn$
			BEGIN
			    PERFORM %1$I.stockrecon_capture_deleted_order(OLD.%5$I, coalesce(OLD.%4$I::text, ''));
			    RETURN OLD;
			END $fn$;
			CREATE TRIGGER stockrecon_order_deleted BEFORE DELETE ON %2$I.%3$I
			    FOR EACH ROW EXECUTE FUNCTION %1$I.stockrecon_capture_deletion()$ddl$,
			    :internal, :schema, :orders, :status, :id, :items, :itemOrder, :itemKey, :itemQuantity, :deletedKind)
			""";

	/**
	 * A line deleted while its order still exists may be the first half of an order
	 * deletion in the same transaction: it is kept, with the transaction's id, for the
	 * order's deletion trigger. The restore step forgets the lines of transactions that
	 * have ended.
	 */
	private static final String REMOVED_LINE = """
			SELECT format($ddl$CREATE FUNCTION %1$I.stockrecon_capture_removed_line() RETURNS trigger
			LANGUAGE plpgsql AS $fn$
			BEGIN
			    IF EXISTS (SELECT 1 FROM %2$I.%3$I o WHERE o.%5$I = OLD.%7$I) THEN
			        INSERT INTO %1$I.stockrecon_removed_lines (order_id, product_id, quantity, xid)
			        VALUES (OLD.%7$I, OLD.%8$I, OLD.%9$I, txid_current());
			    END IF;
			    RETURN NULL;
			END $fn$;
			CREATE TRIGGER stockrecon_line_removed AFTER DELETE ON %2$I.%6$I
			    FOR EACH ROW EXECUTE FUNCTION %1$I.stockrecon_capture_removed_line()$ddl$,
			    :internal, :schema, :orders, :status, :id, :items, :itemOrder, :itemKey, :itemQuantity)
			""";

	/**
	 * Installed with {@link #DELETION}, whose capture it calls.
	 */
	private static final String SOFT_DELETION = """
			SELECT format($ddl$CREATE FUNCTION %1$I.stockrecon_capture_soft_deletion() RETURNS trigger
			LANGUAGE plpgsql AS $fn$
			BEGIN
			    PERFORM %1$I.stockrecon_capture_deleted_order(NEW.%5$I, coalesce(NEW.%4$I::text, ''));
			    RETURN NULL;
			END $fn$;
			CREATE TRIGGER stockrecon_order_soft_deleted AFTER UPDATE ON %2$I.%3$I
			    FOR EACH ROW WHEN (OLD.%6$I IS NULL AND NEW.%6$I IS NOT NULL)
			    EXECUTE FUNCTION %1$I.stockrecon_capture_soft_deletion()$ddl$,
			    :internal, :schema, :orders, :status, :id, :deletedAt)
			""";

	private static final String INSTALLED = """
			SELECT ddl FROM stockrecon_shop_mapping WHERE id = 1
			""";

	/**
	 * Every trigger on any table whose function is one of stockrecon's: the statement
	 * that drops it, and whether it fires.
	 */
	private static final String INSTALLED_TRIGGERS = """
			SELECT format('DROP TRIGGER %I ON %s', t.tgname, t.tgrelid::regclass) AS drop_statement,
			       t.tgenabled IN ('O', 'A') AS enabled
			FROM pg_trigger t
			JOIN pg_proc p ON p.oid = t.tgfoid
			JOIN pg_namespace n ON n.oid = p.pronamespace
			WHERE NOT t.tgisinternal AND n.nspname = :internal AND p.proname LIKE 'stockrecon\\_capture\\_%'
			""";

	private static final String DROP_FUNCTIONS = """
			DROP FUNCTION IF EXISTS stockrecon_capture_cancellation();
			DROP FUNCTION IF EXISTS stockrecon_capture_deletion();
			DROP FUNCTION IF EXISTS stockrecon_capture_removed_line();
			DROP FUNCTION IF EXISTS stockrecon_capture_soft_deletion();
			DROP FUNCTION IF EXISTS stockrecon_capture_deleted_order(anyelement, text);
			""";

	private static final String RECORD = """
			INSERT INTO stockrecon_shop_mapping (id, ddl) VALUES (1, :ddl)
			ON CONFLICT (id) DO UPDATE SET ddl = excluded.ddl, installed_at = now()
			""";

	private static final String INTERNAL_SCHEMA = """
			SELECT current_schema()
			""";

	private final JdbcClient jdbc;

	/** DDL goes out as plain statements: several at once, with dollar-quoted bodies. */
	private final JdbcTemplate ddl;

	private final ShopMapping mapping;

	private final boolean onCancel;

	private final boolean onDelete;

	CaptureTriggers(JdbcClient jdbc, JdbcTemplate ddl, ShopMapping mapping, boolean onCancel, boolean onDelete) {
		this.jdbc = jdbc;
		this.ddl = ddl;
		this.mapping = mapping;
		this.onCancel = onCancel;
		this.onDelete = onDelete;
	}

	/**
	 * Installs the triggers of the mapping, replacing whatever stockrecon installed
	 * before, unless they are installed already. Runs inside the caller's transaction.
	 * @return whether anything changed
	 */
	boolean install() {
		String internal = this.jdbc.sql(INTERNAL_SCHEMA).query(String.class).single();
		List<String> statements = statements(internal);
		String wanted = String.join(";\n", statements);
		String installed = this.jdbc.sql(INSTALLED).query(String.class).optional().orElse(null);
		List<InstalledTrigger> triggers = this.jdbc.sql(INSTALLED_TRIGGERS)
			.param("internal", internal)
			.query(InstalledTrigger.class)
			.list();
		if (wanted.equals(installed) && inPlace(triggers, statements.size())) {
			return false;
		}
		try {
			for (InstalledTrigger trigger : triggers) {
				this.ddl.execute(trigger.dropStatement());
			}
			this.ddl.execute(DROP_FUNCTIONS);
			if (!wanted.isEmpty()) {
				this.ddl.execute(wanted);
			}
		}
		catch (DataAccessException ex) {
			throw new ShopMappingException(
					"The capture triggers must change for this mapping (stockrecon.shop.*, stockrecon.restore.on-cancel/on-delete), but they could not be installed (%s). Start stockrecon once as the owner of the shop's tables with these settings; a job role without DDL rights runs only with the installed mapping."
						.formatted(ex.getMostSpecificCause().getMessage()));
		}
		this.jdbc.sql(RECORD).param("ddl", wanted).update();
		return true;
	}

	/**
	 * The statements for this mapping: cancellations only when stockrecon restores them;
	 * deletions whenever anything is restored, because an order deleted while cancelled
	 * is restored by its deletion.
	 */
	List<String> statements(String internal) {
		List<String> statements = new ArrayList<>();
		if (this.onCancel) {
			statements.add(generate(CANCELLATION, internal));
		}
		if (this.onCancel || this.onDelete) {
			statements.add(generate(DELETION, internal));
			statements.add(generate(REMOVED_LINE, internal));
			if (this.mapping.softDeletes()) {
				statements.add(generate(SOFT_DELETION, internal));
			}
		}
		return statements;
	}

	/**
	 * Whether every installed trigger is still there and enabled: a shop migration that
	 * recreated a table, a restore without triggers or a {@code DISABLE TRIGGER} would
	 * otherwise stop the capture silently.
	 */
	private static boolean inPlace(List<InstalledTrigger> triggers, int expected) {
		// each statement creates one trigger
		return triggers.size() == expected && triggers.stream().allMatch(InstalledTrigger::enabled);
	}

	private String generate(String template, String internal) {
		ShopProperties names = this.mapping.names();
		return this.jdbc.sql(template)
			.param("internal", internal)
			.param("schema", this.mapping.schema())
			.param("orders", names.orders().table())
			.param("status", names.orders().statusColumn())
			.param("id", names.orders().idColumn())
			.param("cancelled", this.mapping.cancelledStatuses().toArray(String[]::new))
			.param("items", names.items().table())
			.param("itemOrder", names.items().orderColumn())
			.param("itemKey", names.items().keyColumn())
			.param("itemQuantity", names.items().quantityColumn())
			.param("deletedAt", names.orders().deletedAtColumn())
			.param("cancelledKind", EventKinds.CANCELLED)
			.param("deletedKind", EventKinds.DELETED)
			.query(String.class)
			.single();
	}

	/** One of stockrecon's triggers as installed. */
	private record InstalledTrigger(String dropStatement, boolean enabled) {

	}

}
