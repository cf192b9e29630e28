/**
 * `npm run admin -- <command>`: operator tasks on the configured database (DATABASE_URL, or the
 * local PGlite under DATA_DIR; stop the local server first, PGlite is single-process).
 *
 *   users                          list users: todos, live sessions, last sign-in
 *   revoke-sessions <email>        sign the user out everywhere
 *   delete-user <email> --yes      delete the user with their todos and sessions
 *   prune                          delete expired sessions, sign-in links and codes, rate-limit rows
 */
import { openDatabaseFromEnv } from '#lib/db/index.server.ts';
import { deleteUser, listUsers, revokeSessions, UnknownUserError } from '#lib/account/admin.server.ts';
import { pruneExpired } from '#lib/account/prune.server.ts';
import { defaultMigrationsDir, migrationStatus, readMigrations } from '#lib/db/migrate.server.ts';

const USAGE = `Usage: npm run admin -- <command>

  users                        list users with todo counts, live sessions and last sign-in
  revoke-sessions <email>      end every session of the user (signed out everywhere)
  delete-user <email> --yes    delete the user, their todos, sessions and pending sign-in links and codes
  prune                        delete expired sessions, sign-in links and codes, rate-limit rows
`;

const [command, ...rest] = process.argv.slice(2);
const args = rest.filter((arg) => !arg.startsWith('--'));
const flags = new Set(rest.filter((arg) => arg.startsWith('--')));

const when = (date: Date | null) => (date ? date.toISOString().replace(/\.\d{3}Z$/, 'Z') : 'never');

/** Returns the process exit code: 0 done, 1 failed (unknown user, database error), 2 misuse. */
async function run(): Promise<number> {
  if (!command) {
    console.error(USAGE);
    return 2;
  }
  if (command === 'help' || flags.has('--help')) {
    console.log(USAGE);
    return 0;
  }
  const needsEmail = command === 'revoke-sessions' || command === 'delete-user';
  if (!['users', 'prune', 'revoke-sessions', 'delete-user'].includes(command)) {
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

  const database = await openDatabaseFromEnv();
  try {
    const { pending } = await migrationStatus(database, readMigrations(defaultMigrationsDir()));
    if (pending.length > 0) {
      console.error(`The database has ${pending.length} pending migration(s); run npm run db:migrate first.`);
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
            `${pruned.signInCodes} sign-in codes and ${pruned.rateLimits} rate-limit windows.`,
        );
        break;
      }
    }
    return 0;
  } catch (error) {
    if (error instanceof UnknownUserError) console.error(error.message);
    else console.error(`admin ${command} failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await database.end();
  }
}

process.exitCode = await run();
