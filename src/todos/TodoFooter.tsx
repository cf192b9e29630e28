/**
 * Below the list: "N items left", the All / Active / Completed filters (links, so they work
 * without JavaScript; with it they change the view and the URL without a reload) and
 * "Clear completed" (only when something is completed).
 */
import type { MouseEvent } from 'react';
import { FILTERS, todosPath, type TodoFilter } from './model.ts';
import { FilterField } from './FormFields.tsx';

interface Props {
  remaining: number;
  completedCount: number;
  filter: TodoFilter;
  onFilter: (filter: TodoFilter) => void;
  onClearCompleted: () => void;
}

const LABELS: Record<TodoFilter, string> = { all: 'All', active: 'Active', completed: 'Completed' };

export function TodoFooter({ remaining, completedCount, filter, onFilter, onClearCompleted }: Props) {
  function handleFilterClick(event: MouseEvent<HTMLAnchorElement>, next: TodoFilter) {
    // A new tab or window (Ctrl/Cmd/Shift/middle click) is the browser's business.
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    onFilter(next);
  }

  return (
    <div className="todo-footer">
      <p className="todo-footer__count" data-testid="todo-count">
        {`${remaining} ${remaining === 1 ? 'item' : 'items'} left`}
      </p>
      <nav aria-label="Filter todos">
        <ul className="todo-filters">
          {FILTERS.map((option) => (
            <li key={option}>
              <a
                href={todosPath(option)}
                aria-current={option === filter ? 'page' : undefined}
                onClick={(event) => handleFilterClick(event, option)}
              >
                {LABELS[option]}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {completedCount > 0 && (
        <form
          method="post"
          action="/todos/clear-completed"
          onSubmit={(event) => {
            event.preventDefault();
            onClearCompleted();
          }}
        >
          <FilterField filter={filter} />
          <button type="submit" className="button button--small button--secondary">
            Clear completed
          </button>
        </form>
      )}
    </div>
  );
}
