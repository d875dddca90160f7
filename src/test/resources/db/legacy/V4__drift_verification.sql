-- Counters that looked wrong on the first look of a verify run. The repair step takes a
-- second look after the settle interval and acts only on drift that persisted. Keyed by
-- job instance, so a restarted verify finds the suspects of its failed execution.
CREATE TABLE stockrecon_drift_suspects (
    job_instance_id bigint NOT NULL,
    product_id      bigint NOT NULL,
    kind            text NOT NULL,
    redis_state     text NOT NULL,
    redis_value     text,
    postgres_value  integer NOT NULL,
    seen_at         timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (job_instance_id, product_id)
);

-- Every finding and every repair: what Redis held, what PostgreSQL said, what Redis holds
-- after, and what was done.
CREATE TABLE stockrecon_drift_audit (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_execution_id bigint NOT NULL,
    product_id       bigint,
    redis_key        text NOT NULL,
    kind             text NOT NULL,
    redis_before     text,
    postgres_value   integer,
    redis_after      text,
    action           text NOT NULL,
    recorded_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX stockrecon_drift_audit_job_execution_idx ON stockrecon_drift_audit (job_execution_id, kind);

-- SCAN may return a key twice: one orphan row per key and execution
CREATE UNIQUE INDEX stockrecon_drift_audit_orphan_key_idx ON stockrecon_drift_audit (job_execution_id, redis_key)
    WHERE kind = 'orphan';
