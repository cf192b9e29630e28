/**
 * What a visitor gets while the database is unreachable, or while the server is too busy to take
 * the request: 503 with Retry-After, as JSON for the API and as a small self-contained page (no
 * database, no session, no bundled assets) for pages.
 */
import { SITE_NAME } from '#lib/content/site.ts';

/** Seconds a client should wait before trying again; the pool reconnects well within this. */
const RETRY_AFTER_SECONDS = 5;

/** Why a 503 was sent, in the API's error shape and as the page's words. */
interface Unavailable {
  code: string;
  message: string;
  /** The page's explanation (HTML). */
  reason: string;
  retryAfterSeconds: number;
}

const DATABASE_AWAY: Unavailable = {
  code: 'unavailable',
  message: 'The service is briefly unavailable. Please try again in a few seconds.',
  reason: 'We can’t reach our database right now, so this page can’t be shown. Nothing you saved is lost.',
  retryAfterSeconds: RETRY_AFTER_SECONDS,
};

/** More requests waiting for this server than it can answer soon (src/server/render-admission.ts). */
export const OVERLOADED: Unavailable = {
  code: 'overloaded',
  message: 'The service is too busy to answer right now. Please try again in a moment.',
  reason: 'This server has more requests than it can answer right now. Nothing you saved is lost.',
  retryAfterSeconds: 2,
};

/** The three headers every 503 here carries, for the given body type. */
export function unavailableHeaders(why: Unavailable, contentType: 'json' | 'html'): Record<string, string> {
  return {
    'Content-Type': contentType === 'json' ? 'application/json; charset=utf-8' : 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'Retry-After': String(why.retryAfterSeconds),
  };
}

export function unavailableJsonBody(why: Unavailable): string {
  return JSON.stringify({ error: { code: why.code, message: why.message } });
}

/** A small self-contained page: no database, no session, no bundled assets. */
export function unavailablePageBody(why: Unavailable): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Back in a moment · ${SITE_NAME}</title>
<style>
  body { font: 1rem/1.5 system-ui, sans-serif; margin: 0; min-height: 100vh; display: grid; place-items: center; background: #f7f7f8; color: #1d1d1f; }
  main { max-width: 28rem; padding: 2rem; text-align: center; }
  a { color: #3046c5; }
</style>
</head>
<body>
<main>
  <h1>Back in a moment</h1>
  <p>${why.reason}</p>
  <p><a href="">Try again</a> in a few seconds, or go to the <a href="/">home page</a>.</p>
</main>
</body>
</html>
`;
}

/** Whether a 503 for `pathname` is JSON (the JSON API) or the page (Auth.js's routes are browser forms). */
export function wantsJson(pathname: string): boolean {
  return pathname.startsWith('/api/') && !pathname.startsWith('/api/auth/');
}

export function unavailableJson(): Response {
  return new Response(unavailableJsonBody(DATABASE_AWAY), {
    status: 503,
    headers: unavailableHeaders(DATABASE_AWAY, 'json'),
  });
}

/** JSON for the JSON API, the page for everything else. */
export function unavailableResponse(url: URL): Response {
  if (wantsJson(url.pathname)) return unavailableJson();
  return new Response(unavailablePageBody(DATABASE_AWAY), {
    status: 503,
    headers: unavailableHeaders(DATABASE_AWAY, 'html'),
  });
}
