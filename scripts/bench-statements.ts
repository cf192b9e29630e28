/**
 * The SQL the PATCH endpoint runs, read back from the running build rather than copied into the
 * bench (copies drift): an instance with a one-connection pool and its own application_name
 * serves one request at a time, and pg_stat_activity.query shows the statement its connection
 * ran last. A PATCH is one statement (issue #15): the session check (a CTE on the hashed token)
 * joined into the UPDATE.
 */
import type { Database } from '#lib/db/index.server.ts';
import { SESSION_MAX_AGE_SECONDS, SESSION_UPDATE_AGE_SECONDS } from '#lib/auth/constants.ts';
import { SEED } from './bench-seed.ts';

export interface PatchStatements {
  /** $1 token hash, $2 now, $3 maxAge s, $4 updateAge s, $5 todo id, $6 content, $7 completed. */
  patch: string;
}

/** The parameters the app sends with `patch` for `completed` (content unchanged). */
export function patchParams(tokenHash: string, todoId: number, completed: boolean): unknown[] {
  return [
    tokenHash,
    new Date().toISOString(),
    SESSION_MAX_AGE_SECONDS,
    SESSION_UPDATE_AGE_SECONDS,
    todoId,
    null,
    completed,
  ];
}

async function lastStatement(database: Database, applicationName: string): Promise<string> {
  const { rows } = await database.query<{ query: string }>(
    // Not live sync's LISTEN connection (src/lib/live/), which the process also holds.
    `SELECT query FROM pg_stat_activity WHERE application_name = $1 AND state = 'idle' AND query NOT LIKE 'LISTEN %'`,
    [applicationName],
  );
  if (rows.length !== 1) throw new Error(`expected one idle connection named ${applicationName}, found ${rows.length}`);
  return rows[0]!.query.trim();
}

export async function capturePatchStatements(
  database: Database,
  baseUrl: string,
  applicationName: string,
  request: { cookie: string; origin: string; todoId: number },
): Promise<PatchStatements> {
  const response = await fetch(`${baseUrl}/api/todos/${request.todoId}`, {
    method: 'PATCH',
    headers: { cookie: request.cookie, origin: request.origin, 'content-type': 'application/json' },
    body: JSON.stringify({ completed: true }),
  });
  if (response.status !== 200) throw new Error(`capture PATCH answered ${response.status}`);
  const patch = await lastStatement(database, applicationName);
  if (!/UPDATE todos/i.test(patch) || !/sessionToken/.test(patch)) {
    throw new Error(`unexpected statement captured:\n${patch}`);
  }
  return { patch };
}

/**
 * A pgbench script running both statements with the values a PATCH {completed} sends: a random
 * seeded user's session token, one of that user's todos, and no new content (NULL).
 */
export function pgbenchScript({ patch }: PatchStatements): string {
  // The app sends the token's SHA-256 (session-token.server.ts); pgbench has only the token, so the
  // server computes the hash here (microseconds, and the same for every run).
  const statement = patch
    .replace(/\$1\b/g, "encode(sha256(convert_to((:token)::text, 'UTF8')), 'hex')")
    .replace(/\$2\b/g, 'now()')
    .replace(/\$3\b/g, String(SESSION_MAX_AGE_SECONDS))
    .replace(/\$4\b/g, String(SESSION_UPDATE_AGE_SECONDS))
    .replace(/\$5\b/g, ':id')
    .replace(/\$6\b/g, 'NULL')
    .replace(/\$7\b/g, ':done');
  if (/\$\d/.test(statement)) throw new Error(`unmapped parameters in:\n${statement}`);
  return [
    `\\set u random(1, ${SEED.activeUsers})`,
    `\\set token ${SEED.tokenBase} + :u`,
    `\\set id (:u - 1) * ${SEED.todosPerUser} + random(1, ${SEED.todosPerUser})`,
    '\\set done random(0, 1)',
    // pgbench reads one statement per line unless it ends with a semicolon: join it onto one line.
    `${statement.replace(/\s+/g, ' ')};`,
    '',
  ].join('\n');
}
