/**
 * Live sync's change sources on both backends, without HTTP: migration 0010's triggers send one
 * message per user per statement (and name the user whose session ended), and the poll — the
 * fallback behind a Neon pooler, which can't LISTEN — finds a change with one query per interval.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Database } from '#lib/db/index.server.ts';
import { neonDriver } from '#lib/db/neon.server.ts';
import { startSource } from '#lib/live/changes.server.ts';
import { LiveHub } from '#lib/live/hub.server.ts';
import { clearCompleted, createTodo, restoreTodos, setAllCompleted } from '#todos/queries.server.ts';
import { BACKENDS, emptyDatabase, MIGRATIONS_DIR } from '../support/databases.ts';
import { migrate } from '#lib/db/migrate.server.ts';
import { newUser } from '../support/users.ts';

/** Collects NOTIFY payloads on a channel: PGlite's own listen, or a Neon Client on Postgres. */
async function listen(database: Database, url: string | undefined, channel: string) {
  const got: string[] = [];
  if (!url) {
    const stop = await database.listen!(channel, (payload) => got.push(payload));
    return { got, stop };
  }
  const { Client } = await neonDriver(inject('postgres').wsProxy);
  const client = new Client({ connectionString: url });
  client.on('notification', (message) => got.push(message.payload ?? ''));
  await client.connect();
  await client.query(`LISTEN ${channel}`);
  return { got, stop: () => client.end() };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 150));

describe.each(BACKENDS)('live sync sources (%s)', (backend) => {
  let database: Database;
  let url: string | undefined;
  beforeAll(async () => {
    const empty = await emptyDatabase(backend);
    database = empty.database;
    url = empty.url;
    await migrate(database, MIGRATIONS_DIR);
  });
  afterAll(async () => database?.end());

  it('one message per user per statement, with the kind; none for a statement that changed nothing', async () => {
    const ann = await newUser(database, `ann.${backend}@example.com`);
    const bob = await newUser(database, `bob.${backend}@example.com`);
    const { got, stop } = await listen(database, url, 'todo_changes');
    for (let i = 0; i < 3; i++) await createTodo(database, ann, `todo ${i}`);
    await createTodo(database, bob, 'bob');
    await setAllCompleted(database, ann, true); // three rows, one statement
    // Clearing is a soft delete (an UPDATE), told as a delete; its undo as an insert.
    const cleared = await clearCompleted(database, ann);
    await restoreTodos(database, ann, cleared!);
    await database.query('UPDATE todos SET completed = true WHERE false'); // no rows
    await createTodo(database, ann, 'again');
    // One statement over two users: one message for each.
    await database.query('UPDATE todos SET content = content || $1 WHERE user_id = ANY($2::int[])', ['!', [ann, bob]]);
    await settle();
    await stop();
    got.splice(-2, 2, ...got.slice(-2).sort());
    expect(got).toEqual([
      `${ann}:insert`,
      `${ann}:insert`,
      `${ann}:insert`,
      `${bob}:insert`,
      `${ann}:update`,
      `${ann}:delete`,
      `${ann}:insert`,
      `${ann}:insert`,
      ...[`${ann}:update`, `${bob}:update`].sort(),
    ]);
  });

  it('a session that ends names its user (not its token)', async () => {
    const cy = await newUser(database, `cy.${backend}@example.com`);
    await database.query(
      `INSERT INTO sessions ("userId", "sessionToken", expires) VALUES ($1, 'h1', now() + interval '1 day'), ($1, 'h2', now() + interval '1 day')`,
      [cy],
    );
    const { got, stop } = await listen(database, url, 'session_ends');
    await database.query('DELETE FROM sessions WHERE "userId" = $1', [cy]);
    await settle();
    await stop();
    expect(got).toEqual([String(cy)]);
  });

  it('the poll (no LISTEN) tells a change within its interval, in one query for every watched user', async () => {
    const dee = await newUser(database, `dee.${backend}@example.com`);
    const hub = new LiveHub(
      { maxStreams: 10, maxStreamsPerUser: 10, heartbeatMs: 60_000, sessionCheckMs: 60_000 },
      async (hashes) => new Set(hashes),
    );
    const written: string[] = [];
    const stop = await startSource({ kind: 'poll', pollMs: 100 }, hub, database);
    const opened = hub.open(
      dee,
      'hash',
      Date.now(),
      (chunk) => written.push(chunk),
      () => {},
    );
    // A poll can't say what happened before it started watching: a page that opens is told to refetch.
    expect(written.join('')).toContain('event: refresh');
    written.length = 0;
    await new Promise((resolve) => setTimeout(resolve, 250)); // the first poll takes its baseline
    await createTodo(database, dee, 'seen by the poll');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(written.filter((chunk) => chunk.includes('event: change'))).toHaveLength(1);
    if ('remove' in opened) opened.remove();
    hub.close();
    await stop();
  });
});
