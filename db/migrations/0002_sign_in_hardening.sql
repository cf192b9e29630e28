-- Sign-in hardening: one-time codes, shared rate limits, and session activity for /account.

-- One row per emailed sign-in: the code typed on another device derives the link's token from
-- `salt` and the code with a server-side key, so neither code nor token is stored in any usable form.
CREATE TABLE sign_in_codes (
  id serial PRIMARY KEY,
  identifier text NOT NULL,
  salt text NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  expires timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sign_in_codes_identifier_idx ON sign_in_codes (identifier, created_at DESC);
CREATE INDEX sign_in_codes_expires_idx ON sign_in_codes (expires);

-- Fixed-window counters shared by every instance (key e.g. 'signin-email:ann@example.com').
CREATE TABLE rate_limits (
  key text PRIMARY KEY,
  window_start timestamptz NOT NULL,
  count integer NOT NULL,
  expires timestamptz NOT NULL
);
CREATE INDEX rate_limits_expires_idx ON rate_limits (expires);

ALTER TABLE sessions ADD COLUMN last_used_at timestamptz NOT NULL DEFAULT now();
