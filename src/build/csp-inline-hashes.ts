/**
 * Build step: completes the per-page Content-Security-Policy <meta> that Astro writes
 * (`security.csp`) with what Astro leaves out, so no page needs 'unsafe-inline':
 * - inline <script>/<style> elements Astro does not hash: Starlight's `is:inline` scripts (theme,
 *   sidebar state, search shortcut; withastro/astro#16678);
 * - `style="…"` attributes (Expressive Code colours each token with custom properties in one):
 *   `style-src-attr 'unsafe-hashes'` plus the hash of each distinct value. 'unsafe-hashes' allows
 *   exactly those declarations as attributes, never script, and nothing an attacker can inject
 *   unless it is byte-identical to a declaration we ship;
 * - pages with Starlight's search: Pagefind compiles its WebAssembly ('wasm-unsafe-eval') and
 *   runs in a worker from our own origin (`worker-src 'self'`).
 * Runs as an Astro integration (`astro:build:done`) over the prerendered HTML of the client build.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { filesUnder } from './precompress.ts';

const META = /<meta http-equiv="content-security-policy" content="([^"]*)"\s*\/?>/i;
const INLINE_SCRIPT = /<script\b(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi;
const INLINE_STYLE = /<style\b[^>]*>([\s\S]*?)<\/style>/gi;
const STYLE_ATTRIBUTE = /\sstyle="([^"]*)"/gi;

const hash = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** The attribute's value as the browser sees it (the hash is over the decoded text). */
function decodeAttribute(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#\d+|quot|amp|apos|lt|gt|#39);/gi, (_, entity: string) => {
    const named: Record<string, string> = { quot: '"', amp: '&', apos: "'", lt: '<', gt: '>' };
    if (entity[0] !== '#') return named[entity.toLowerCase()]!;
    const code = entity[1] === 'x' || entity[1] === 'X' ? parseInt(entity.slice(2), 16) : Number(entity.slice(1));
    return String.fromCodePoint(code);
  });
}

type Policy = Map<string, string[]>;

function parsePolicy(text: string): Policy {
  const policy: Policy = new Map();
  for (const part of text.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) policy.set(name.toLowerCase(), values);
  }
  return policy;
}

const serialize = (policy: Policy) => [...policy].map(([name, values]) => [name, ...values].join(' ')).join('; ');

/** Adds the sources `directive` lacks; returns how many. */
function add(policy: Policy, directive: string, sources: Iterable<string>): number {
  const values = policy.get(directive) ?? [];
  const missing = [...new Set(sources)].filter((source) => !values.includes(source));
  if (missing.length > 0) policy.set(directive, [...values, ...missing]);
  return missing.length;
}

const bodies = (html: string, pattern: RegExp) => [...html.matchAll(pattern)].map((match) => match[1]!);

/** The page with its policy completed; the page unchanged if it has no policy <meta>. */
export function completePolicy(html: string): string {
  const meta = META.exec(html);
  if (!meta) return html;
  const policy = parsePolicy(decodeAttribute(meta[1]!));
  let added = add(policy, 'script-src', bodies(html, INLINE_SCRIPT).filter(Boolean).map(hash));
  added += add(policy, 'style-src', bodies(html, INLINE_STYLE).filter(Boolean).map(hash));
  const attributes = new Set(bodies(html, STYLE_ATTRIBUTE).map(decodeAttribute));
  if (attributes.size > 0) added += add(policy, 'style-src-attr', ["'unsafe-hashes'", ...[...attributes].map(hash)]);
  if (html.includes('<site-search')) {
    added += add(policy, 'script-src', ["'wasm-unsafe-eval'"]);
    added += add(policy, 'worker-src', ["'self'"]);
  }
  if (added === 0) return html;
  const content = serialize(policy).replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  return html.replace(META, (whole) => whole.replace(meta[1]!, () => content));
}

/** The Astro integration: completes the policy of every prerendered page of the client build. */
export function cspInlineHashes(): AstroIntegration {
  let clientDir: URL | undefined;
  return {
    name: 'csp-inline-hashes',
    hooks: {
      'astro:config:done': ({ config }) => {
        clientDir = config.build.client;
      },
      'astro:build:done': ({ logger }) => {
        if (!clientDir) return;
        let changed = 0;
        for (const file of filesUnder(fileURLToPath(clientDir))) {
          if (!file.endsWith('.html')) continue;
          const html = readFileSync(file, 'utf8');
          const completed = completePolicy(html);
          if (completed === html) continue;
          writeFileSync(file, completed);
          changed++;
        }
        logger.info(`completed the CSP of ${changed} pages`);
      },
    },
  };
}
