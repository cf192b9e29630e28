/**
 * The one validation schema shared by the API and the no-JS forms (server side). The shapes,
 * limits and filters are in model.ts, which the island imports without zod.
 */
import { z } from 'zod';
import { CONTENT_MAX } from './model.ts';

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

export type UpdateTodo = z.infer<typeof updateTodoSchema>;
