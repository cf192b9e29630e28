/** `npm run db:prune`: deletes expired sign-in links, codes, sessions and rate-limit rows. */
import { ConfigError, loadConfig } from '../src/lib/config.server.ts';
import { db } from '../src/lib/db.server.ts';
import { pruneExpired } from '../src/lib/prune.server.ts';

try {
  loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
try {
  const counts = await pruneExpired(db);
  console.log(
    `Pruned ${counts.verificationTokens} sign-in links, ${counts.signInCodes} codes, ${counts.sessions} sessions, ${counts.rateLimits} rate-limit windows.`,
  );
} finally {
  await db.end();
}
