/**
 * The cache policy of everything answered per request (pages for a signed-in person, the API,
 * redirects carrying state): the browser may keep nothing, and no shared cache may store it.
 */
export const PRIVATE_NO_STORE = 'private, no-store';
