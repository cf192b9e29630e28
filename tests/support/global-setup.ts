/**
 * Vitest global setup: one throwaway PostgreSQL cluster and one WebSocket proxy for the whole run.
 * Test files get their addresses through `inject('postgres')` and create their own databases.
 */
import type { TestProject } from 'vitest/node';
import { startThrowawayPostgres } from '#scripts/support/postgres.ts';
import { startWsProxy } from '#scripts/support/ws-proxy.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    postgres: { url: string; port: number; wsProxy: string };
  }
}

export default async function setup(project: TestProject) {
  const postgres = await startThrowawayPostgres();
  const proxy = await startWsProxy();
  project.provide('postgres', { url: postgres.url, port: postgres.port, wsProxy: proxy.address });
  return async () => {
    await proxy.close();
    await postgres.stop();
  };
}
