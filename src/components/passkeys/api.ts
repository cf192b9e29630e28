/**
 * The browser side's calls to /api/passkeys/* (same origin, JSON). A refusal becomes an Error
 * carrying the server's human message, so the page can show it as it is.
 */
export async function call<T>(path: string, method: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (response.ok) return (response.status === 204 ? undefined : await response.json()) as T;
  let message = 'Something went wrong. Please try again.';
  try {
    const problem = (await response.json()) as { error?: { message?: string } };
    if (problem.error?.message) message = problem.error.message;
  } catch {
    // not JSON (a proxy's page): keep the general message
  }
  throw new Error(message);
}

/** What to tell the person when the browser's passkey dialog ends without a passkey. */
export function ceremonyMessage(error: unknown, fallback: string): string {
  const name = error instanceof Error ? error.name : '';
  if (name === 'NotAllowedError' || name === 'AbortError') return fallback;
  if (name === 'InvalidStateError') return 'This device already has a passkey for your account.';
  return error instanceof Error && error.message ? error.message : 'Something went wrong. Please try again.';
}
