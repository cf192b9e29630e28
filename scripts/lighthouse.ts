/**
 * `npm run lighthouse`: Lighthouse (the npm package, driving the system Chromium) on the home page,
 * a docs page and the changelog of the production build, served the way `npm start` serves it (local mode).
 * Prints every category's score per page and form factor, writes them as JSON
 * (dist/lighthouse-results.json, or LIGHTHOUSE_OUT), and exits 1 if any score is below 95.
 *
 * CHROME_PATH picks another Chromium binary; LIGHTHOUSE_PAGES another comma-separated page list.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse, { desktopConfig } from 'lighthouse';
import { exitWithoutBuild, ROOT, startLocalBuild, stopChild } from './support/child-process.ts';

const MIN_SCORE = 95;
const PAGES = (process.env.LIGHTHOUSE_PAGES ?? '/,/docs/getting-started,/changelog').split(',');
const OUT = process.env.LIGHTHOUSE_OUT ?? path.join(ROOT, 'dist', 'lighthouse-results.json');
const CHROME = process.env.CHROME_PATH ?? '/usr/bin/chromium';

exitWithoutBuild('lighthouse', 'npm run lighthouse');

const work = mkdtempSync(path.join(os.tmpdir(), 'lighthouse-'));
// Local mode, as `npm start` runs it: the content pages don't depend on the database mode.
const { child: server, port } = await startLocalBuild(work);

const chrome = await chromeLauncher.launch({
  chromePath: CHROME,
  chromeFlags: [
    '--headless=new',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
  ],
});

type Scores = Record<string, number>;
const results: Array<{ page: string; formFactor: string; scores: Scores }> = [];
const failures: string[] = [];
try {
  for (const page of PAGES) {
    for (const formFactor of ['mobile', 'desktop'] as const) {
      const url = `http://localhost:${port}${page}`;
      const runner = await lighthouse(
        url,
        {
          port: chrome.port,
          output: 'json',
          logLevel: 'error',
          onlyCategories: ['performance', 'accessibility', 'best-practices', 'seo'],
        },
        formFactor === 'desktop' ? desktopConfig : undefined,
      );
      if (!runner) throw new Error(`Lighthouse returned nothing for ${url}`);
      const scores: Scores = {};
      for (const [id, category] of Object.entries(runner.lhr.categories)) {
        scores[id] = Math.round((category.score ?? 0) * 100);
        if (scores[id]! < MIN_SCORE) {
          const failed = category.auditRefs
            .map((ref) => runner.lhr.audits[ref.id])
            .filter(
              (audit) => audit && audit.score !== null && audit.score < 1 && audit.scoreDisplayMode !== 'informative',
            )
            .map((audit) => audit!.id);
          failures.push(`${page} (${formFactor}) ${id} ${scores[id]}: ${failed.join(', ')}`);
        }
      }
      results.push({ page, formFactor, scores });
      console.log(
        `${page.padEnd(26)} ${formFactor.padEnd(8)} ${Object.entries(scores)
          .map(([id, score]) => `${id} ${score}`)
          .join('  ')}`,
      );
    }
  }
} finally {
  chrome.kill();
  await stopChild(server);
}

writeFileSync(
  OUT,
  `${JSON.stringify({ date: new Date().toISOString(), lighthouse: '12.2.3', chromium: CHROME, minScore: MIN_SCORE, results }, null, 2)}\n`,
);
console.log(`[lighthouse] scores written to ${path.relative(process.cwd(), OUT)}`);
for (const failure of failures) console.log(`FAIL ${failure}`);
rmSync(work, { recursive: true, force: true });
process.exitCode = failures.length > 0 ? 1 : 0;
