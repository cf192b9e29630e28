-- Undo for deletes: a deleted todo is kept for a short window (deleted_at set) so it can be
-- restored with the same id, text, state and place; the hourly prune removes it for good once the
-- window has passed (src/lib/account/prune.server.ts). Every todo query lists, changes and counts
-- only rows with deleted_at IS NULL (src/todos/queries.server.ts).
--
-- A soft-deleted todo counts against nothing: users.todo_count (migration 0003) counts live todos
-- only. Soft delete and restore are UPDATEs of deleted_at, so a trigger moves the count for each
-- row that changes between live and deleted; a restore that would pass the limit fails the CHECK
-- and the whole statement (the restore) is rolled back. The DELETE trigger is
-- replaced so that pruning an already soft-deleted row doesn't subtract it a second time.

ALTER TABLE todos ADD COLUMN deleted_at timestamptz;

-- The prune finds expired deletions without reading live todos.
CREATE INDEX todos_deleted_at_idx ON todos (deleted_at) WHERE deleted_at IS NOT NULL;

CREATE OR REPLACE FUNCTION todos_count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- When a user is deleted, the cascade removes their todos after their row: 0 rows to update.
  UPDATE users SET todo_count = users.todo_count - removed.n
    FROM (SELECT user_id, count(*)::integer AS n FROM old_rows WHERE deleted_at IS NULL GROUP BY user_id) AS removed
   WHERE users.id = removed.user_id;
  RETURN NULL;
END $$;

-- One row-level trigger, only for UPDATEs that set deleted_at and only for rows that move between
-- live and deleted (the WHEN is checked without calling the function): edits, toggles and mark-all
-- never run it. A statement-level trigger with transition tables would run for every UPDATE
-- (they can't be combined with a column list) and made a toggle about twice as slow on PGlite.
CREATE FUNCTION todos_count_soft_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE users SET todo_count = todo_count + CASE WHEN NEW.deleted_at IS NULL THEN 1 ELSE -1 END
   WHERE id = NEW.user_id;
  RETURN NULL;
END $$;

CREATE TRIGGER todos_count_soft_delete AFTER UPDATE OF deleted_at ON todos
  FOR EACH ROW WHEN ((OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL))
  EXECUTE FUNCTION todos_count_soft_deleted();
