-- At most 1,000 todos per user, enforced by the database so that concurrent inserts can't pass it.
--
-- A count(*) check in the INSERT isn't enough: under READ COMMITTED two inserts that run at the
-- same time both see 999 rows and both insert. Instead each user row keeps its todo count, kept
-- up to date by statement-level triggers; an insert increments it with an UPDATE, which takes the
-- user row's lock, so concurrent inserts for one user queue up and each sees the previous one's
-- count. The CHECK turns the 1,001st insert into an error (constraint users_todo_limit) and the
-- whole statement, insert included, is rolled back. The app maps that error to 409
-- todo_limit_reached. Changing the limit means a new migration and TODO_LIMIT in todo-schema.ts.

ALTER TABLE users
  ADD COLUMN todo_count integer NOT NULL DEFAULT 0,
  ADD CONSTRAINT users_todo_limit CHECK (todo_count BETWEEN 0 AND 1000);

UPDATE users SET todo_count = counts.n
  FROM (SELECT user_id, count(*)::integer AS n FROM todos GROUP BY user_id) AS counts
 WHERE users.id = counts.user_id;

CREATE FUNCTION todos_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE users SET todo_count = users.todo_count + added.n
    FROM (SELECT user_id, count(*)::integer AS n FROM new_rows GROUP BY user_id) AS added
   WHERE users.id = added.user_id;
  RETURN NULL;
END $$;

CREATE FUNCTION todos_count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- When a user is deleted, the cascade removes their todos after their row: 0 rows to update.
  UPDATE users SET todo_count = users.todo_count - removed.n
    FROM (SELECT user_id, count(*)::integer AS n FROM old_rows GROUP BY user_id) AS removed
   WHERE users.id = removed.user_id;
  RETURN NULL;
END $$;

CREATE TRIGGER todos_count_insert AFTER INSERT ON todos
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION todos_count_inserted();
CREATE TRIGGER todos_count_delete AFTER DELETE ON todos
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION todos_count_deleted();

-- Todos never change owner; if one ever did, the counts would drift, so refuse it.
CREATE FUNCTION todos_owner_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'todos.user_id cannot change' USING ERRCODE = 'check_violation';
END $$;
CREATE TRIGGER todos_owner_fixed BEFORE UPDATE OF user_id ON todos
  FOR EACH ROW WHEN (OLD.user_id IS DISTINCT FROM NEW.user_id) EXECUTE FUNCTION todos_owner_fixed();
