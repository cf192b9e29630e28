/**
 * `npm run db:migrate`: applies pending migrations to the configured database (DATABASE_URL, or
 * the local PGlite under DATA_DIR). `npm run db:migrate -- --status` lists applied and pending
 * without changing anything. Needs only the database settings; safe to run while servers start
 * (every migration takes an advisory lock). Exits 1 when a migration that already ran was edited.
 */
import { ConfigError, loadDatabaseConfig, type DatabaseConfig } from '#lib/config/config.server.ts';
import { DataDirLockedError } from '#lib/db/data-lock.server.ts';
import { explainConnectionFailure } from '#lib/db/errors.server.ts';
import { openDatabaseFromEnv, type Database } from '#lib/db/index.server.ts';
import {
  assertUnchanged,
  migrate,
  MigrationChangedError,
  migrationStatus,
  readMigrations,
} from '#lib/db/migrate.server.ts';

let cfg: DatabaseConfig | undefined;
let database: Database | undefined;
try {
  cfg = loadDatabaseConfig();
  const dir = cfg.migrationsDir;
  database = await openDatabaseFromEnv(cfg);
  const migrations = readMigrations(dir);
  if (process.argv.includes('--status')) {
    const status = await migrationStatus(database, migrations);
    const changed = new Set(status.changed);
    for (const name of status.applied)
      console.log(`applied  ${name}${changed.has(name) ? '  (EDITED since it was applied)' : ''}`);
    for (const name of status.pending) console.log(`pending  ${name}`);
    for (const name of status.unknown) console.log(`applied  ${name} (no file here: migrated by a newer build)`);
    console.log(`${status.applied.length} applied, ${status.pending.length} pending.`);
    assertUnchanged(status.changed, migrations, dir);
  } else {
    // (Local mode's PGlite applies pending migrations as it opens, so this may find none left.)
    const applied = await migrate(database, dir);
    if (applied.length) console.log(`Applied: ${applied.join(', ')}`);
    const status = await migrationStatus(database, migrations);
    console.log(`The database is up to date (${status.applied.length} migrations applied).`);
  }
} catch (error) {
  const known =
    error instanceof ConfigError || error instanceof DataDirLockedError || error instanceof MigrationChangedError;
  const explained = cfg && explainConnectionFailure(error, cfg);
  console.error(
    `db:migrate failed: ${known ? error.message : (explained ?? (error instanceof Error ? error.message : String(error)))}`,
  );
  process.exitCode = 1;
} finally {
  await database?.end();
}
