/**
 * Shared setup for the todo HTTP tests: the production build in one mode with signed-in users,
 * and the few API calls the tests use to arrange and check stored state.
 */
import { expect } from 'vitest';
import { HttpClient } from './http-client.ts';
import { startApp, type AppMode, type RunningApp } from './running-app.ts';
import { signedInClient } from './session-fixture.ts';
import { uniqueEmail } from './users.ts';

export interface TodoJson {
  id: number;
  content: string;
  completed: boolean;
}

/** The user's todos as stored, through the API. */
export async function listTodos(client: HttpClient): Promise<TodoJson[]> {
  return (await (await client.fetch('/api/todos')).json()) as TodoJson[];
}

/** Adds a todo through the API, completed if asked. */
export async function addTodo(client: HttpClient, content: string, completed = false): Promise<TodoJson> {
  const todo = (await (await client.fetch('/api/todos', { json: { content } })).json()) as TodoJson;
  if (completed) await client.fetch(`/api/todos/${todo.id}`, { method: 'PATCH', json: { completed } });
  return { ...todo, completed };
}

/**
 * A new user signed in on `app`. On Postgres the session row is written directly (the session
 * fixture: sign-in is not what these tests test, and the email flow costs four requests); local
 * mode's database lives inside the server process, so there the user goes through the email flow.
 */
export async function signedIn(app: RunningApp, name: string): Promise<HttpClient> {
  if (app.database) return (await signedInClient(app.database, app.server.url, uniqueEmail(name))).client;
  const client = new HttpClient(app.server.url);
  await client.signIn(uniqueEmail(name), app.latestLink);
  return client;
}

/** Starts the app in `mode` with two users, ann and bob, signed in. */
export async function appWithTwoUsers(mode: AppMode): Promise<{ app: RunningApp; ann: HttpClient; bob: HttpClient }> {
  const app = await startApp(mode);
  return { app, ann: await signedIn(app, 'ann'), bob: await signedIn(app, 'bob') };
}

/** Posts a no-JS todo form (`/todos/<action>`) and returns where its 303 sends the browser. */
export async function postTodoForm(
  client: HttpClient,
  action: string,
  form: Record<string, string>,
): Promise<string | null> {
  const response = await client.fetch(`/todos/${action}`, { form });
  expect(response.status, `POST /todos/${action}`).toBe(303);
  return response.headers.get('location');
}
