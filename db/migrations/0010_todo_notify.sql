-- Live sync (issue #14): every change of a user's todos, and every session that ends, is announced
-- with NOTIFY so each server process (one LISTEN connection each, src/lib/live/) can tell that
-- user's open pages at once, whichever instance made the change.
--
-- Statement-level triggers with transition tables (as 0003's counters): one message per affected
-- user per statement, however many rows it touched (clear completed, mark all). The payload is
-- small, far below NOTIFY's 8000-byte limit: "<user id>:<kind>". Pages then fetch the list
-- (one round trip); the message carries no todo text. NOTIFY is sent at commit, never for a
-- rolled-back statement, and identical messages of one transaction are folded into one.

CREATE FUNCTION todos_notify_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  kind text := lower(TG_OP);
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM pg_notify('todo_changes', user_id || ':' || kind) FROM (SELECT DISTINCT user_id FROM new_rows) AS changed;
  ELSIF TG_OP = 'UPDATE' THEN
    -- A soft delete (0009: deleted_at set) is announced as a delete and a restore as an insert,
    -- as the person sees them; an UPDATE never changes the owner (0003's todos_owner_fixed).
    PERFORM pg_notify('todo_changes', user_id || ':' || what) FROM (
      SELECT DISTINCT n.user_id,
             CASE WHEN o.deleted_at IS NULL AND n.deleted_at IS NOT NULL THEN 'delete'
                  WHEN o.deleted_at IS NOT NULL AND n.deleted_at IS NULL THEN 'insert'
                  ELSE 'update' END AS what
        FROM old_rows o JOIN new_rows n USING (id)) AS changed;
  ELSE
    PERFORM pg_notify('todo_changes', user_id || ':' || kind) FROM (SELECT DISTINCT user_id FROM old_rows) AS changed;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER todos_notify_insert AFTER INSERT ON todos
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION todos_notify_changed();
CREATE TRIGGER todos_notify_update AFTER UPDATE ON todos
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION todos_notify_changed();
CREATE TRIGGER todos_notify_delete AFTER DELETE ON todos
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION todos_notify_changed();

-- A session that ends (sign-out, "sign out everywhere", expiry clean-up, account deletion) names
-- its user, so the streams of that user re-check their sessions at once instead of at the next
-- periodic check. The payload is the user id only: no token, not even hashed.
-- A row-level trigger, unlike the todos' ones: every signed-in statement starts with the session
-- CTE, whose expiry clean-up is a DELETE that almost always removes nothing, and a statement-level
-- trigger would run (and build its transition table) for each of them. A row trigger runs only
-- for a session actually deleted; the identical messages of one transaction ("sign out
-- everywhere" deleting several) are folded into one by NOTIFY.
CREATE FUNCTION sessions_notify_ended() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('session_ends', OLD."userId"::text);
  RETURN NULL;
END $$;

CREATE TRIGGER sessions_notify_delete AFTER DELETE ON sessions
  FOR EACH ROW EXECUTE FUNCTION sessions_notify_ended();
