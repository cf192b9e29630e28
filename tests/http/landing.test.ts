/**
 * The landing and pricing pages as a visitor meets them, on the production build in Postgres
 * mode: the hero's call to action (a server island on the prerendered landing) fits the visitor,
 * and /pricing shows tiers with prices, what each includes, a call to action each, and an FAQ.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest } from '#scripts/support/raw-http.ts';
import { startApp, type RunningApp } from '../support/running-app.ts';
import { signedInClient } from '../support/session-fixture.ts';

let app: RunningApp;
let landing: string;
/** The hero island's URL, as the landing page's inline script fetches it. */
let ctaPath: string;

beforeAll(async () => {
  app = await startApp('postgres');
  landing = (await rawRequest(`${app.server.url}/`)).text();
  ctaPath = /\/_server-islands\/HeroCta\?[^"]+/.exec(landing)![0].replaceAll('&amp;', '&');
});
afterAll(async () => app?.stop());

/** The primary and secondary links of a fragment of HTML, as [label, href]. */
const buttons = (html: string) =>
  [...html.matchAll(/<a class="button[^"]*" href="([^"]+)"[^>]*>\s*([^<]+?)\s*<\/a>/g)].map((match) => [
    match[2],
    match[1]!.replaceAll('&amp;', '&'),
  ]);

describe('the landing call to action', () => {
  it('is prerendered with the signed-out links as the island fallback', () => {
    const hero = /<section class="hero[\s\S]*?<\/section>/.exec(landing)![0];
    expect(buttons(hero)).toEqual([
      ['Try it free', '/signin?callbackUrl=%2Ftodos'],
      ['Start your own copy', '/docs/getting-started'],
    ]);
  });

  it('invites a visitor without a session to try it', async () => {
    const island = await rawRequest(`${app.server.url}${ctaPath}`);
    expect(island.status).toBe(200);
    expect(buttons(island.text()).map(([label]) => label)).toEqual(['Try it free', 'Start your own copy']);
    expect(island.text()).not.toContain('Open your todos');
  });

  it('sends a signed-in visitor to their todos', async () => {
    const { client } = await signedInClient(app.database!, app.server.url, `cta.${Date.now()}@example.com`);
    const island = await client.fetch(ctaPath);
    expect(island.status).toBe(200);
    expect(island.headers.get('cache-control')).toMatch(/private|no-store/);
    expect(buttons(await island.text())).toEqual([
      ['Open your todos', '/todos'],
      ['Your account', '/account'],
    ]);
    // The signed-out answer the server keeps for anonymous visitors is not what they get.
    const anonymous = await rawRequest(`${app.server.url}${ctaPath}`);
    expect(anonymous.text()).not.toContain('Open your todos');
  });
});

describe('/pricing', () => {
  let html: string;
  beforeAll(async () => {
    const response = await rawRequest(`${app.server.url}/pricing`);
    expect(response.status).toBe(200);
    html = response.text();
  });

  it('shows tiers, each with a price, what it includes and a call to action', () => {
    const tiers = [...html.matchAll(/<li class="card tier[\s\S]*?<\/a>\s*<\/li>/g)].map((match) => match[0]);
    expect(tiers.length).toBeGreaterThanOrEqual(3);
    const names = tiers.map((tier) => /<h3[^>]*>\s*([^<]+?)\s*</.exec(tier)?.[1]);
    expect(names).toEqual(['Free', 'Pro', 'Team']);
    for (const tier of tiers) {
      // Scoped styles may add a class of their own (`astro-…`) beside ours.
      expect(tier).toMatch(/class="tier__amount[^"]*"[^>]*>\$\d+</);
      expect([...tier.matchAll(/<li\b/g)].length - 1).toBeGreaterThanOrEqual(3);
      expect(buttons(tier)).toHaveLength(1);
    }
    expect(tiers.filter((tier) => tier.includes('tier--featured'))).toHaveLength(1);
  });

  it('answers frequent questions', () => {
    expect(html).toMatch(/<h2 id="faq-title"[^>]*>Frequently asked questions<\/h2>/);
    const questions = [
      ...html.matchAll(
        /<details class="faq__item[^"]*"[^>]*>\s*<summary[^>]*>([^<]+)<\/summary>\s*<p[^>]*>([^<]+)<\/p>/g,
      ),
    ];
    expect(questions.length).toBeGreaterThanOrEqual(4);
    for (const [, question, answer] of questions) {
      expect(question).toMatch(/\?$/);
      expect(answer!.length).toBeGreaterThan(40);
    }
  });
});
