/** The bench's one table: each route with its limit's ratio, then the byte budgets and floors. */
import { ASTRO_ALONE_ROUTE, BUDGETS, FLOORS, MAX_RSS_MIB } from './bench-budgets.ts';
import { MiB } from './support/process-memory.ts';

export interface Row {
  route: string;
  connections: number;
  reqPerSec: number;
  p50: number;
  p99: number;
  errors: number;
  /** Mean bytes per response on the wire (headers included). */
  bytesPerResponse: number;
  responses: number;
  /** A comparison variant (another serving layer, no request log); floors don't apply to it. */
  variant?: string;
  limit?: Row;
  /** For PATCH: the same SQL through the same driver and proxy without HTTP (reported, no floor). */
  pathLimit?: Row;
  /** The serving process's highest RSS during the row's warm-up and run (undefined off Linux). */
  peakRssBytes?: number;
}

const pad = (text: string, width: number, right = false) => (right ? text.padStart(width) : text.padEnd(width));
const ms = (value: number) => (value < 10 ? value.toFixed(2) : value.toFixed(1));
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** Prints the table and the floor checks; returns the failed checks. */
export function printTable(rows: Row[], budgets: Record<keyof typeof BUDGETS, number>): { failures: string[] } {
  const header = ['route', 'conns', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'bytes', 'vs limit', 'RSS MiB'];
  const widths = [50, 6, 10, 8, 8, 7, 7, 9, 8];
  const line = (cells: string[]) => cells.map((cell, i) => pad(cell, widths[i]!, i > 0)).join(' ');
  console.log(`\n${line(header)}\n${'-'.repeat(widths.reduce((a, b) => a + b + 1, 0))}`);
  for (const row of rows) {
    const ratio = row.limit ? `${Math.round((row.reqPerSec / row.limit.reqPerSec) * 100)}%` : '';
    console.log(
      line([
        row.route,
        String(row.connections),
        Math.round(row.reqPerSec).toLocaleString('en'),
        ms(row.p50),
        ms(row.p99),
        String(row.errors),
        String(row.bytesPerResponse),
        ratio,
        row.peakRssBytes === undefined ? '' : String(Math.round(row.peakRssBytes / MiB)),
      ]),
    );
  }

  const failures: string[] = [];
  const check = (ok: boolean, text: string) => {
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${text}`);
    if (!ok) failures.push(text);
  };
  console.log('');
  for (const row of rows) {
    if (row.variant) continue;
    const ratio = row.limit ? row.reqPerSec / row.limit.reqPerSec : undefined;
    const at = `at ${row.connections} connections`;
    if (row.route.startsWith('GET / ') && ratio !== undefined)
      check(
        ratio >= FLOORS.landingVsBare,
        `landing ≥ ${FLOORS.landingVsBare * 100}% of bare server ${at}: ${Math.round(ratio * 100)}%`,
      );
    if (row.route === 'island, anonymous' && ratio !== undefined)
      check(
        ratio >= FLOORS.anonymousIslandVsBare,
        `anonymous island ≥ ${FLOORS.anonymousIslandVsBare * 100}% of bare server ${at}: ${Math.round(ratio * 100)}%`,
      );
    const astro = rows.find((other) => other.route === ASTRO_ALONE_ROUTE && other.connections === row.connections);
    const floor = /^(PATCH \/|POST \/api\/todos$|island, signed in$)/.test(row.route)
      ? FLOORS.signedInApiVsAstro
      : row.route.startsWith('GET /todos')
        ? FLOORS.todosPageVsAstro
        : undefined;
    if (row.route.startsWith('GET /todos') && row.connections === 50)
      check(
        row.p99 < FLOORS.todosP99At50Ms,
        `${row.route} p99 under ${FLOORS.todosP99At50Ms} ms ${at}: ${ms(row.p99)} ms`,
      );
    if (astro && floor !== undefined) {
      const share = row.reqPerSec / astro.reqPerSec;
      check(
        share >= floor,
        `${row.route} ≥ ${Math.round(floor * 100)}% of Astro alone ${at}: ${Math.round(share * 100)}% (${Math.round(row.reqPerSec).toLocaleString('en')} vs ${Math.round(astro.reqPerSec).toLocaleString('en')}/s)`,
      );
    }
  }
  for (const row of rows) {
    if (!row.pathLimit) continue;
    const share = Math.round((row.reqPerSec / row.pathLimit.reqPerSec) * 100);
    console.log(
      `info PATCH ${`at ${row.connections} connections`}: ${share}% of the Neon driver alone running the same SQL through the same proxy (${Math.round(row.pathLimit.reqPerSec).toLocaleString('en')}/s)`,
    );
  }
  for (const row of rows) {
    if (!row.variant) continue;
    const base = rows.find(
      (other) => !other.variant && other.connections === row.connections && row.route.startsWith(`${other.route} [`),
    );
    if (!base) continue;
    const share = Math.round((row.reqPerSec / base.reqPerSec) * 100);
    const vsLimit = row.limit ? `, ${Math.round((row.reqPerSec / row.limit.reqPerSec) * 100)}% of its limit` : '';
    console.log(
      `info ${row.route} at ${row.connections} connections: ${share}% of production's ${Math.round(base.reqPerSec).toLocaleString('en')}/s${vsLimit}, ${row.bytesPerResponse} vs ${base.bytesPerResponse} bytes`,
    );
  }
  // The server's memory, per connection count: the highest peak of production's rows.
  for (const connections of new Set(rows.map((row) => row.connections))) {
    const measured = rows.filter((row) => !row.variant && row.connections === connections && row.peakRssBytes);
    if (measured.length === 0) continue;
    const top = measured.reduce((a, b) => (b.peakRssBytes! > a.peakRssBytes! ? b : a));
    const mib = Math.round(top.peakRssBytes! / MiB);
    check(
      mib <= MAX_RSS_MIB,
      `server RSS ≤ ${MAX_RSS_MIB} MiB at ${connections} connections: peak ${mib} MiB (${top.route})`,
    );
  }
  const errors = rows.reduce((sum, row) => sum + row.errors, 0);
  check(errors === 0, `zero errors: ${errors}`);
  check(
    budgets.landingHtmlCssBytes < BUDGETS.landingHtmlCssBytes,
    `landing HTML+CSS under ${kb(BUDGETS.landingHtmlCssBytes)} (brotli): ${kb(budgets.landingHtmlCssBytes)}`,
  );
  check(
    budgets.todosJavaScriptBytes < BUDGETS.todosJavaScriptBytes,
    `/todos JavaScript under ${kb(BUDGETS.todosJavaScriptBytes)} (brotli): ${kb(budgets.todosJavaScriptBytes)}`,
  );
  check(
    budgets.landingJavaScriptBytes === BUDGETS.landingJavaScriptBytes,
    `landing page JavaScript files: ${kb(budgets.landingJavaScriptBytes)}`,
  );
  check(
    budgets.docsJavaScriptBytes < BUDGETS.docsJavaScriptBytes,
    `docs page JavaScript before search under ${kb(BUDGETS.docsJavaScriptBytes)} (brotli): ${kb(budgets.docsJavaScriptBytes)}`,
  );
  return { failures };
}
