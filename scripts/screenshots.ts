/**
 * `npm run screenshots`: full-page screenshots of the production build for a reviewer — `/`,
 * `/pricing`, a docs page and `/changelog` at 1280 and 390 px wide, light and dark — into
 * screenshots/ (ignored by git). Builds nothing: run `npm run build` first. Serves the build the
 * way `npm start` does (local mode, a throwaway data directory) with the system Chromium.
 *
 * CHROME_PATH picks another Chromium; SCREENSHOT_PAGES another comma-separated page list;
 * SCREENSHOT_SIGNED_IN=1 signs each browser in first (through the form and the dev mailbox), for
 * a look at /todos, /account and the headers' account menu.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { signInBrowser } from './support/browser-sign-in.ts';
import { exitWithoutBuild, ROOT, startLocalBuild, stopChild } from './support/child-process.ts';

const PAGES = (process.env.SCREENSHOT_PAGES ?? '/,/pricing,/docs/getting-started,/changelog').split(',');
const WIDTHS = [1280, 390] as const;
const SCHEMES = ['light', 'dark'] as const;
const OUT = path.join(ROOT, 'screenshots');
const CHROME = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const SIGNED_IN = process.env.SCREENSHOT_SIGNED_IN === '1';

exitWithoutBuild('screenshots');

/** "/docs/getting-started" → "docs-getting-started"; "/" → "home". */
function fileStem(page: string): string {
  return page.replace(/^\/+|\/+$/g, '').replace(/[^a-z0-9]+/gi, '-') || 'home';
}

const work = mkdtempSync(path.join(os.tmpdir(), 'screenshots-'));
const { child: server, port } = await startLocalBuild(work);
const browser = await chromium.launch({ executablePath: CHROME, args: ['--no-sandbox', '--disable-gpu'] });
mkdirSync(OUT, { recursive: true });
try {
  for (const scheme of SCHEMES) {
    for (const width of WIDTHS) {
      // The system's colour scheme, which the theme picker's "System" choice (the default) follows.
      const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: scheme });
      if (SIGNED_IN)
        await signInBrowser(context, `http://localhost:${port}`, `screenshots-${scheme}-${width}@example.com`);
      const tab = await context.newPage();
      for (const page of PAGES) {
        await tab.goto(`http://localhost:${port}${page}`, { waitUntil: 'networkidle' });
        // A full-page screenshot doesn't scroll: load the lazy images below the fold first.
        await tab.evaluate(async () => {
          const images = [...document.images];
          for (const image of images) image.loading = 'eager';
          await Promise.all(images.map((image) => image.decode().catch(() => undefined)));
        });
        const file = path.join(OUT, `${fileStem(page)}${SIGNED_IN ? '-signed-in' : ''}-${width}-${scheme}.png`);
        await tab.screenshot({ path: file, fullPage: true });
        console.log(`[screenshots] ${path.relative(ROOT, file)}`);
      }
      await context.close();
    }
  }
} finally {
  await browser.close();
  await stopChild(server);
  rmSync(work, { recursive: true, force: true });
}
