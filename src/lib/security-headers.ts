/** Headers every on-demand response carries (static files get theirs from the server entry). */
export const SECURITY_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  'X-Frame-Options': 'DENY',
  // The page's own policy (script/style hashes) is a <meta> element Astro writes; this part can
  // only be a header. Both apply.
  'Content-Security-Policy': "frame-ancestors 'none'",
  'Cross-Origin-Opener-Policy': 'same-origin',
};

export function applySecurityHeaders(response: Response): Response {
  let target = response;
  try {
    setMissing(target.headers);
  } catch {
    // Some responses (Response.redirect, fetch results) have immutable headers: copy, then set.
    target = new Response(response.body, response);
    setMissing(target.headers);
  }
  return target;
}

function setMissing(headers: Headers) {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
    if (!headers.has(name)) headers.set(name, value);
  }
  // On-demand pages get their policy from Astro as a header: add frame-ancestors to it.
  const policy = headers.get('Content-Security-Policy') ?? '';
  if (!/frame-ancestors/.test(policy)) {
    headers.set('Content-Security-Policy', `${policy.replace(/;?\s*$/, '')}; ${SECURITY_HEADERS['Content-Security-Policy']}`);
  }
}
