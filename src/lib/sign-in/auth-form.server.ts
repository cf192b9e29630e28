/**
 * The body of a POST to /api/auth/*, as the app reads it and as Auth.js then receives it.
 *
 * Auth.js parses a form with `Object.fromEntries` (the last of repeated fields wins) and also
 * accepts JSON; the app read the first field. A body crafted to be read differently by the two
 * (`email=a&email=b`, JSON whose text looks like a form) let the address that was validated and
 * counted differ from the one mailed. So only one shape is accepted, each field at most once, and
 * Auth.js gets a body rebuilt from the fields read here, never the original bytes.
 */
import { callbackPath } from '#lib/auth/auth-js.server.ts';
import { HttpError, readBodyText } from '#lib/http/api.server.ts';

/** The only fields Auth.js's POST endpoints need from this app's forms. */
const FIELDS = ['email', 'csrfToken', 'callbackUrl'] as const;

const FORM_TYPE = /^application\/x-www-form-urlencoded\s*(;|$)/i;

/**
 * The form's known fields (callbackUrl already made same-site), or a 4xx HttpError: 415 for any
 * other content type (JSON included), 400 for a repeated field, 413 for an oversized body.
 */
export async function readAuthForm(request: Request): Promise<URLSearchParams> {
  const type = request.headers.get('content-type');
  if (type !== null && !FORM_TYPE.test(type)) throw unsupported();
  const body = await readBodyText(request);
  // A bodiless POST (no content type) is an empty form; a body needs the form content type.
  if (type === null && body !== '') throw unsupported();
  const sent = new URLSearchParams(body);
  const form = new URLSearchParams();
  for (const name of FIELDS) {
    const values = sent.getAll(name);
    if (values.length > 1) throw new HttpError(400, 'invalid_form', `The field "${name}" may appear only once.`);
    const [value] = values;
    if (value !== undefined) form.set(name, name === 'callbackUrl' ? callbackPath(value) : value);
  }
  return form;
}

function unsupported(): HttpError {
  return new HttpError(415, 'unsupported_media_type', 'Send the form as application/x-www-form-urlencoded.');
}
