/** Hidden fields the no-JS todo forms carry, so the server can redirect back to the same view. */
import type { TodoFilter } from './model.ts';

/** The filter the person is on (the server redirects back to it). */
export function FilterField({ filter }: { filter: TodoFilter }) {
  return <input type="hidden" name="filter" value={filter} />;
}

/** The todo a form acts on. */
export function IdField({ id }: { id: number }) {
  return <input type="hidden" name="id" value={id} />;
}
