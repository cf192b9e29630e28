/**
 * The todo list island on /todos. Rendered on the server with the user's todos (`client:load`),
 * so it starts complete; every change shows at once and is undone, with a message, if refused.
 */
import { useLayoutEffect, useRef } from 'react';
import type { Todo } from '../lib/todo-schema.ts';
import { NewTodoForm } from './NewTodoForm.tsx';
import { TodoRow } from './TodoRow.tsx';
import { SIGN_IN_URL } from './todo-store.ts';
import { useTodos } from './useTodos.ts';

export default function TodoApp({ initialTodos }: { initialTodos: Todo[] }) {
  const todos = useTodos(initialTodos);
  const { items, remaining, message } = todos;
  const listRef = useRef<HTMLUListElement>(null);
  const newTodoRef = useRef<HTMLInputElement>(null);
  // Index of a row just deleted from the UI: focus moves to the row that took its place.
  const deletedIndex = useRef<number | null>(null);

  function handleDelete(key: string) {
    deletedIndex.current = items.findIndex((item) => item.key === key);
    todos.remove(key);
  }

  useLayoutEffect(() => {
    const index = deletedIndex.current;
    if (index === null) return;
    deletedIndex.current = null;
    // Only when focus was lost with the removed row; never take it from where the person moved it.
    if (document.activeElement && document.activeElement !== document.body) return;
    const boxes = listRef.current?.querySelectorAll<HTMLInputElement>('input[type="checkbox"]');
    const next = boxes?.[Math.min(index, boxes.length - 1)];
    (next ?? newTodoRef.current)?.focus();
  }, [items]);

  return (
    <div className="todo-app">
      <NewTodoForm onAdd={todos.add} inputRef={newTodoRef} />

      <div className="todo-messages" role="alert">
        {message && (
          <div className="notice notice--error" key={message.id}>
            <p>
              {message.text}{' '}
              {message.signIn && <a href={SIGN_IN_URL}>Sign in again</a>}
            </p>
            <button type="button" className="link-button" onClick={todos.dismissMessage}>
              Dismiss
            </button>
          </div>
        )}
      </div>
      <p role="status" className="visually-hidden">
        {todos.announcement}
      </p>

      {items.length === 0 ? (
        <p className="todo-empty">Nothing to do yet. Add your first todo above.</p>
      ) : (
        <>
          <ul className="todo-list" aria-label="Todos" ref={listRef}>
            {items.map((item) => (
              <TodoRow
                key={item.key}
                item={item}
                onSetCompleted={todos.setCompleted}
                onSetContent={todos.setContent}
                onDelete={handleDelete}
              />
            ))}
          </ul>
          <p className="todo-footer" data-testid="todo-count">
            {remaining} {remaining === 1 ? 'item' : 'items'} left
          </p>
        </>
      )}
    </div>
  );
}
