/**
 * `npm run db:migrate`: applies pending migrations to the configured database (DATABASE_URL, or
 * the local PGlite under DATA_DIR). `npm run db:migrate -- --status` lists applied and pending.
 */
import { loadConfig, ConfigError } from '../src/lib/config.server.ts';
import { db } from '../src/lib/db.server.ts';
import { appliedMigrations, defaultMigrationsDir, migrate, readMigrations } from '../src/lib/migrate.server.ts';

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
    const done = await appliedMigrations(db);
    for (const { name } of readMigrations(dir)) console.log(`${done.has(name) ? 'applied' : 'pending'}  ${name}`);
  } else {
    // (Local mode's PGlite applies pending migrations as it opens, so this may find none left.)
    const applied = await migrate(db, dir);
    if (applied.length) console.log(`Applied: ${applied.join(', ')}`);
    console.log(`The database is up to date (${(await appliedMigrations(db)).size} migrations applied).`);
  }
} finally {
  await db.end();
}
