import { signedInHandler } from '#lib/auth/session.server.ts';
import { db } from '#lib/db/index.server.ts';
import { HttpError, apiRoute, json, methodNotAllowed, noContent, readJson } from '#lib/http/api.server.ts';
import { parsePasskeyId, renameSchema } from '#lib/passkeys/schema.server.ts';
import { removePasskey, renamePasskey } from '#lib/passkeys/store.server.ts';

function passkeyId(raw: string | undefined): number {
  const id = parsePasskeyId(raw);
  if (id === null) throw new HttpError(400, 'invalid_id', 'The passkey id must be a positive whole number.');
  return id;
}

const notFound = () => new HttpError(404, 'not_found', 'No such passkey.');

/** PATCH /api/passkeys/:id {name}: renames one of your passkeys. One statement: session and update. */
export const PATCH = apiRoute(
  signedInHandler(db, async ({ params, request }, owner, unauthorized) => {
    const id = passkeyId(params.id);
    const { name } = await readJson(request, renameSchema);
    const result = await renamePasskey(db, owner, id, name);
    if (!result) throw unauthorized();
    if (!result.passkey) throw notFound();
    return json(result.passkey);
  }),
);

/** DELETE /api/passkeys/:id: removes one of your passkeys (the last one too). */
export const DELETE = apiRoute(
  signedInHandler(db, async ({ params }, owner, unauthorized) => {
    const result = await removePasskey(db, owner, passkeyId(params.id));
    if (!result) throw unauthorized();
    if (!result.removed) throw notFound();
    return noContent();
  }),
);

export const ALL = methodNotAllowed(['PATCH', 'DELETE']);
