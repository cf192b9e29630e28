-- Auth.js tables with the exact names and columns @auth/pg-adapter queries
-- (users, accounts, sessions, verification_token), plus what its reference schema lacks:
-- unique emails and session tokens, foreign keys that cascade, and an index for every lookup.

CREATE TABLE users (
  id serial PRIMARY KEY,
  name text,
  -- Auth.js lowercases the address before it reaches the adapter; the index enforces it once more.
  email text NOT NULL,
  "emailVerified" timestamptz,
  image text,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT users_email_key UNIQUE (email)
);

CREATE TABLE accounts (
  id serial PRIMARY KEY,
  "userId" integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  type varchar(255) NOT NULL,
  provider varchar(255) NOT NULL,
  "providerAccountId" varchar(255) NOT NULL,
  refresh_token text,
  access_token text,
  expires_at bigint,
  id_token text,
  scope text,
  session_state text,
  token_type text,
  CONSTRAINT accounts_provider_account_key UNIQUE (provider, "providerAccountId")
);
CREATE INDEX accounts_user_id_idx ON accounts ("userId");

CREATE TABLE sessions (
  id serial PRIMARY KEY,
  "userId" integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  expires timestamptz NOT NULL,
  "sessionToken" varchar(255) NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT sessions_session_token_key UNIQUE ("sessionToken")
);
CREATE INDEX sessions_user_id_idx ON sessions ("userId");
CREATE INDEX sessions_expires_idx ON sessions (expires);

CREATE TABLE verification_token (
  identifier text NOT NULL,
  expires timestamptz NOT NULL,
  token text NOT NULL,
  PRIMARY KEY (identifier, token)
);
CREATE INDEX verification_token_expires_idx ON verification_token (expires);

CREATE TABLE todos (
  id serial PRIMARY KEY,
  user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  content text NOT NULL CHECK (char_length(content) BETWEEN 1 AND 500),
  completed boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- Every todo query filters by owner and lists oldest first.
CREATE INDEX todos_user_id_created_idx ON todos (user_id, created_at, id);
