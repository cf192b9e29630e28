/** The changelog's order and dates, shared by its index, entry pages, feed and the sitemap page. */

export interface DatedEntry {
  id: string;
  data: { date: Date };
}

/** Newest first; entries of the same day by id (descending) so the order is stable. */
export function newestFirst<T extends DatedEntry>(entries: T[]): T[] {
  return [...entries].sort((a, b) => b.data.date.getTime() - a.data.date.getTime() || b.id.localeCompare(a.id));
}

/** The entry's page: /changelog/<file name without .md>. */
export function changelogPath(id: string): string {
  return `/changelog/${id}`;
}

/** "1 December 2026": dates are calendar days (UTC), not instants. */
export function formatDay(date: Date): string {
  return date.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}
