/**
 * The no-JavaScript side of /todos: plain HTML forms post here (`/todos/<action>`), the change is
 * made with the same schema and the same owner-scoped queries as the JSON API, and the answer is
 * always a 303 back to the list with the filter the person was on (plus `error=<code>` when the
 * change was refused). Bad input never becomes a 500; messages come from a fixed table, so
 * nothing from the request is echoed into the page's messages. Text refused for its length or
 * the todo limit comes back in its input (a short-lived cookie, rendered as a form value), so it
 * isn't lost. A delete (or clear-completed, or an edit to empty text) redirects with
 * `undo=<ids>`, where the list offers an Undo form posting to /todos/restore.
 */
import type { AstroCookies } from 'astro';
import { z } from 'zod';
import { appCookieOptions } from '#lib/auth/app-cookies.server.ts';
import { isDatabaseUnavailable } from '#lib/db/errors.server.ts';
import type { Queryable } from '#lib/db/index.server.ts';
import type { Owner } from '#lib/auth/session-owner.server.ts';
import { HttpError, readBodyText } from '#lib/http/api.server.ts';
import { log } from '#lib/log/log.server.ts';
import {
  CONTENT_MAX,
  TODO_LIMIT,
  contentSchema,
  parseFilter,
  parseTodoId,
  parseTodoIds,
  todosPath,
  type TodoFilter,
} from './schema.server.ts';
import type { RefusedText } from './model.ts';
import {
  TodoLimitError,
  clearCompleted,
  createTodo,
  deleteTodo,
  restoreTodos,
  setAllCompleted,
  updateTodo,
} from './queries.server.ts';

/** What each `?error=` code on /todos says. */
const FORM_ERRORS = {
  too_long: `That todo is too long: keep it to ${CONTENT_MAX} characters.`,
  invalid: 'That change couldn’t be made: the form was incomplete or invalid.',
  not_found: 'That todo no longer exists (deleted in another tab?).',
  limit: `You can have at most ${TODO_LIMIT.toLocaleString('en')} todos. Delete some to add more.`,
  server_error: 'The server had a problem and nothing was changed. Try again.',
  undo_expired: 'That can no longer be undone (it was deleted too long ago, or already restored).',
} as const;

type FormErrorCode = keyof typeof FORM_ERRORS;

/** The message for `?error=<code>`; null for no code or an unknown one. */
export function formErrorMessage(code: string | null): string | null {
  return code && Object.hasOwn(FORM_ERRORS, code) ? FORM_ERRORS[code as FormErrorCode] : null;
}

const FORM_ACTIONS = ['add', 'toggle', 'edit', 'delete', 'clear-completed', 'complete-all', 'restore'] as const;
export type FormAction = (typeof FORM_ACTIONS)[number];

export function isFormAction(raw: string | undefined): raw is FormAction {
  return (FORM_ACTIONS as readonly string[]).includes(raw ?? '');
}

/** The flash cookie that carries RefusedText from the refused post to the next /todos page. */
const REFUSED_TEXT_COOKIE = 'todo_refused_text';
/** The cookie must stay well under browsers' 4 KB, encoded. */
const REFUSED_TEXT_MAX_ENCODED = 3000;

/** The cookie value for `refused`, its text shortened until it fits. */
function refusedTextCookieValue(refused: RefusedText): string {
  let text = refused.text.slice(0, REFUSED_TEXT_MAX_ENCODED);
  while (encodeURIComponent(JSON.stringify({ ...refused, text })).length > REFUSED_TEXT_MAX_ENCODED) {
    text = text.slice(0, Math.floor(text.length * 0.9));
  }
  return JSON.stringify({ ...refused, text });
}

const refusedTextSchema: z.ZodType<RefusedText> = z.object({
  for: z.union([z.literal('new'), z.number().int().positive()]),
  text: z.string().max(REFUSED_TEXT_MAX_ENCODED),
});

/** Keeps refused text for the next /todos page (for a minute), which puts it back into its input. */
export function setRefusedText(cookies: AstroCookies, refused: RefusedText): void {
  cookies.set(REFUSED_TEXT_COOKIE, refusedTextCookieValue(refused), appCookieOptions('/todos', 60));
}

/** The refused text kept for this page, removed as it is read; null when absent or not ours. */
export function takeRefusedText(cookies: AstroCookies): RefusedText | null {
  const raw = cookies.get(REFUSED_TEXT_COOKIE)?.value;
  if (raw === undefined) return null;
  cookies.delete(REFUSED_TEXT_COOKIE, { path: '/todos' });
  try {
    const parsed = refusedTextSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** A refusal that sends the person back to the list with a message. */
class FormRefusal extends Error {
  readonly code: FormErrorCode;
  /** Reopen this todo's editor (a refused edit keeps the person where they were). */
  readonly editId: number | undefined;
  /** The text to give back, when the refusal was about the text itself. */
  readonly refusedText: string | undefined;
  constructor(code: FormErrorCode, editId?: number, refusedText?: string) {
    super(code);
    this.code = code;
    this.editId = editId;
    this.refusedText = refusedText;
  }
}

const booleanField = z.enum(['true', 'false']).transform((value) => value === 'true');

function requireId(form: URLSearchParams): number {
  const id = parseTodoId(form.get('id') ?? undefined);
  if (id === null) throw new FormRefusal('invalid');
  return id;
}

function requireCompleted(form: URLSearchParams): boolean {
  const parsed = booleanField.safeParse(form.get('completed'));
  if (!parsed.success) throw new FormRefusal('invalid');
  return parsed.data;
}

/** Trimmed content checked by the API's schema; `null` when it is empty after trimming. */
function optionalContent(form: URLSearchParams, editId?: number): string | null {
  const raw = form.get('content');
  if (raw === null) throw new FormRefusal('invalid', editId);
  if (raw.trim() === '') return null;
  const parsed = contentSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  if (raw.trim().length > CONTENT_MAX) throw new FormRefusal('too_long', editId, raw.trim());
  throw new FormRefusal('invalid', editId);
}

/** The statement found no live session: the person is sent to sign in. */
class SignedOut extends Error {}

/** A query's result, or SignedOut when it had no owner. */
function owned<T>(result: T | null): T {
  if (result === null) throw new SignedOut();
  return result;
}

/**
 * Applies one form action as `owner`. Resolves when done, with the ids it deleted (for the undo
 * offer) if any; throws FormRefusal when refused.
 */
async function apply(
  database: Queryable,
  owner: Owner,
  action: FormAction,
  form: URLSearchParams,
): Promise<number[] | void> {
  switch (action) {
    case 'add': {
      const content = optionalContent(form);
      if (content === null) return; // TodoMVC: an empty todo is simply not added
      try {
        owned(await createTodo(database, owner, content));
      } catch (error) {
        if (error instanceof TodoLimitError) throw new FormRefusal('limit', undefined, content);
        throw error;
      }
      return;
    }
    case 'toggle': {
      const id = requireId(form);
      if (!owned(await updateTodo(database, owner, id, { completed: requireCompleted(form) })).todo) {
        throw new FormRefusal('not_found');
      }
      return;
    }
    case 'edit': {
      const id = requireId(form);
      const content = optionalContent(form, id);
      // Saving empty text deletes the todo, as in the app.
      const done = owned(
        content === null ? await deleteTodo(database, owner, id) : await updateTodo(database, owner, id, { content }),
      ).todo;
      if (!done) throw new FormRefusal('not_found');
      return content === null ? [id] : undefined;
    }
    case 'delete': {
      const id = requireId(form);
      if (!owned(await deleteTodo(database, owner, id)).todo) throw new FormRefusal('not_found');
      return [id];
    }
    case 'clear-completed':
      return owned(await clearCompleted(database, owner));
    case 'restore': {
      const ids = parseTodoIds(form.get('ids'));
      if (!ids) throw new FormRefusal('invalid');
      let restored;
      try {
        restored = owned(await restoreTodos(database, owner, ids));
      } catch (error) {
        if (error instanceof TodoLimitError) throw new FormRefusal('limit');
        throw error;
      }
      if (restored.length === 0) throw new FormRefusal('undo_expired');
      return;
    }
    case 'complete-all':
      owned(await setAllCompleted(database, owner, requireCompleted(form)));
      return;
  }
}

/** Reads an urlencoded form body (bounded like JSON bodies). */
async function readForm(request: Request): Promise<URLSearchParams> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/x-www-form-urlencoded\b/i.test(type)) throw new FormRefusal('invalid');
  try {
    return new URLSearchParams(await readBodyText(request));
  } catch (error) {
    if (error instanceof HttpError && error.status === 413) throw new FormRefusal('too_long');
    throw error;
  }
}

export interface FormOutcome {
  /** Where to send the browser: always the list, with the form's filter, and `error` when refused. */
  location: string;
  /** Text refused for its length or the todo limit, to put back into its input. */
  refusedText?: RefusedText;
}

/**
 * Handles a posted todo form as `owner` (the session check is part of the action's statement);
 * null when there is no live session (the caller sends the browser to sign in). An empty add and a
 * refusal before any statement ran leave `owner.session` undefined: the caller checks it then.
 */
export async function handleTodoForm(
  database: Queryable,
  owner: Owner,
  action: FormAction,
  request: Request,
): Promise<FormOutcome | null> {
  let filter: TodoFilter = 'all';
  try {
    const form = await readForm(request);
    filter = parseFilter(form.get('filter'));
    const deleted = await apply(database, owner, action, form);
    return { location: todosPath(filter, deleted?.length ? { undo: deleted.join(',') } : {}) };
  } catch (error) {
    if (error instanceof SignedOut) return null;
    if (error instanceof FormRefusal) {
      const location = todosPath(filter, {
        ...(error.editId ? { edit: String(error.editId) } : {}),
        error: error.code,
      });
      if (error.refusedText === undefined) return { location };
      return { location, refusedText: { for: error.editId ?? 'new', text: error.refusedText } };
    }
    // An outage is the middleware's to answer (503 page); anything else goes back with a message.
    if (isDatabaseUnavailable(error)) throw error;
    log.error(`[todos] form ${action} failed`, error, { requestId: request.headers.get('x-request-id') });
    return { location: todosPath(filter, { error: 'server_error' }) };
  }
}
