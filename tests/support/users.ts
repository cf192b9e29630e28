/** Test users: fresh addresses, and user rows for tests that work on the database directly. */
import type { Database } from '#lib/db/index.server.ts';

let counter = 0;
/** A new address on every call (`name.<time>.<n>@example.com`), so tests never share a user. */
export const uniqueEmail = (name: string) => `${name}.${Date.now()}.${counter++}@example.com`;

/** Inserts a user row and returns its id. */
export async function newUser(database: Database, email: string): Promise<number> {
  const { rows } = await database.query<{ id: number }>('INSERT INTO users (email) VALUES ($1) RETURNING id', [email]);
  return rows[0]!.id;
}
