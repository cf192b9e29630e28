/**
 * JSON API plumbing: one error shape (`{"error":{"code","message"}}`), bounded body reading, and a
 * wrapper that turns thrown HttpErrors into responses, so routes stay straight-line code.
 */
import type { APIContext, APIRoute } from 'astro';
import type { z } from 'zod';
import { isDatabaseUnavailable } from '#lib/db/errors.server.ts';
import { log } from '#lib/log/log.server.ts';
import { PRIVATE_NO_STORE } from './cache-control.ts';
import { unavailableJson } from './unavailable.server.ts';

/** Bodies above this are refused with 413 before they are read in full. */
export const MAX_JSON_BODY_BYTES = 16 * 1024;

export class HttpError extends Error {
  override name = 'HttpError';
  readonly status: number;
  readonly code: string;
  readonly headers: Record<string, string>;
  constructor(status: number, code: string, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

const NO_STORE = { 'Cache-Control': PRIVATE_NO_STORE };

export function json(data: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(data), {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', ...NO_STORE, ...headers },
  });
}

export function errorResponse(error: HttpError): Response {
  return json({ error: { code: error.code, message: error.message } }, error.status, error.headers);
}

export function noContent(): Response {
  return new Response(null, { status: 204, headers: NO_STORE });
}

/** Reads the body as text, refusing (413) once it passes `limit` bytes without buffering the rest. */
export async function readBodyText(request: Request, limit = MAX_JSON_BODY_BYTES): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > limit) throw tooLarge(limit);
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

function tooLarge(limit: number): HttpError {
  return new HttpError(413, 'payload_too_large', `The request body must be at most ${limit / 1024} KiB.`);
}

/** Parses a JSON body and validates it with `schema`; every failure is a 4xx HttpError. */
export async function readJson<S extends z.ZodType>(request: Request, schema: S): Promise<z.infer<S>> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/json\b/i.test(type)) {
    throw new HttpError(415, 'unsupported_media_type', 'Send the body as application/json.');
  }
  const text = await readBodyText(request);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'invalid_json', 'The request body is not valid JSON.');
  }
  const result = schema.safeParse(data);
  if (!result.success) {
    const message = result.error.issues
      .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
      .join('; ');
    throw new HttpError(400, 'validation_failed', message);
  }
  return result.data;
}

/**
 * Wraps a route handler: HttpErrors become JSON errors, a database outage a 503 `unavailable`;
 * anything else is logged with its stack and answered with a JSON 500.
 */
export function apiRoute(handler: (context: APIContext) => Promise<Response>): APIRoute {
  return async (context) => {
    try {
      return await handler(context);
    } catch (error) {
      if (error instanceof HttpError) return errorResponse(error);
      if (isDatabaseUnavailable(error)) return unavailableJson();
      log.error(`[api] ${context.request.method} ${context.url.pathname} failed`, error, {
        requestId: context.request.headers.get('x-request-id'),
      });
      return errorResponse(new HttpError(500, 'internal_error', 'Something went wrong on our side. Please try again.'));
    }
  };
}

/** For catch-all `ALL` exports: the methods a route supports, as a 405 with an Allow header. */
export function methodNotAllowed(allowed: string[]): APIRoute {
  return () =>
    errorResponse(
      new HttpError(405, 'method_not_allowed', `Use ${allowed.join(', ')} on this URL.`, { Allow: allowed.join(', ') }),
    );
}
