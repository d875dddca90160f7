-- A deleted order's kept lines go with its event explicitly: the restore deletes the lines of
-- the deletion events it handles, in the statement that dequeues them. The foreign key's
-- cascade checked every dequeued event for lines, cancellations included: a tenth of a
-- restore chunk's statement, for lines only deletions have.
ALTER TABLE stockrecon_deleted_order_items DROP CONSTRAINT IF EXISTS stockrecon_deleted_order_items_event_id_fkey;
