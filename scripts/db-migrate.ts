/**
 * `npm run db:migrate`: applies pending migrations to the configured database (DATABASE_URL, or
 * the local PGlite under DATA_DIR). `npm run db:migrate -- --status` lists applied and pending
 * without changing anything. Safe to run while servers start: migrations take an advisory lock.
 */
import { loadConfig, ConfigError } from '../src/lib/config.server.ts';
import { db } from '../src/lib/db.server.ts';
import { defaultMigrationsDir, migrate, migrationStatus, readMigrations } from '../src/lib/migrate.server.ts';

try {
  loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

const dir = defaultMigrationsDir();
try {
  if (process.argv.includes('--status')) {
    const status = await migrationStatus(db, readMigrations(dir));
    for (const name of status.applied) console.log(`applied  ${name}`);
    for (const name of status.pending) console.log(`pending  ${name}`);
    for (const name of status.unknown) console.log(`applied  ${name} (no file here: migrated by a newer build)`);
    console.log(`${status.applied.length} applied, ${status.pending.length} pending.`);
  } else {
    // (Local mode's PGlite applies pending migrations as it opens, so this may find none left.)
    const applied = await migrate(db, dir);
    if (applied.length) console.log(`Applied: ${applied.join(', ')}`);
    const status = await migrationStatus(db, readMigrations(dir));
    console.log(`The database is up to date (${status.applied.length} migrations applied).`);
  }
} catch (error) {
  console.error(`db:migrate failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await db.end();
}
