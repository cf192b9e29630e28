/** Site-wide names and navigation shared by the layouts (safe anywhere: no server imports). */

/**
 * The site's name: page titles, the header, the outage page, and the sign-in email unless the
 * SITE_NAME variable overrides it there (pages are prerendered, so only the email can follow it).
 */
export const SITE_NAME = 'Astro Todos';

export const DEFAULT_DESCRIPTION =
  'Passwordless magic-link sign-in and a per-user todo list, built with Astro, Auth.js and Postgres.';

/** The header navigation, in order. */
export const MAIN_NAV = [
  { href: '/features', label: 'Features' },
  { href: '/pricing', label: 'Pricing' },
  { href: '/docs', label: 'Docs' },
  { href: '/about', label: 'About' },
] as const;

/** `pathname` without a trailing slash (except the root): one canonical form per page. */
export function canonicalPath(pathname: string): string {
  const trimmed = pathname.replace(/\/(index\.html)?$/, '');
  return trimmed === '' ? '/' : trimmed;
}

/** True when `pathname` is `href` or a page below it (for aria-current in the navigation). */
export function isCurrentSection(pathname: string, href: string): boolean {
  const path = canonicalPath(pathname);
  return path === href || path.startsWith(`${href}/`);
}
