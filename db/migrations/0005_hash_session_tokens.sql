-- Session tokens at rest (issue #10): the sessions table keeps SHA-256 (hex) of each token, the
-- cookie keeps the token itself (src/lib/session-token.server.ts). Rows written before this hold
-- the raw token; hashing them here keeps every signed-in browser signed in. The same bytes as
-- node:crypto: the token's UTF-8 encoding (convert_to; a ::bytea cast would read backslashes as
-- escapes). Works on Postgres 11+ and PGlite.
UPDATE sessions SET "sessionToken" = encode(sha256(convert_to("sessionToken", 'UTF8')), 'hex');
