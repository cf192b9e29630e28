/**
 * Where Astro serves server-island fragments (the account menu on prerendered pages). Shared by the
 * middleware (fragments get their own short policy) and the server's island cache.
 */
export const ISLAND_PREFIX = '/_server-islands/';
