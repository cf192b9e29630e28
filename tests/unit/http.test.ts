import { describe, expect, it } from 'vitest';
import { HttpError, MAX_JSON_BODY_BYTES, readJson } from '#lib/http/api.server.ts';
import { createTodoSchema } from '#todos/schema.server.ts';

const post = (body: BodyInit, type = 'application/json') =>
  new Request('http://x/api/todos', { method: 'POST', headers: { 'content-type': type }, body });

async function failure(request: Request) {
  const error = await readJson(request, createTodoSchema).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(HttpError);
  return error as HttpError;
}

describe('readJson', () => {
  it('returns the validated body', async () => {
    expect(await readJson(post('{"content":" hi "}'), createTodoSchema)).toEqual({ content: 'hi' });
  });

  it.each([
    ['malformed JSON', post('{"content":'), 400, 'invalid_json'],
    ['an empty body', post(''), 400, 'invalid_json'],
    ['failed validation', post('{"content":""}'), 400, 'validation_failed'],
    ['a form content type', post('content=hi', 'application/x-www-form-urlencoded'), 415, 'unsupported_media_type'],
    [
      'a body over the limit',
      post(JSON.stringify({ content: 'x'.repeat(MAX_JSON_BODY_BYTES) })),
      413,
      'payload_too_large',
    ],
  ])('answers %s with %i %s', async (_label, request, status, code) => {
    const error = await failure(request);
    expect([error.status, error.code]).toEqual([status, code]);
  });

  it('stops reading a streamed body once it passes the limit', async () => {
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new Uint8Array(64 * 1024));
        if (pulled > 1000) controller.close();
      },
    });
    const request = new Request('http://x', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect((await failure(request)).status).toBe(413);
    expect(pulled).toBeLessThan(5);
  });
});
