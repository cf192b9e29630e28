-- When each user last signed in, for operators (`npm run admin -- users`). Session rows are
-- deleted on sign-out and pruned after expiry, so they can't answer it; a trigger records the time
-- as Auth.js inserts a session, without touching the adapter's queries.
ALTER TABLE users ADD COLUMN last_sign_in_at timestamptz;

UPDATE users u
   SET last_sign_in_at = s.latest
  FROM (SELECT "userId", max(created_at) AS latest FROM sessions GROUP BY "userId") s
 WHERE s."userId" = u.id;

CREATE FUNCTION record_last_sign_in() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE users SET last_sign_in_at = now() WHERE id = NEW."userId";
  RETURN NEW;
END
$$;

CREATE TRIGGER sessions_record_last_sign_in
  AFTER INSERT ON sessions
  FOR EACH ROW EXECUTE FUNCTION record_last_sign_in();
