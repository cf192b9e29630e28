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

/** A 503's headers and body, for a Response (Astro's routes) or a Node response (the server). */
export interface UnavailableAnswer {
  headers: Record<string, string>;
  body: string;
}

function answerAs(why: Unavailable, kind: 'json' | 'html'): UnavailableAnswer {
  return {
    headers: {
      'Content-Type': kind === 'json' ? 'application/json; charset=utf-8' : 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'Retry-After': String(why.retryAfterSeconds),
    },
    body: kind === 'json' ? JSON.stringify({ error: { code: why.code, message: why.message } }) : pageBody(why),
  };
}

/** A small self-contained page: no database, no session, no bundled assets. */
function pageBody(why: Unavailable): string {
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

/**
 * The 503 for a request to `pathname` (a request target with its query is fine): JSON in the API's
 * error shape for the JSON API, the page for everything else (Auth.js's routes are browser forms).
 */
export function unavailableAnswer(why: Unavailable, pathname: string): UnavailableAnswer {
  const jsonApi = pathname.startsWith('/api/') && !pathname.startsWith('/api/auth/');
  return answerAs(why, jsonApi ? 'json' : 'html');
}

const response = ({ headers, body }: UnavailableAnswer) => new Response(body, { status: 503, headers });

/** For the JSON API's routes: the database is away. */
export function unavailableJson(): Response {
  return response(answerAs(DATABASE_AWAY, 'json'));
}

/** For any route: the database is away. */
export function unavailableResponse(url: URL): Response {
  return response(unavailableAnswer(DATABASE_AWAY, url.pathname));
}
