/**
 * `astro dev` in local mode, made to behave like the production server in two ways:
 * - links and redirects follow the port actually served (`--port 4701`, or the next free port
 *   when 4321 is busy), not PORT's default: Astro knows the bound address once listening;
 * - the dev server owns the local data directory, like `npm start` does (src/lib/db/data-lock.server.ts):
 *   started while another process holds it, it stops at once and names that process, instead of
 *   failing on the first request or, worse, both writing to one database.
 */
import type { AstroIntegration } from 'astro';
import { ConfigError, loadDatabaseConfig, recordServedPort } from '#lib/config/config.server.ts';
import { DataDirLockedError, lockDataDir } from '#lib/db/data-lock.server.ts';
import { makePrivateDir } from '#lib/db/private-data.server.ts';

export function localDevServer(): AstroIntegration {
  return {
    name: 'local-dev-server',
    hooks: {
      'astro:server:start': ({ address, logger }) => {
        recordServedPort(address.port);
        try {
          const database = loadDatabaseConfig();
          if (database.mode !== 'local') return;
          makePrivateDir(database.dataDir);
          lockDataDir(database.dataDir);
        } catch (error) {
          if (!(error instanceof DataDirLockedError || error instanceof ConfigError)) throw error;
          logger.error(`${error.message}\nThe dev server did not start.`);
          process.exit(1);
        }
      },
    },
  };
}
