/**
 * The todo list island on /todos. Rendered on the server with the user's todos as plain HTML
 * forms that work without JavaScript (`client:load` then takes over the same markup); with it,
 * every change shows at once and is undone, with a message, if refused.
 */
import { useLayoutEffect, useRef } from 'react';
import { matchesFilter, type RefusedText, type Todo, type TodoFilter } from './model.ts';
import { FilterField } from './FormFields.tsx';
import { NewTodoForm } from './NewTodoForm.tsx';
import { TodoFooter } from './TodoFooter.tsx';
import { TodoRow } from './TodoRow.tsx';
import { UndoToast } from './UndoToast.tsx';
import { signInPath } from '#lib/auth/redirects.ts';
import { useFilter } from './useFilter.ts';
import { useTodos } from './useTodos.ts';

export interface TodoAppProps {
  initialTodos: Todo[];
  initialFilter?: TodoFilter;
  /** The todo whose editor is open (the no-JS `?edit=<id>` page). */
  initialEditingId?: number | null;
  /** A refused no-JS form post's message (`?error=<code>`). */
  initialError?: string | null;
  /** ...and the text it refused, for the new-todo input or the open editor. */
  initialRefusedText?: RefusedText | null;
  /** The ids a delete just removed (`?undo=`): offered for undo. */
  initialUndoIds?: number[] | null;
  /** When the server read `initialTodos` (ms): live updates start from there (null: none). */
  listedAt?: number | null;
}

export default function TodoApp({
  initialTodos,
  initialFilter = 'all',
  initialEditingId = null,
  initialError = null,
  initialRefusedText = null,
  initialUndoIds = null,
  listedAt = null,
}: TodoAppProps) {
  const todos = useTodos(initialTodos, initialError, initialUndoIds, listedAt);
  const [filter, setFilter] = useFilter(initialFilter);
  const { items, remaining, message } = todos;
  const visible = items.filter((item) => matchesFilter(item, filter));
  const completedCount = items.length - remaining;
  const allCompleted = items.length > 0 && remaining === 0;

  const listRef = useRef<HTMLUListElement>(null);
  const newTodoRef = useRef<HTMLInputElement>(null);
  // Position of a row that an action may remove from view (deleted, or filtered out once
  // toggled); null after bulk actions. If focus went with the row, it moves to a neighbour.
  const actedIndex = useRef<number | null | undefined>(undefined);

  function actedOn(key: string | null) {
    actedIndex.current = key === null ? null : visible.findIndex((item) => item.key === key);
  }

  useLayoutEffect(() => {
    const index = actedIndex.current;
    if (index === undefined) return;
    actedIndex.current = undefined;
    // Only when focus was lost with the removed control; never take it from where the person moved it.
    if (document.activeElement && document.activeElement !== document.body) return;
    const boxes = listRef.current?.querySelectorAll<HTMLElement>('[role="checkbox"]');
    const next = index === null ? undefined : boxes?.[Math.min(index, boxes.length - 1)];
    (next ?? newTodoRef.current)?.focus();
  }, [items, filter, todos.undoOffer]);

  return (
    <div className="todo-app" data-live={todos.live}>
      <NewTodoForm
        onAdd={todos.add}
        filter={filter}
        inputRef={newTodoRef}
        initialText={initialRefusedText?.for === 'new' ? initialRefusedText.text : ''}
      />

      <div className="todo-messages" role="alert">
        {message && (
          <div className="notice notice--error" key={message.id}>
            <p>
              {message.text} {message.signIn && <a href={signInPath('/todos')}>Sign in again</a>}
            </p>
            <span className="todo-messages__actions">
              {message.retry && (
                <button type="button" className="button button--small" onClick={todos.retry}>
                  Retry
                </button>
              )}
              <button type="button" className="link-button" onClick={todos.dismissMessage}>
                Dismiss
              </button>
            </span>
          </div>
        )}
      </div>
      <UndoToast
        offer={todos.undoOffer}
        filter={filter}
        onUndo={() => {
          // Focus goes from the Undo button (which goes away) to the first restored row: its place
          // is after the rows older than it (the list is oldest first; ids grow with age).
          const first = Math.min(...(todos.undoOffer?.ids ?? []));
          actedIndex.current = visible.filter((item) => !item.pending && item.id < first).length;
          todos.undo();
        }}
        onDismiss={(offerId, closed) => {
          // Focus moves only when it went with the closed offer, never when the offer times out.
          if (closed) actedOn(null);
          todos.dismissUndo(offerId);
        }}
      />
      <p role="status" className="visually-hidden">
        {todos.announcement}
      </p>

      {items.length === 0 ? (
        <p className="todo-empty">Nothing to do yet. Add your first todo above.</p>
      ) : (
        <>
          <form
            method="post"
            action="/todos/complete-all"
            className="todo-toggle-all"
            onSubmit={(event) => {
              event.preventDefault();
              actedOn(null);
              todos.setAllCompleted(!allCompleted);
            }}
          >
            <input type="hidden" name="completed" value={String(!allCompleted)} />
            <FilterField filter={filter} />
            <button type="submit" role="checkbox" aria-checked={allCompleted} className="todo-toggle-all__button">
              <span className="todo-check" aria-hidden="true" />
              Mark all as complete
            </button>
          </form>
          {visible.length > 0 ? (
            <ul className="todo-list" aria-label="Todos" ref={listRef}>
              {visible.map((item) => (
                <TodoRow
                  key={item.key}
                  item={item}
                  filter={filter}
                  initiallyEditing={item.id === initialEditingId}
                  initialEditText={
                    item.id === initialEditingId && initialRefusedText?.for === item.id
                      ? initialRefusedText.text
                      : undefined
                  }
                  onSetCompleted={(key, completed) => {
                    actedOn(key);
                    todos.setCompleted(key, completed);
                  }}
                  onSetContent={todos.setContent}
                  onDelete={(key) => {
                    actedOn(key);
                    todos.remove(key);
                  }}
                />
              ))}
            </ul>
          ) : (
            <p className="todo-empty">{filter === 'active' ? 'Nothing left to do.' : 'Nothing completed yet.'}</p>
          )}
          <TodoFooter
            remaining={remaining}
            completedCount={completedCount}
            filter={filter}
            onFilter={(next) => {
              setFilter(next);
              // The list changed without a page load: say what is shown now.
              const count = items.filter((item) => matchesFilter(item, next)).length;
              const what = next === 'all' ? 'all todos' : `${next} todos`;
              todos.announce(`Showing ${what}: ${count} ${count === 1 ? 'item' : 'items'}`);
            }}
            onClearCompleted={() => {
              actedOn(null);
              todos.clearCompleted();
            }}
          />
        </>
      )}
    </div>
  );
}
