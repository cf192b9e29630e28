-- The account page names each session's browser and OS: the User-Agent header of the request that
-- created the session (null for sessions from before this migration, shown as "Unknown device").
ALTER TABLE sessions ADD COLUMN user_agent text;

-- "Change my email address": a link mailed to the new address confirms the change. Like sign-in
-- links: single use (the row is deleted when it is spent), short-lived, and only a hash of the
-- token is stored, so the table alone gives no working link.
CREATE TABLE email_changes (
  token_hash text PRIMARY KEY,
  user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  new_email text NOT NULL,
  expires timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX email_changes_user_id_idx ON email_changes (user_id);
CREATE INDEX email_changes_expires_idx ON email_changes (expires);
