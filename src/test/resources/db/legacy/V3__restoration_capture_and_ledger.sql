-- The exactly-once ledger. The application may insert (order_id, reason) itself, in the same
-- transaction as its own stock change; the job then leaves that order alone.
CREATE TABLE IF NOT EXISTS stock_restorations (
    order_id    bigint PRIMARY KEY,
    reason      text NOT NULL,
    restored_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE stock_restorations ADD COLUMN IF NOT EXISTS units bigint;
ALTER TABLE stock_restorations ADD COLUMN IF NOT EXISTS job_execution_id bigint;
CREATE INDEX IF NOT EXISTS stock_restorations_job_execution_idx ON stock_restorations (job_execution_id);

-- The capture queue. Triggers write one row per cancellation and per deletion, in the
-- transaction that made the change, so nothing depends on updated_at or on commit order.
-- The job deletes a row in the same transaction that restores (or dismisses) it: the queue
-- holds exactly the work that is left.
CREATE TABLE stockrecon_order_events (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id    bigint NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('cancelled', 'deleted')),
    status      text NOT NULL,
    captured_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX stockrecon_order_events_kind_idx ON stockrecon_order_events (kind, id);

-- A deleted order's items, copied before the cascade removes them.
CREATE TABLE stockrecon_deleted_order_items (
    event_id   bigint NOT NULL REFERENCES stockrecon_order_events (id) ON DELETE CASCADE,
    product_id bigint NOT NULL,
    quantity   integer NOT NULL
);
CREATE INDEX stockrecon_deleted_order_items_event_idx ON stockrecon_deleted_order_items (event_id);

CREATE FUNCTION stockrecon_capture_cancellation() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF lower(btrim(NEW.status, E' \t\r\n')) = 'cancelled'
       AND lower(btrim(OLD.status, E' \t\r\n')) IS DISTINCT FROM 'cancelled' THEN
        INSERT INTO stockrecon_order_events (order_id, kind, status)
        VALUES (NEW.id, 'cancelled', NEW.status);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER stockrecon_order_cancelled
    AFTER UPDATE OF status ON orders
    FOR EACH ROW EXECUTE FUNCTION stockrecon_capture_cancellation();

-- BEFORE, not AFTER: the ON DELETE CASCADE of order_items runs as an AFTER trigger that
-- sorts before ours, so only a BEFORE trigger still sees the items.
CREATE FUNCTION stockrecon_capture_deletion() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    captured bigint;
BEGIN
    INSERT INTO stockrecon_order_events (order_id, kind, status)
    VALUES (OLD.id, 'deleted', OLD.status)
    RETURNING id INTO captured;
    INSERT INTO stockrecon_deleted_order_items (event_id, product_id, quantity)
    SELECT captured, i.product_id, i.quantity FROM order_items i WHERE i.order_id = OLD.id;
    RETURN OLD;
END $$;

CREATE TRIGGER stockrecon_order_deleted
    BEFORE DELETE ON orders
    FOR EACH ROW EXECUTE FUNCTION stockrecon_capture_deletion();

-- Items that were not restored, with the reason: the audit trail of bad data.
CREATE TABLE stockrecon_skipped_items (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_execution_id bigint NOT NULL,
    order_id         bigint NOT NULL,
    product_id       bigint NOT NULL,
    quantity         integer NOT NULL,
    reason           text NOT NULL,
    recorded_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX stockrecon_skipped_items_job_execution_idx ON stockrecon_skipped_items (job_execution_id);

-- Restored units on their way to Redis (a transactional outbox). Written in the chunk
-- transaction, drained to Redis by a later step, deleted once Redis has them.
CREATE TABLE stockrecon_counter_outbox (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    product_id       bigint NOT NULL,
    delta            bigint NOT NULL,
    job_execution_id bigint NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now()
);
