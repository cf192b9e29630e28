/** Names and lifetimes shared by the auth modules. */

/** Auth.js's session cookie; the `__Secure-` name is used when the site is served over https. */
export const SESSION_COOKIE_NAMES = ['__Secure-authjs.session-token', 'authjs.session-token'] as const;

/** A session lasts 30 days from its last extension, and is extended at most once a day. */
export const SESSION_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;
export const SESSION_UPDATE_AGE_SECONDS = 24 * 60 * 60;
