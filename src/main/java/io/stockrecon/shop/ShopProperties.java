package io.stockrecon.shop;

import java.util.List;
import java.util.Objects;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Where the shop keeps its truth: every {@code stockrecon.shop.*} setting. Names are
 * written as the database spells them (case-sensitive) and are always quoted; defaults
 * are stockrecon's own names, in {@code application.properties}.
 *
 * @param schema the schema of the shop's tables; empty means the connection's current
 * schema
 * @param stock the table of available stock
 * @param orders the orders table
 * @param items the order lines table
 */
@Validated
@ConfigurationProperties("stockrecon.shop")
public record ShopProperties(String schema, @Valid @NotNull Stock stock, @Valid @NotNull Orders orders,
		@Valid @NotNull Items items) {

	/** The names stockrecon creates on a fresh database. */
	static final ShopProperties DEFAULTS = new ShopProperties("", new Stock("inventory", "product_id", "stock"),
			new Orders("orders", "id", "status", List.of("cancelled"), ""),
			new Items("order_items", "order_id", "product_id", "quantity"));

	public ShopProperties {
		schema = (schema != null) ? schema.strip() : "";
	}

	/**
	 * Whether every name is stockrecon's own: only then may stockrecon create the shop
	 * tables that are missing (a fresh database, the demo, the tests).
	 */
	boolean usesDefaultNames() {
		return this.schema.isEmpty() && this.stock.equals(DEFAULTS.stock) && this.orders.table.equals("orders")
				&& this.items.equals(DEFAULTS.items) && this.orders.idColumn.equals("id")
				&& this.orders.statusColumn.equals("status");
	}

	/**
	 * @param table one row per stock key
	 * @param keyColumn the stock key: bigint, integer, uuid, text or varchar
	 * @param quantityColumn available units, integer or bigint
	 */
	public record Stock(@NotBlank String table, @NotBlank String keyColumn, @NotBlank String quantityColumn) {

	}

	/**
	 * @param table the orders
	 * @param idColumn the order id: bigint, integer, uuid, text or varchar
	 * @param statusColumn text, varchar or an enum type
	 * @param cancelledStatuses the statuses that mean cancelled, compared trimmed and
	 * case-insensitively
	 * @param deletedAtColumn set for a shop that soft-deletes: an order counts as deleted
	 * when this column goes from NULL to a value
	 */
	public record Orders(@NotBlank String table, @NotBlank String idColumn, @NotBlank String statusColumn,
			List<String> cancelledStatuses, String deletedAtColumn) {

		public Orders {
			cancelledStatuses = (cancelledStatuses != null)
					? cancelledStatuses.stream().map(OrderStatuses::normalize).filter((s) -> !s.isEmpty()).toList()
					: List.of();
			deletedAtColumn = Objects.requireNonNullElse(deletedAtColumn, "").strip();
		}

		public boolean softDeletes() {
			return !this.deletedAtColumn.isEmpty();
		}

	}

	/**
	 * @param table the order lines
	 * @param orderColumn references the order
	 * @param keyColumn the stock key the line sells
	 * @param quantityColumn the units of the line
	 */
	public record Items(@NotBlank String table, @NotBlank String orderColumn, @NotBlank String keyColumn,
			@NotBlank String quantityColumn) {

	}

}
