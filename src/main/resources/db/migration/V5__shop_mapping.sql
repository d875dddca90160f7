-- The capture triggers installed for the shop mapping, as generated: a start whose mapping
-- generates the same statements installs nothing (and needs no DDL rights).
CREATE TABLE stockrecon_shop_mapping (
    id           integer PRIMARY KEY CHECK (id = 1),
    ddl          text NOT NULL,
    installed_at timestamptz NOT NULL DEFAULT now()
);

-- Lines deleted while their order still existed, with the deleting transaction: an
-- application that deletes an order's lines first and the order next, in one transaction,
-- gets the order restored from these. Lines of transactions that ended without deleting
-- their order are forgotten by the restore step.
CREATE TABLE stockrecon_removed_lines (
    order_id   bigint NOT NULL,
    product_id bigint NOT NULL,
    quantity   bigint NOT NULL,
    xid        bigint NOT NULL
);
CREATE INDEX stockrecon_removed_lines_order_idx ON stockrecon_removed_lines (order_id, xid);

-- Quantities and stock as the shop keeps them: integer or bigint.
ALTER TABLE stockrecon_deleted_order_items ALTER COLUMN quantity TYPE bigint;
ALTER TABLE stockrecon_skipped_items ALTER COLUMN quantity TYPE bigint;
ALTER TABLE stockrecon_drift_suspects ALTER COLUMN postgres_value TYPE bigint;
ALTER TABLE stockrecon_drift_audit ALTER COLUMN postgres_value TYPE bigint;
