/** Ordering of the docs collection (kept here so the index, sidebar and pager agree). */

export interface OrderedDoc {
  id: string;
  data: { title: string; order: number };
}

/** Docs by their `order` frontmatter, then by id so equal orders stay stable. */
export function sortDocs<T extends OrderedDoc>(docs: T[]): T[] {
  return [...docs].sort((a, b) => a.data.order - b.data.order || a.id.localeCompare(b.id));
}

/** The pages before and after `id` in reading order. */
export function neighbours<T extends OrderedDoc>(
  sorted: T[],
  id: string,
): { previous: T | undefined; next: T | undefined } {
  const index = sorted.findIndex((doc) => doc.id === id);
  if (index === -1) return { previous: undefined, next: undefined };
  return { previous: sorted[index - 1], next: sorted[index + 1] };
}
