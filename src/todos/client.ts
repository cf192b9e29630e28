/**
 * Browser client for the todo JSON API (`/api/todos`). Same origin, so the session cookie goes
 * along automatically. Every function resolves with the server's answer or throws an `ApiError`,
 * including when the network itself fails (status 0), so callers have exactly one error path.
 */
import type { Todo } from './model.ts';

/** A refused or failed API call. `status` is 0 when no response arrived at all. */
export class ApiError extends Error {
  override name = 'ApiError';
  /** HTTP status, or 0 for a network failure. */
  readonly status: number;
  /** Machine-readable code from the API's `{error:{code}}`, e.g. `not_found`, `network_error`. */
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Fields a PATCH may change; at least one must be given. */
export interface TodoPatch {
  completed?: boolean;
  content?: string;
}

const BASE = '/api/todos';

/** Fetch every todo of the signed-in user, oldest first. */
function listTodos(signal?: AbortSignal): Promise<Todo[]> {
  return request<Todo[]>('GET', BASE, undefined, signal);
}

/** Create a todo; the server trims and validates `content`. */
function createTodo(content: string): Promise<Todo> {
  return request<Todo>('POST', BASE, { content });
}

/** Set fields of a todo to explicit values (idempotent: no toggles). */
function updateTodo(id: number, patch: TodoPatch): Promise<Todo> {
  return request<Todo>('PATCH', `${BASE}/${id}`, patch);
}

/** Delete a todo. */
function deleteTodo(id: number): Promise<void> {
  return request<void>('DELETE', `${BASE}/${id}`);
}

/** Set every todo to `completed` (one request, one statement); resolves with the whole list. */
function completeAll(completed: boolean): Promise<Todo[]> {
  return request<Todo[]>('POST', `${BASE}/complete-all`, { completed });
}

/** Delete every completed todo (one request, one statement); resolves with the deleted ids. */
function clearCompleted(): Promise<{ deletedIds: number[] }> {
  return request<{ deletedIds: number[] }>('DELETE', `${BASE}/completed`);
}

/** Undo deletes made within the undo window; resolves with the restored todos, oldest first. */
function restoreTodos(ids: number[]): Promise<Todo[]> {
  return request<Todo[]>('POST', `${BASE}/restore`, { ids });
}

/** The calls the island's store makes (a parameter of TodoStore, so tests can script them). */
export const todoApi = { listTodos, createTodo, updateTodo, deleteTodo, completeAll, clearCompleted, restoreTodos };

async function request<T>(method: string, url: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: {
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, 'network_error', 'Could not reach the server. Check your connection.');
  }

  if (!response.ok) throw await toApiError(response);
  if (response.status === 204) return undefined as T;
  try {
    return (await response.json()) as T;
  } catch {
    throw new ApiError(response.status, 'bad_response', 'The server sent an unreadable answer.');
  }
}

/** Read the `{error:{code,message}}` body, falling back to a message from the status alone. */
async function toApiError(response: Response): Promise<ApiError> {
  let code = `http_${response.status}`;
  let message = defaultMessage(response.status);
  try {
    const data: unknown = await response.json();
    const error = (data as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    if (typeof error?.code === 'string') code = error.code;
    if (typeof error?.message === 'string' && error.message) message = error.message;
  } catch {
    // Not JSON (a proxy error page, an empty body): keep the status-based message.
  }
  return new ApiError(response.status, code, message);
}

function defaultMessage(status: number): string {
  switch (status) {
    case 401:
      return 'Your session has ended. Sign in again.';
    case 404:
      return 'That todo no longer exists.';
    case 409:
      return 'That conflicts with what is stored. Reload and try again.';
    case 413:
      return 'That is too long.';
    case 429:
      return 'Too many requests. Wait a moment and try again.';
    default:
      return status >= 500 ? 'The server had a problem. Try again.' : `Request failed (${status}).`;
  }
}
