/**
 * One todo in the list. Every control is a real form, so the row works without JavaScript:
 * - the check box is a submit button (role="checkbox") posting the explicit new state;
 * - Edit is a GET to `/todos?edit=<id>`, where the server renders this row's editor;
 * - Delete posts to /todos/delete.
 * With JavaScript the island intercepts each submit. Editing happens in place (Edit, or a
 * double-click on the text): Enter or leaving the editor saves, Escape cancels, empty text deletes.
 * Edit and Delete sit in a <details> menu ("⋯"): on a phone the row keeps its width for the
 * check box and the whole text, and the menu opens on tap; on a wide screen global.css shows them
 * inline and hides the menu button (where the browser can style ::details-content).
 */
import { useEffect, useRef, useState, type FocusEvent, type KeyboardEvent, type SubmitEvent } from 'react';
import { CONTENT_MAX, todosPath, type TodoFilter } from './model.ts';
import { FilterField, IdField } from './FormFields.tsx';
import type { TodoItem } from './store.ts';

interface Props {
  item: TodoItem;
  filter: TodoFilter;
  /** Start with the editor open (the no-JS `?edit=<id>` page). */
  initiallyEditing?: boolean;
  /** The editor's starting text when it isn't the todo's (what a refused no-JS edit carried). */
  initialEditText?: string | undefined;
  onSetCompleted: (key: string, completed: boolean) => void;
  onSetContent: (key: string, content: string) => void;
  onDelete: (key: string) => void;
}

/** With JavaScript, a row's forms don't post: the island does the work (see each onSubmit). */
function keepOnPage(event: SubmitEvent<HTMLFormElement>) {
  event.preventDefault();
}

export function TodoRow({
  item,
  filter,
  initiallyEditing = false,
  initialEditText,
  onSetCompleted,
  onSetContent,
  onDelete,
}: Props) {
  // Ids come from the item, not useId(): readable, stable across server and client renders, and
  // the no-JS page's labels point at them (tests/http/todos-forms.test.ts checks every reference).
  const textId = `todo-${item.key}-text`;
  const hintId = `todo-${item.key}-hint`;
  const menuId = `todo-${item.key}-menu`;
  const editId = `todo-${item.key}-edit`;
  const deleteId = `todo-${item.key}-delete`;
  const [editing, setEditing] = useState(initiallyEditing);
  const [draft, setDraft] = useState(initialEditText ?? item.content);
  const editInputRef = useRef<HTMLInputElement>(null);
  const editButtonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDetailsElement>(null);
  // Enter/Escape end the edit and unmount the input; the blur that may follow must not save again.
  const closing = useRef(false);
  const refocusEditButton = useRef(false);

  useEffect(() => {
    if (editing) {
      const input = editInputRef.current;
      if (input) {
        input.focus();
        // Everything selected, the caret at the start: a long text shows its beginning, not its end.
        input.setSelectionRange(0, input.value.length, 'backward');
        input.scrollLeft = 0;
      }
    } else if (refocusEditButton.current) {
      refocusEditButton.current = false;
      editButtonRef.current?.focus();
      // In a closed menu (a phone) Edit can't take focus: its menu button does.
      if (document.activeElement !== editButtonRef.current) menuRef.current?.querySelector('summary')?.focus();
    }
  }, [editing]);

  function startEditing() {
    closing.current = false;
    setDraft(item.content);
    setEditing(true);
  }

  function finishEditing(save: boolean, returnFocus: boolean) {
    if (closing.current) return;
    closing.current = true;
    const text = draft.trim();
    if (save && !text) {
      onDelete(item.key);
      return;
    }
    refocusEditButton.current = returnFocus;
    setEditing(false);
    if (save) onSetContent(item.key, text);
  }

  function handleEditKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.nativeEvent.isComposing) return;
    if (event.key === 'Enter') {
      event.preventDefault();
      finishEditing(true, true);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      finishEditing(false, true);
    }
  }

  /** Escape closes an open actions menu, back to its button. */
  function handleMenuKeyDown(event: KeyboardEvent<HTMLDetailsElement>) {
    if (event.key !== 'Escape' || !event.currentTarget.open) return;
    event.preventDefault();
    event.currentTarget.open = false;
    event.currentTarget.querySelector('summary')?.focus();
  }

  /** Leaving the editor saves; moving between its own field, Save and Cancel doesn't. */
  function handleEditorBlur(event: FocusEvent<HTMLFormElement>) {
    if (event.relatedTarget instanceof Node && event.currentTarget.contains(event.relatedTarget)) return;
    finishEditing(true, false);
  }

  const className = ['todo-item', item.completed && 'todo-item--done', item.pending && 'todo-item--pending']
    .filter(Boolean)
    .join(' ');

  return (
    <li className={className} data-testid="todo-item" aria-busy={item.pending || undefined}>
      <form
        method="post"
        action="/todos/toggle"
        onSubmit={(event) => {
          keepOnPage(event);
          onSetCompleted(item.key, !item.completed);
        }}
      >
        <IdField id={item.id} />
        <FilterField filter={filter} />
        {/* The button carries the new state: a submit button's name and value are posted with its form. */}
        <button
          type="submit"
          name="completed"
          value={String(!item.completed)}
          role="checkbox"
          className="todo-check"
          aria-checked={item.completed}
          // While editing, the text is replaced by the editor: keep the check box named.
          aria-labelledby={editing ? undefined : textId}
          aria-label={editing ? item.content : undefined}
        />
      </form>
      {editing ? (
        <form
          method="post"
          action="/todos/edit"
          className="todo-item__editor"
          onSubmit={(event) => {
            keepOnPage(event);
            finishEditing(true, true);
          }}
          onBlur={handleEditorBlur}
        >
          <IdField id={item.id} />
          <FilterField filter={filter} />
          <input
            ref={editInputRef}
            name="content"
            className="todo-item__edit"
            type="text"
            aria-label="Edit todo"
            aria-describedby={hintId}
            value={draft}
            maxLength={CONTENT_MAX}
            autoComplete="off"
            enterKeyHint="done"
            // The editor opens on the person's own Edit or double click: focus follows that action.
            // eslint-disable-next-line jsx-a11y/no-autofocus
            autoFocus
            onChange={(event) => setDraft(event.target.value)}
            onKeyDown={handleEditKeyDown}
          />
          <span id={hintId} className="visually-hidden">
            Enter saves, Escape cancels. Saving empty text deletes the todo.
          </span>
          <button type="submit" className="button button--small">
            Save
          </button>
          <a
            href={todosPath(filter)}
            className="button button--small button--secondary"
            onClick={(event) => {
              event.preventDefault();
              finishEditing(false, true);
            }}
          >
            Cancel
          </a>
        </form>
      ) : (
        <>
          <span id={textId} className="todo-item__text" onDoubleClick={startEditing}>
            {item.content}
          </span>
          {/* <details> is interactive (its <summary> is the button): Escape closes it, as menus do. */}
          {/* eslint-disable-next-line jsx-a11y/no-noninteractive-element-interactions */}
          <details className="todo-item__menu" name="todo-actions" ref={menuRef} onKeyDown={handleMenuKeyDown}>
            {/* Named "Actions for <text>"; its "⋯" is drawn by global.css (content with empty alt text). */}
            <summary className="todo-item__menu-button" id={menuId} aria-labelledby={`${menuId} ${textId}`}>
              <span className="visually-hidden">Actions for</span>
            </summary>
            <div className="todo-item__actions">
              <form
                method="get"
                action="/todos"
                onSubmit={(event) => {
                  keepOnPage(event);
                  startEditing();
                }}
              >
                <FilterField filter={filter} />
                <button
                  ref={editButtonRef}
                  type="submit"
                  name="edit"
                  value={item.id}
                  className="button button--small button--secondary"
                  id={editId}
                  aria-labelledby={`${editId} ${textId}`}
                >
                  Edit
                </button>
              </form>
              <form
                method="post"
                action="/todos/delete"
                onSubmit={(event) => {
                  keepOnPage(event);
                  onDelete(item.key);
                }}
              >
                <FilterField filter={filter} />
                <button
                  type="submit"
                  name="id"
                  value={item.id}
                  className="button button--small button--danger"
                  id={deleteId}
                  aria-labelledby={`${deleteId} ${textId}`}
                >
                  Delete
                </button>
              </form>
            </div>
          </details>
        </>
      )}
    </li>
  );
}
