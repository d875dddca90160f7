-- One outbox row per product and execution: a restore chunk adds its units to the row its
-- execution already queued for the product instead of queueing another, so a product that
-- every chunk touches leaves one row for the publish step, not one per chunk.
--
-- Rows queued before this migration are left as they are (merged is false, outside the
-- index): one of them may be delivered to Redis already, its delivery marker standing for
-- its block of ids, and moving its units into another row could deliver them twice.
ALTER TABLE stockrecon_counter_outbox ADD COLUMN merged boolean NOT NULL DEFAULT false;
CREATE UNIQUE INDEX stockrecon_counter_outbox_product_idx
    ON stockrecon_counter_outbox (job_execution_id, product_id) WHERE merged;
