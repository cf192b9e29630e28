/**
 * `@auth/pg-adapter` on the shared database, with three changes:
 * - reading a session is one statement (one round trip) that also notes when it was last used
 *   (at most every 5 minutes), instead of the adapter's two sequential queries;
 * - a sign-in token is stored only after its email went out, together with its one-time code
 *   row, so a failed send leaves nothing usable behind;
 * - tokens live in the same statement as their code, so link and code exist together or not at all;
 * - session tokens are stored hashed (session-token.server.ts): Auth.js hands these functions the
 *   cookie's raw token and gets it back, and every statement uses its hash;
 * - a new session stores the User-Agent of the request that created it (session-device.server.ts).
 */
import PostgresAdapter from '@auth/pg-adapter';
import type { Adapter, AdapterSession, AdapterUser } from '@auth/core/adapters';
import type { Queryable } from '#lib/db/index.server.ts';
import { currentSignInRequest } from '#lib/sign-in/request-state.server.ts';
import { currentUserAgent } from './session-device.server.ts';
import { hashSessionToken } from './session-token.server.ts';

interface SessionUserRow {
  userId: number;
  expires: Date;
  id: number;
  name: string | null;
  email: string;
  emailVerified: Date | null;
  image: string | null;
}

export function createAuthAdapter(database: Queryable): Adapter {
  // The adapter only calls `query(text, params)` and reads `rows`/`rowCount`, which Queryable gives.
  const base = PostgresAdapter(database as unknown as Parameters<typeof PostgresAdapter>[0]);
  return {
    ...base,

    async createVerificationToken(token) {
      const request = currentSignInRequest();
      if (request?.sent) {
        try {
          await request.sent;
        } catch {
          return token; // the email never left: store nothing (Auth.js reports the send failure)
        }
      }
      if (!request?.code) return base.createVerificationToken!(token);
      // The code row carries the asking browser's nonce (hashed): only that browser can spend it.
      await database.query(
        `WITH link AS (
           INSERT INTO verification_token (identifier, expires, token) VALUES ($1, $2, $3)
         )
         INSERT INTO sign_in_codes (identifier, salt, expires, nonce_hash) VALUES ($1, $4, $2, $5)`,
        [token.identifier, token.expires, token.token, request.code.salt, request.nonceHash],
      );
      return token;
    },

    async createSession({ sessionToken, userId, expires }) {
      const { rows } = await database.query<{ userId: number; expires: Date }>(
        `INSERT INTO sessions ("userId", expires, "sessionToken", user_agent) VALUES ($1, $2, $3, $4)
         RETURNING "userId", expires`,
        [userId, expires, hashSessionToken(sessionToken), currentUserAgent()],
      );
      // Auth.js sets the cookie from the returned token: the raw one, never the stored hash.
      return { sessionToken, userId: String(rows[0]!.userId), expires: new Date(rows[0]!.expires) };
    },

    async getSessionAndUser(sessionToken) {
      const { rows } = await database.query<SessionUserRow>(
        `WITH touched AS (
           UPDATE sessions SET last_used_at = now()
            WHERE "sessionToken" = $1 AND last_used_at < now() - interval '5 minutes'
         )
         SELECT s."userId", s.expires,
                u.id, u.name, u.email, u."emailVerified", u.image
           FROM sessions s JOIN users u ON u.id = s."userId"
          WHERE s."sessionToken" = $1`,
        [hashSessionToken(sessionToken)],
      );
      const row = rows[0];
      if (!row) return null;
      const session: AdapterSession = {
        sessionToken,
        userId: String(row.userId),
        expires: new Date(row.expires),
      };
      const user: AdapterUser = {
        id: String(row.id),
        name: row.name,
        email: row.email,
        emailVerified: row.emailVerified,
        image: row.image,
      };
      return { session, user };
    },

    async updateSession({ sessionToken, expires }) {
      if (!expires) return null; // Auth.js only ever moves the expiry
      const { rows } = await database.query<{ userId: number; expires: Date }>(
        `UPDATE sessions SET expires = $2 WHERE "sessionToken" = $1 RETURNING "userId", expires`,
        [hashSessionToken(sessionToken), expires],
      );
      const row = rows[0];
      return row ? { sessionToken, userId: String(row.userId), expires: new Date(row.expires) } : null;
    },

    async deleteSession(sessionToken) {
      await database.query('DELETE FROM sessions WHERE "sessionToken" = $1', [hashSessionToken(sessionToken)]);
    },
  };
}
