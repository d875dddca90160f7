package io.stockrecon.shop;

/**
 * The minimal shop that stockrecon creates on a database that has none, and only when
 * every shop setting is stockrecon's own name (a fresh database, the demo, the tests). A
 * mapped shop's tables are never created beside the shop's own.
 */
final class DefaultShop {

	static final String TABLES = """
			CREATE TABLE IF NOT EXISTS inventory (
			    product_id bigint PRIMARY KEY,
			    stock      integer NOT NULL
			);
			CREATE TABLE IF NOT EXISTS orders (
			    id         bigint PRIMARY KEY,
			    status     text NOT NULL,
			    updated_at timestamptz
			);
			CREATE TABLE IF NOT EXISTS order_items (
			    order_id   bigint NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
			    product_id bigint NOT NULL,
			    quantity   integer NOT NULL
			);
			CREATE INDEX IF NOT EXISTS order_items_order_id_idx ON order_items (order_id);
			""";

	private DefaultShop() {
	}

}
