-- The shop's own tables. An existing shop keeps its tables and their extra columns:
-- these statements only create what is absent, so a fresh database (the demo, the tests)
-- gets the minimal shape stockrecon relies on.
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

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_indexes
                   WHERE schemaname = current_schema() AND tablename = 'order_items'
                     AND indexdef LIKE '%(order_id%') THEN
        CREATE INDEX order_items_order_id_idx ON order_items (order_id);
    END IF;
END $$;
