/**
 * Signed-in clients without the email round trip (for load tests): a user row and a session row
 * inserted directly, and the session cookie Auth.js would have set. One test elsewhere covers the
 * real email flow; this is the epic-stack "login fixture" habit. The row holds the token's hash,
 * as the app stores it; the cookie holds the token.
 */
import { randomBytes } from 'node:crypto';
import type { Database } from '#lib/db/index.server.ts';
import { hashSessionToken } from '#lib/auth/session-token.server.ts';
import { HttpClient } from './http-client.ts';

export async function signedInClient(
  database: Database,
  baseUrl: string,
  email: string,
): Promise<{ client: HttpClient; userId: number; token: string }> {
  const { rows } = await database.query<{ id: number }>(
    `INSERT INTO users (email, "emailVerified") VALUES ($1, now()) RETURNING id`,
    [email],
  );
  const userId = rows[0]!.id;
  const token = randomBytes(32).toString('hex');
  await database.query(
    `INSERT INTO sessions ("userId", "sessionToken", expires) VALUES ($1, $2, now() + interval '1 day')`,
    [userId, hashSessionToken(token)],
  );
  const client = new HttpClient(baseUrl);
  client.cookies.set('authjs.session-token', token);
  return { client, userId, token };
}
