-- One outbox row per restore chunk: the products the chunk restored and their units, as two
-- arrays. A chunk writes one row instead of adding to its execution's row of each product (V6):
-- over 1 M products that upsert was 7 to 10 s of the restore's 26 to 28 s of chunk statements
-- (measured by hand, 40 chunks of 10 k orders), and the publish step read and deleted the same
-- 818 k rows again (3 to 5 s). The publish step plans deliveries first (consecutive rows of one
-- execution, summed per counter, under markers named by the delivery) and commits the plan before
-- it sends anything, so a relaunch delivers the same sums under the same markers.
ALTER TABLE stockrecon_counter_outbox
    ADD COLUMN product_ids text[],
    ADD COLUMN deltas bigint[],
    -- how many products the row holds: the plan sizes deliveries without reading the arrays
    ADD COLUMN products integer,
    -- the delivery the row belongs to (the id of its first row), once planned
    ADD COLUMN delivery bigint,
    -- A row moved here from an earlier release's rows, below: their block of ids, which names
    -- the delivery marker the earlier release set for them.
    ADD COLUMN legacy_block bigint,
    ALTER COLUMN product_id DROP NOT NULL,
    ALTER COLUMN delta DROP NOT NULL;

-- Rows an earlier release queued and did not deliver: one row per execution and block of 1024
-- ids, summed per product. The earlier release delivered each block of an execution under one
-- marker, `{<first counter key>}:stockrecon-delivered:<execution>:<block>`, and deleted the block
-- whole; the publisher names a moved row's marker the same way, so a block that reached Redis
-- before a crash (its marker still there) is not delivered a second time.
INSERT INTO stockrecon_counter_outbox (job_execution_id, product_ids, deltas, products, legacy_block)
SELECT job_execution_id, array_agg(product_id ORDER BY product_id), array_agg(delta ORDER BY product_id), count(*), block
FROM (SELECT job_execution_id, id / 1024 AS block, product_id::text AS product_id, CAST(sum(delta) AS bigint) AS delta
      FROM stockrecon_counter_outbox
      WHERE product_ids IS NULL
      GROUP BY job_execution_id, id / 1024, product_id::text) AS earlier
GROUP BY job_execution_id, block
ORDER BY block, job_execution_id;
DELETE FROM stockrecon_counter_outbox WHERE product_ids IS NULL;

ALTER TABLE stockrecon_counter_outbox
    DROP COLUMN product_id,
    DROP COLUMN delta,
    DROP COLUMN merged,
    ALTER COLUMN product_ids SET NOT NULL,
    ALTER COLUMN deltas SET NOT NULL,
    ALTER COLUMN products SET NOT NULL;
-- a row is inserted, planned once (its delivery set) and deleted: V8's room for updates in place
-- is not needed any more
ALTER TABLE stockrecon_counter_outbox RESET (fillfactor);
