/**
 * What a visitor gets while the database is unreachable: 503 with Retry-After, as JSON for the API
 * and as a small self-contained page (no database, no session, no bundled assets) for pages.
 */
import { SITE_NAME } from '#lib/content/site.ts';

/** Seconds a client should wait before trying again; the pool reconnects well within this. */
const RETRY_AFTER_SECONDS = 5;

const MESSAGE = 'The service is briefly unavailable. Please try again in a few seconds.';

export function unavailableJson(): Response {
  return new Response(JSON.stringify({ error: { code: 'unavailable', message: MESSAGE } }), {
    status: 503,
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-store',
      'Retry-After': String(RETRY_AFTER_SECONDS),
    },
  });
}

const PAGE = `<!doctype html>
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
  <p>We can’t reach our database right now, so this page can’t be shown. Nothing you saved is lost.</p>
  <p><a href="">Try again</a> in a few seconds, or go to the <a href="/">home page</a>.</p>
</main>
</body>
</html>
`;

function unavailablePage(): Response {
  return new Response(PAGE, {
    status: 503,
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'Retry-After': String(RETRY_AFTER_SECONDS),
    },
  });
}

/** JSON for the JSON API, the page for everything else (Auth.js's routes are browser forms). */
export function unavailableResponse(url: URL): Response {
  const jsonApi = url.pathname.startsWith('/api/') && !url.pathname.startsWith('/api/auth/');
  return jsonApi ? unavailableJson() : unavailablePage();
}
