/**
 * The list filter, kept in the URL (`/todos?filter=active`): choosing one pushes a history entry,
 * so reload, back and forward all work; the server reads the same parameter for the first render.
 */
import { useCallback, useEffect, useState } from 'react';
import { parseFilter, todosPath, type TodoFilter } from './model.ts';

/** The current filter and a function to choose another (updating the URL). */
export function useFilter(initialFilter: TodoFilter): [TodoFilter, (filter: TodoFilter) => void] {
  const [filter, setFilter] = useState(initialFilter);

  useEffect(() => {
    const fromUrl = () => setFilter(parseFilter(new URLSearchParams(window.location.search).get('filter')));
    window.addEventListener('popstate', fromUrl);
    // A no-JS form's message (`error=`) or editor (`edit=`) was shown once; don't keep it in the URL.
    const url = new URL(window.location.href);
    if (url.searchParams.has('error') || url.searchParams.has('edit')) {
      window.history.replaceState(window.history.state, '', todosPath(initialFilter));
    }
    return () => window.removeEventListener('popstate', fromUrl);
  }, [initialFilter]);

  const choose = useCallback((next: TodoFilter) => {
    setFilter(next);
    const path = todosPath(next);
    if (`${window.location.pathname}${window.location.search}` !== path) window.history.pushState(null, '', path);
  }, []);

  return [filter, choose];
}
