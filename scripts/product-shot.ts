/**
 * `npm run product-shot`: retakes the landing's product visual, src/assets/todos-screenshot.png
 * and its dark twin todos-screenshot-dark.png, from the production build (run `npm run build`
 * first), so the picture on the landing is the product as it is. Local mode, a throwaway data
 * directory and the system Chromium, as `npm run screenshots`; the same five todos each time.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { signInBrowser } from './support/browser-sign-in.ts';
import { ROOT, startLocalBuild, stopChild } from './support/child-process.ts';

const TODOS = [
  { content: 'Ship the landing page', completed: false },
  { content: 'Review the pricing FAQ', completed: false },
  { content: 'Book the Neon database', completed: true },
  { content: 'Write the launch post', completed: true },
  { content: 'Reply to the beta testers', completed: false },
];
const OUT = { light: 'src/assets/todos-screenshot.png', dark: 'src/assets/todos-screenshot-dark.png' } as const;
/** Room around the list, in CSS pixels, so the frame on the landing doesn't touch the content. */
const MARGIN = 26;

const work = mkdtempSync(path.join(os.tmpdir(), 'product-shot-'));
const { child: server, port } = await startLocalBuild(work);
const base = `http://localhost:${port}`;
const browser = await chromium.launch({
  executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
try {
  for (const scheme of ['light', 'dark'] as const) {
    const context = await browser.newContext({
      viewport: { width: 620, height: 900 },
      deviceScaleFactor: 2,
      colorScheme: scheme,
    });
    await signInBrowser(context, base, `product-shot-${scheme}@example.com`);
    const headers = { origin: base };
    for (const todo of TODOS) {
      const created = await context.request.post(`${base}/api/todos`, { headers, data: { content: todo.content } });
      const { id } = (await created.json()) as { id: number };
      if (todo.completed)
        await context.request.patch(`${base}/api/todos/${id}`, { headers, data: { completed: true } });
    }
    const tab = await context.newPage();
    await tab.goto(`${base}/todos`, { waitUntil: 'networkidle' });
    const box = (await tab.locator('.todos-page').boundingBox())!;
    const file = path.join(ROOT, OUT[scheme]);
    await tab.screenshot({
      path: file,
      clip: { x: box.x - MARGIN, y: box.y - MARGIN, width: box.width + 2 * MARGIN, height: box.height + 2 * MARGIN },
    });
    console.log(`[product-shot] ${OUT[scheme]} (${Math.round(statSync(file).size / 1024)} KB)`);
    await context.close();
  }
} finally {
  await browser.close();
  await stopChild(server);
  rmSync(work, { recursive: true, force: true });
}
