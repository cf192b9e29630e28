/**
 * `@auth/pg-adapter` on the shared database, with one change: reading a session is one JOIN
 * (one round trip) instead of the adapter's two sequential queries.
 */
import PostgresAdapter from '@auth/pg-adapter';
import type { Adapter, AdapterSession, AdapterUser } from '@auth/core/adapters';
import type { Queryable } from './db.server.ts';

interface SessionUserRow {
  session_id: number;
  sessionToken: string;
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
    async getSessionAndUser(sessionToken) {
      const { rows } = await database.query<SessionUserRow>(
        `SELECT s.id AS session_id, s."sessionToken", s."userId", s.expires,
                u.id, u.name, u.email, u."emailVerified", u.image
           FROM sessions s JOIN users u ON u.id = s."userId"
          WHERE s."sessionToken" = $1`,
        [sessionToken],
      );
      const row = rows[0];
      if (!row) return null;
      const session: AdapterSession = { sessionToken: row.sessionToken, userId: String(row.userId), expires: new Date(row.expires) };
      const user: AdapterUser = {
        id: String(row.id),
        name: row.name,
        email: row.email,
        emailVerified: row.emailVerified,
        image: row.image,
      };
      return { session, user };
    },
  };
}
