/**
 * "Download my data": the account, its live sessions and its todos as one JSON document, built by
 * one statement that starts with the session check (`me`, session-owner.server.ts), so a download
 * is one database round trip. Sessions carry when and from which browser, never their token or
 * its hash; nothing else secret (links, codes, rate-limit counters) is part of an account's data.
 */
import type { Queryable } from '#lib/db/index.server.ts';
import type { MeColumns, SessionOwner } from '#lib/auth/session-owner.server.ts';

export interface AccountExport {
  exportedAt: string;
  account: { email: string; name: string | null; createdAt: string; lastSignInAt: string | null };
  sessions: Array<{
    createdAt: string;
    lastUsedAt: string;
    expires: string;
    userAgent: string | null;
    current: boolean;
  }>;
  todos: Array<{ id: number; content: string; completed: boolean; createdAt: string; updatedAt: string }>;
}

/** The signed-in owner's data, or null when the session is not (or no longer) valid. */
export async function exportAccount(database: Queryable, owner: SessionOwner): Promise<AccountExport | null> {
  const { rows } = await database.query<MeColumns & { data: AccountExport | string }>(
    // $1 is the owner's token hash (session-owner.server.ts): it marks the current session.
    `WITH ${owner.cte}
     SELECT me.*, json_build_object(
       'exportedAt', now(),
       'account', (SELECT json_build_object('email', u.email, 'name', u.name, 'createdAt', u.created_at,
                                            'lastSignInAt', u.last_sign_in_at)
                     FROM users u WHERE u.id = me.session_user_id),
       'sessions', (SELECT coalesce(json_agg(json_build_object('createdAt', s.created_at, 'lastUsedAt', s.last_used_at,
                                   'expires', s.expires, 'userAgent', s.user_agent,
                                   'current', s."sessionToken" = $1) ORDER BY s.created_at, s.id), '[]'::json)
                      FROM sessions s WHERE s."userId" = me.session_user_id AND s.expires > now()),
       'todos', (SELECT coalesce(json_agg(json_build_object('id', t.id, 'content', t.content, 'completed', t.completed,
                                'createdAt', t.created_at, 'updatedAt', t.updated_at) ORDER BY t.created_at, t.id), '[]'::json)
                   FROM todos t WHERE t.user_id = me.session_user_id AND t.deleted_at IS NULL)
     ) AS data
       FROM me`,
    [...owner.params],
  );
  owner.seen(rows[0]);
  const data = rows[0]?.data;
  if (data === undefined) return null;
  return typeof data === 'string' ? (JSON.parse(data) as AccountExport) : data;
}
