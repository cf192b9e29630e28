/** Hidden fields the no-JS todo forms carry, so the server can redirect back to the same view. */
import type { TodoFilter } from './model.ts';

/**
 * The filter the person is on (the server redirects back to it). Nothing on "all", which the
 * server assumes when the field is missing: fewer bytes in every row of the usual view.
 */
export function FilterField({ filter }: { filter: TodoFilter }) {
  return filter === 'all' ? null : <input type="hidden" name="filter" value={filter} />;
}

/** The todo a form acts on. */
export function IdField({ id }: { id: number }) {
  return <input type="hidden" name="id" value={id} />;
}
