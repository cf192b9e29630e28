/**
 * The one validation schema shared by the API and the no-JS forms (server side). The shapes,
 * limits and filters are in model.ts, which the island imports without zod.
 */
import { z } from 'zod';
import { CONTENT_MAX, TODO_LIMIT } from './model.ts';

export * from './model.ts';

/** Trimmed text, 1–500 characters after trimming; NUL bytes are refused (Postgres can't store them). */
export const contentSchema = z
  .string({ error: 'content must be a string' })
  .trim()
  .min(1, 'content must not be empty')
  .max(CONTENT_MAX, `content must be at most ${CONTENT_MAX} characters`)
  .refine((value) => !value.includes('\u0000'), 'content must not contain NUL characters');

export const createTodoSchema = z.strictObject({ content: contentSchema });

export const updateTodoSchema = z
  .strictObject({
    content: contentSchema.optional(),
    completed: z.boolean({ error: 'completed must be true or false' }).optional(),
  })
  .refine((patch) => patch.content !== undefined || patch.completed !== undefined, {
    message: 'send at least one of content, completed',
  });

/** Body of `POST /api/todos/complete-all`: the state every todo of the user is set to. */
export const completeAllSchema = z.strictObject({
  completed: z.boolean({ error: 'completed must be true or false' }),
});

/** Body of `POST /api/todos/restore`: the deleted todos to bring back (undo). */
export const restoreTodosSchema = z.strictObject({
  ids: z
    .array(z.int({ error: 'ids must be todo ids' }).min(1).max(2_147_483_647), {
      error: 'ids must be a list of todo ids',
    })
    .min(1, 'send at least one id')
    // A clear completed can delete every todo: one restore brings them all back.
    .max(TODO_LIMIT, `send at most ${TODO_LIMIT} ids`),
});

export type UpdateTodo = z.infer<typeof updateTodoSchema>;
