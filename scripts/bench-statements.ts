/**
 * The SQL the PATCH endpoint runs, read back from the running build rather than copied into the
 * bench (copies drift): an instance with a one-connection pool and its own application_name
 * serves one request at a time, and pg_stat_activity.query shows the statement its connection
 * ran last. A signed-in island request runs only the session read; a PATCH ends with the update.
 */
import type { Database } from '#lib/db/index.server.ts';
import { SEED } from './bench-seed.ts';

export interface PatchStatements {
  sessionRead: string;
  update: string;
}

async function lastStatement(database: Database, applicationName: string): Promise<string> {
  const { rows } = await database.query<{ query: string }>(
    `SELECT query FROM pg_stat_activity WHERE application_name = $1 AND state = 'idle'`,
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
  const home = await (await fetch(`${baseUrl}/`)).text();
  const island = /\/_server-islands\/UserMenu\?[^"]+/.exec(home)![0].replaceAll('&amp;', '&');
  const menu = await fetch(`${baseUrl}${island}`, { headers: { cookie: request.cookie } });
  if (!(await menu.text()).includes('Bench User')) throw new Error('the capture instance did not see the session');
  const sessionRead = await lastStatement(database, applicationName);
  const patch = await fetch(`${baseUrl}/api/todos/${request.todoId}`, {
    method: 'PATCH',
    headers: { cookie: request.cookie, origin: request.origin, 'content-type': 'application/json' },
    body: JSON.stringify({ completed: true }),
  });
  if (patch.status !== 200) throw new Error(`capture PATCH answered ${patch.status}`);
  const update = await lastStatement(database, applicationName);
  if (!/^UPDATE todos/i.test(update) || !/sessionToken/.test(sessionRead)) {
    throw new Error(`unexpected statements captured:\n${sessionRead}\n${update}`);
  }
  return { sessionRead, update };
}

/**
 * A pgbench script running both statements with the values a PATCH {completed} sends: a random
 * seeded user's session token, one of that user's todos, and no new content (NULL).
 */
export function pgbenchScript({ sessionRead, update }: PatchStatements): string {
  // The app sends the token's SHA-256 (session-token.server.ts); pgbench has only the token, so the
  // server computes the hash here (microseconds, and the same for every run).
  const session = sessionRead.replace(/\$1\b/g, "encode(sha256(convert_to((:token)::text, 'UTF8')), 'hex')");
  const write = update
    .replace(/\$1\b/g, ':id')
    .replace(/\$2\b/g, ':u')
    .replace(/\$3\b/g, 'NULL')
    .replace(/\$4\b/g, ':done');
  if (/\$\d/.test(session + write)) throw new Error(`unmapped parameters in:\n${session}\n${write}`);
  return [
    `\\set u random(1, ${SEED.activeUsers})`,
    `\\set token ${SEED.tokenBase} + :u`,
    `\\set id (:u - 1) * ${SEED.todosPerUser} + random(1, ${SEED.todosPerUser})`,
    '\\set done random(0, 1)',
    // pgbench reads one statement per line unless it ends with a semicolon: join each onto one line.
    `${session.replace(/\s+/g, ' ')};`,
    `${write.replace(/\s+/g, ' ')};`,
    '',
  ].join('\n');
}
