-- A one-time code is spendable only from the browser that asked for it: the route stores a random
-- nonce in that browser's signed `signin-pending` cookie and its sha256 here. Guesses from any other
-- browser find no row, so they neither spend this code's attempts nor learn whether it exists.
-- Rows from before this migration have no nonce and no longer take codes (their links still work).
ALTER TABLE sign_in_codes ADD COLUMN nonce_hash text;
