/**
 * The todo shapes, limits and list filters shared by the server, the no-JS forms and the island.
 * No dependencies on purpose: the island imports this, and it must not pull zod into the browser
 * bundle (the validation schemas live in schema.server.ts, used on the server).
 */

export const CONTENT_MAX = 500;
/**
 * Most todos one user may have, enforced by the database (migration 0003's CHECK). Changing it
 * means a new migration as well. (0003's comment calls this file todo-schema.ts, its old name:
 * applied migrations are left as they are, their checksums are recorded.)
 */
export const TODO_LIMIT = 1000;

/**
 * How long a deleted todo can be restored (undo), in seconds; after that the hourly prune removes
 * it for good. The island's visible offer is much shorter (UNDO_OFFER_MS); the server's window
 * covers a slow network, a reload and the no-JavaScript undo form.
 */
export const UNDO_WINDOW_SECONDS = 10 * 60;

/** A todo as the API returns it and the island renders it. */
export interface Todo {
  id: number;
  content: string;
  completed: boolean;
  createdAt: string;
}

/** Todo ids are positive int4 values; anything else (0, -1, 1.5, abc, 99999999999) is a bad id. */
export function parseTodoId(raw: string | undefined): number | null {
  if (!raw || !/^[1-9]\d{0,9}$/.test(raw)) return null;
  const id = Number(raw);
  return id <= 2_147_483_647 ? id : null;
}

/**
 * A list of todo ids as the undo URL and form carry it (`12,13,20`): each a valid id, at most
 * TODO_LIMIT (a clear completed can delete every todo), duplicates dropped; null for anything else.
 */
export function parseTodoIds(raw: string | null | undefined): number[] | null {
  const parts = raw ? raw.split(',') : [];
  if (parts.length === 0 || parts.length > TODO_LIMIT) return null;
  const ids = new Set<number>();
  for (const part of parts) {
    const id = parseTodoId(part);
    if (id === null) return null;
    ids.add(id);
  }
  return [...ids];
}

/** Text a refused no-JS form post carried, for the input it came from: the new-todo form or a todo's editor. */
export interface RefusedText {
  for: 'new' | number;
  text: string;
}

/** The list filters; kept in the URL as `/todos?filter=active`. */
export const FILTERS = ['all', 'active', 'completed'] as const;
export type TodoFilter = (typeof FILTERS)[number];

/** `?filter=` from the URL: one of the known filters, anything else (or nothing) is `all`. */
export function parseFilter(raw: string | null | undefined): TodoFilter {
  return (FILTERS as readonly string[]).includes(raw ?? '') ? (raw as TodoFilter) : 'all';
}

/** Whether `todo` is shown under `filter`. */
export function matchesFilter(todo: Pick<Todo, 'completed'>, filter: TodoFilter): boolean {
  return filter === 'all' || (filter === 'completed') === todo.completed;
}

/** The list page's URL for a filter (`all` is the bare `/todos`), plus any extra query values. */
export function todosPath(filter: TodoFilter, extra: Record<string, string> = {}): string {
  const query = new URLSearchParams(filter === 'all' ? extra : { filter, ...extra }).toString();
  return query ? `/todos?${query}` : '/todos';
}
