-- The least-privilege PostgreSQL role stockrecon needs at run time.
--
-- Run it as the owner of the schema (the role that applied the migrations), in the shop's
-- database, AFTER the first start of stockrecon as that owner has applied the migrations:
--
--   java -jar stockrecon.jar run                      # once, as the schema owner: migrates
--   psql -d shop -f jobs/least-privilege-role.sql     # as the schema owner
--   psql -d shop -c "ALTER ROLE stockrecon_job PASSWORD '...'"
--   SPRING_DATASOURCE_USERNAME=stockrecon_job SPRING_DATASOURCE_PASSWORD=... java -jar stockrecon.jar run
--
-- The role gets no DDL right at all: it can change rows of the tables the job uses, and
-- nothing else. Flyway still runs at every start; with every migration applied it only
-- reads its history table and takes a PostgreSQL advisory lock, which needs no grant. A
-- new stockrecon version that brings a migration is started once as the owner again.
--
-- The shop's tables and stockrecon's tables are looked up in the current schema (the
-- first one of search_path); the role gets USAGE on that schema only.

CREATE ROLE stockrecon_job LOGIN;

DO $grants$
BEGIN
    -- connect; and TEMPORARY for `prune`, which collects the executions it removes in a
    -- temporary table
    EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO stockrecon_job', current_database());
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO stockrecon_job', current_schema());
END
$grants$;

-- the shop's tables: read orders and items, give stock back (SELECT ... FOR SHARE/UPDATE
-- needs UPDATE as well). A mapped shop names its own tables here (stockrecon.shop.*).
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE inventory, orders, order_items TO stockrecon_job;

-- the ledger, the capture queue, the outbox and the audit tables
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE
    stock_restorations,
    stockrecon_order_events,
    stockrecon_deleted_order_items,
    stockrecon_skipped_items,
    stockrecon_counter_outbox,
    stockrecon_drift_suspects,
    stockrecon_drift_audit,
    stockrecon_removed_lines
    TO stockrecon_job;
-- the installed capture triggers, compared at every start with the mapping's
GRANT SELECT ON TABLE stockrecon_shop_mapping TO stockrecon_job;

-- the Spring Batch job repository, and the sequences of its ids
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE
    batch_job_instance,
    batch_job_execution,
    batch_job_execution_params,
    batch_job_execution_context,
    batch_step_execution,
    batch_step_execution_context
    TO stockrecon_job;
GRANT USAGE, SELECT ON SEQUENCE
    batch_job_instance_seq,
    batch_job_execution_seq,
    batch_step_execution_seq
    TO stockrecon_job;

-- the identity sequences of stockrecon's own tables (the capture queue, skipped items, the
-- outbox, the drift audit)
DO $sequences$
DECLARE
    sequence_name text;
BEGIN
    FOR sequence_name IN
        SELECT pg_get_serial_sequence(format('%I.%I', current_schema(), c.table_name), c.column_name)
        FROM information_schema.columns c
        WHERE c.table_schema = current_schema() AND c.is_identity = 'YES'
          AND c.table_name IN ('stockrecon_order_events', 'stockrecon_skipped_items',
                               'stockrecon_counter_outbox', 'stockrecon_drift_audit')
    LOOP
        EXECUTE format('GRANT USAGE, SELECT ON SEQUENCE %s TO stockrecon_job', sequence_name);
    END LOOP;
END
$sequences$;

-- Flyway's history: read only; migrations are applied by the owner
GRANT SELECT ON TABLE stockrecon_schema_history TO stockrecon_job;
