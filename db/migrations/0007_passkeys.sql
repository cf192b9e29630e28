-- Passkeys (WebAuthn credentials, src/lib/passkeys/): a second way back in beside the email link.
-- One row per credential; deleting the user deletes them (ON DELETE CASCADE), signing out does not.
-- The credential id and public key are kept as base64url text, the form SimpleWebAuthn hands over,
-- so both engines (Postgres through the Neon driver, PGlite) read and write them the same way.
CREATE TABLE passkeys (
  id serial PRIMARY KEY,
  user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  credential_id text NOT NULL,
  public_key text NOT NULL,
  -- The authenticator's signature counter: a use that does not move it forward is refused
  -- (a cloned authenticator); authenticators that always report 0 (most synced passkeys) stay 0.
  counter bigint NOT NULL DEFAULT 0 CHECK (counter >= 0),
  transports text[] NOT NULL DEFAULT '{}',
  -- singleDevice: bound to one authenticator; multiDevice: may be synced (iCloud, Google, 1Password…).
  device_type text NOT NULL CHECK (device_type IN ('singleDevice', 'multiDevice')),
  backed_up boolean NOT NULL DEFAULT false,
  name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 64),
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  CONSTRAINT passkeys_credential_id_key UNIQUE (credential_id)
);
CREATE INDEX passkeys_user_id_idx ON passkeys (user_id, created_at, id);

-- Challenges handed to browsers, shared by every instance: single use (taken with DELETE …
-- RETURNING, so two requests can't both spend one), short-lived (`expires`, five minutes), and
-- pruned hourly with the other expired rows. A registration challenge belongs to the signed-in
-- user it was made for; a sign-in challenge to nobody yet.
CREATE TABLE passkey_challenges (
  challenge text PRIMARY KEY,
  purpose text NOT NULL CHECK (purpose IN ('register', 'signin')),
  user_id integer REFERENCES users (id) ON DELETE CASCADE,
  expires timestamptz NOT NULL,
  CHECK ((purpose = 'register') = (user_id IS NOT NULL))
);
CREATE INDEX passkey_challenges_expires_idx ON passkey_challenges (expires);
