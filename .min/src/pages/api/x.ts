export const PATCH = () => new Response('{"error":{"code":"unauthorized","message":"no"}}', { status: 401, headers: { 'content-type': 'application/json' } });
export const GET = PATCH;
