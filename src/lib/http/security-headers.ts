/**
 * Headers every response carries: the serving layer (src/server/serving.ts) puts them on
 * everything it and Astro send, the middleware on what Astro renders (also under `astro dev`).
 */
export const SECURITY_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  'X-Frame-Options': 'DENY',
  // The page's own policy (script/style hashes) is a <meta> element Astro writes; this part can
  // only be a header. Both apply.
  'Content-Security-Policy': "frame-ancestors 'none'",
  'Cross-Origin-Opener-Policy': 'same-origin',
};

/** Two years, subdomains included: sent only when SITE_URL is https (a plain-http site can't use it). */
const HSTS = 'max-age=63072000; includeSubDomains';

/** SECURITY_HEADERS, plus Strict-Transport-Security when the site is served over https. */
export function securityHeadersFor(siteUrl: string): Record<string, string> {
  return new URL(siteUrl).protocol === 'https:'
    ? { ...SECURITY_HEADERS, 'Strict-Transport-Security': HSTS }
    : { ...SECURITY_HEADERS };
}

/**
 * For server-island answers (HTML fragments): inserted into a page, a fragment runs under the
 * page's policy, so the page's long policy is of no use on it; opened on its own as a document, it
 * may load and run nothing.
 */
export const FRAGMENT_POLICY = "default-src 'none'; frame-ancestors 'none'";

/** Runs `change` on the response's headers; a response with immutable headers is copied first. */
function editHeaders(response: Response, change: (headers: Headers) => void): Response {
  try {
    change(response.headers);
    return response;
  } catch {
    // Some responses (Response.redirect, fetch results) have immutable headers: copy, then set.
    const copy = new Response(response.body, response);
    change(copy.headers);
    return copy;
  }
}

export function applySecurityHeaders(response: Response): Response {
  return editHeaders(response, setMissing);
}

/** Replaces the response's Content-Security-Policy. */
export function withPolicy(response: Response, policy: string): Response {
  return editHeaders(response, (headers) => headers.set('Content-Security-Policy', policy));
}

function setMissing(headers: Headers) {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
    if (!headers.has(name)) headers.set(name, value);
  }
  // On-demand pages get their policy from Astro as a header: add frame-ancestors to it.
  const policy = headers.get('Content-Security-Policy') ?? '';
  if (!/frame-ancestors/.test(policy)) {
    headers.set(
      'Content-Security-Policy',
      `${policy.replace(/;?\s*$/, '')}; ${SECURITY_HEADERS['Content-Security-Policy']}`,
    );
  }
}
