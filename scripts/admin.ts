/**
 * `npm run admin -- <command>`: operator tasks on the configured database (DATABASE_URL, or the
 * local PGlite under DATA_DIR, which a running local server holds: the tool then refuses, naming it).
 * `npm run admin -- --help` for the commands.
 */
import { ConfigError, loadDatabaseConfig, type DatabaseConfig } from '#lib/config/config.server.ts';
import { openDatabaseFromEnv, type Database } from '#lib/db/index.server.ts';
import { DataDirLockedError } from '#lib/db/data-lock.server.ts';
import { explainConnectionFailure } from '#lib/db/errors.server.ts';
import { deleteUser, listUsers, revokeSessions, UnknownUserError } from '#lib/account/admin.server.ts';
import { pruneExpired } from '#lib/account/prune.server.ts';
import { MigrationChangedError, migrationStatus, readMigrations } from '#lib/db/migrate.server.ts';

const USAGE = `Usage: npm run admin -- <command> [arguments]

Acts on the configured database: the Postgres database in DATABASE_URL when it is set, otherwise
the local database in DATA_DIR (default .data; stop the local server first, it holds that
directory). Pending migrations must be applied first (npm run db:migrate).

Commands:
  users [--json]               list users with todo counts, live sessions, last sign-in and creation
                               time (--json: as a JSON array)
  revoke-sessions <email>      end every session of the user (signed out everywhere)
  delete-user <email> --yes    delete the user, their todos, sessions and pending sign-in links and codes
  prune                        delete expired sessions, sign-in links and codes, rate-limit rows
  help                         this text (also --help or -h)

Examples:
  npm run admin -- users --json
  DATABASE_URL='postgres://…' npm run admin -- revoke-sessions ada@example.com

Exit status: 0 done, 1 failed (unknown user, database error), 2 misuse.
`;

const COMMANDS = ['users', 'prune', 'revoke-sessions', 'delete-user'];
const HELP = new Set(['help', '--help', '-h']);
const argv = process.argv.slice(2);
const [command, ...rest] = argv;
const args = rest.filter((arg) => !arg.startsWith('-'));
const flags = new Set(rest.filter((arg) => arg.startsWith('-')));
// `npm run admin --help` (without `--`) is npm's own flag: npm prints its help for `run` and never
// starts this script; with `--` the flag arrives here.
const wantsHelp = argv.some((arg) => HELP.has(arg));

/** Which database a command is about to change, in words (to stderr: stdout stays parseable). */
function describeDatabase(cfg: DatabaseConfig): string {
  if (cfg.mode === 'local') return `the local database in ${cfg.dataDir}`;
  const url = new URL(cfg.databaseUrl!);
  return `the Postgres database ${url.pathname.replace(/^\//, '') || 'postgres'} at ${url.hostname}`;
}

const when = (date: Date | null) => (date ? date.toISOString().replace(/\.\d{3}Z$/, 'Z') : 'never');

/** Returns the process exit code: 0 done, 1 failed (unknown user, database error), 2 misuse. */
async function run(): Promise<number> {
  if (wantsHelp) {
    console.log(USAGE);
    return 0;
  }
  if (!command) {
    console.error(USAGE);
    return 2;
  }
  const needsEmail = command === 'revoke-sessions' || command === 'delete-user';
  if (!COMMANDS.includes(command)) {
    console.error(`Unknown command: ${command}\n\n${USAGE}`);
    return 2;
  }
  if (needsEmail && args.length !== 1) {
    console.error(`${command} takes exactly one email address.\n\n${USAGE}`);
    return 2;
  }
  if (command === 'delete-user' && !flags.has('--yes')) {
    console.error(`This deletes ${args[0]} with all their todos. Run again with --yes to confirm.`);
    return 2;
  }

  let cfg: DatabaseConfig | undefined;
  let database: Database | undefined;
  try {
    cfg = loadDatabaseConfig();
    console.error(`admin ${command}: ${describeDatabase(cfg)}`);
    database = await openDatabaseFromEnv(cfg);
    const { pending, changed } = await migrationStatus(database, readMigrations(cfg.migrationsDir));
    if (pending.length > 0) {
      console.error(`The database has ${pending.length} pending migration(s); run npm run db:migrate first.`);
      return 1;
    }
    if (changed.length > 0) {
      console.error(
        `Applied migration(s) edited since they ran: ${changed.join(', ')}; npm run db:migrate -- --status explains.`,
      );
      return 1;
    }
    switch (command) {
      case 'users': {
        const users = await listUsers(database);
        if (flags.has('--json')) {
          console.log(JSON.stringify(users, null, 2));
          break;
        }
        console.log(['id', 'email', 'todos', 'sessions', 'last sign-in', 'created'].join('\t'));
        for (const u of users) {
          console.log([u.id, u.email, u.todos, u.activeSessions, when(u.lastSignInAt), when(u.createdAt)].join('\t'));
        }
        console.log(`${users.length} user${users.length === 1 ? '' : 's'}`);
        break;
      }
      case 'revoke-sessions': {
        const count = await revokeSessions(database, args[0]!);
        console.log(`Revoked ${count} session${count === 1 ? '' : 's'} of ${args[0]}.`);
        break;
      }
      case 'delete-user': {
        const { id, todos } = await deleteUser(database, args[0]!);
        console.log(`Deleted user ${id} (${args[0]}) and ${todos} todo${todos === 1 ? '' : 's'}.`);
        break;
      }
      case 'prune': {
        const pruned = await pruneExpired(database);
        console.log(
          `Deleted ${pruned.sessions} expired sessions, ${pruned.verificationTokens} sign-in links, ` +
            `${pruned.signInCodes} sign-in codes, ${pruned.rateLimits} rate-limit windows, ` +
            `${pruned.emailChanges} email-change links, ${pruned.passkeyChallenges} passkey challenges ` +
            `and ${pruned.deletedTodos} deleted todos past their undo window.`,
        );
        break;
      }
    }
    return 0;
  } catch (error) {
    const known =
      error instanceof UnknownUserError ||
      error instanceof ConfigError ||
      error instanceof DataDirLockedError ||
      error instanceof MigrationChangedError;
    const explained = cfg && explainConnectionFailure(error, cfg);
    if (error instanceof UnknownUserError) console.error(error.message);
    else
      console.error(
        `admin ${command} failed: ${known ? error.message : (explained ?? (error instanceof Error ? error.message : String(error)))}`,
      );
    return 1;
  } finally {
    await database?.end();
  }
}

process.exitCode = await run();
