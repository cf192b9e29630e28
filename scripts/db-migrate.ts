/**
 * `npm run db:migrate`: applies pending migrations to the configured database (DATABASE_URL, or
 * the local PGlite under DATA_DIR). `npm run db:migrate -- --status` lists applied and pending
 * without changing anything. Needs only the database settings; safe to run while servers start
 * (every migration takes an advisory lock).
 */
import { openDatabaseFromEnv } from '#lib/db/index.server.ts';
import { defaultMigrationsDir, migrate, migrationStatus, readMigrations } from '#lib/db/migrate.server.ts';

const dir = defaultMigrationsDir();
let database;
try {
  database = await openDatabaseFromEnv();
  if (process.argv.includes('--status')) {
    const status = await migrationStatus(database, readMigrations(dir));
    for (const name of status.applied) console.log(`applied  ${name}`);
    for (const name of status.pending) console.log(`pending  ${name}`);
    for (const name of status.unknown) console.log(`applied  ${name} (no file here: migrated by a newer build)`);
    console.log(`${status.applied.length} applied, ${status.pending.length} pending.`);
  } else {
    // (Local mode's PGlite applies pending migrations as it opens, so this may find none left.)
    const applied = await migrate(database, dir);
    if (applied.length) console.log(`Applied: ${applied.join(', ')}`);
    const status = await migrationStatus(database, readMigrations(dir));
    console.log(`The database is up to date (${status.applied.length} migrations applied).`);
  }
} catch (error) {
  console.error(`db:migrate failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await database?.end();
}
