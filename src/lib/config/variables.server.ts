/**
 * Every environment variable the app reads, with its default and its rules, and the words a
 * misconfiguration is explained in. config.server.ts assembles these into the app's configuration.
 *
 * Each rule's message finishes the sentence "<NAME>=<value> …" and says how to fix it, so an
 * operator reads "PORT=abc is not a whole number: use one from 0 to 65535, e.g. PORT=4321 …"
 * instead of zod's "Invalid input: expected number, received NaN". `$NAME` in a message stands for
 * the variable's name. Secrets are never echoed; passwords in URLs are masked.
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import { SITE_NAME } from '#lib/content/site.ts';

/** Raw text, trimmed; empty counts as unset. */
const text = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

/** Adds one issue whose message is the whole explanation (see the module comment). */
function refuse(ctx: z.RefinementCtx, message: string): typeof z.NEVER {
  ctx.addIssue({ code: 'custom', message });
  return z.NEVER;
}

interface WholeNumber {
  fallback: number;
  min: number;
  max: number;
  /** What is counted, e.g. "milliseconds" (read in "a whole number of milliseconds"). */
  unit?: string;
}

/** A whole number within bounds; unset means the fallback. */
function wholeNumber({ fallback, min, max, unit }: WholeNumber) {
  const fix = `: use a whole number${unit ? ` of ${unit}` : ''} from ${min} to ${max}, e.g. $NAME=${fallback} (the default when unset)`;
  return text.transform((raw, ctx) => {
    if (raw === undefined) return fallback;
    if (!/^[+-]?\d+$/.test(raw)) return refuse(ctx, `is not a whole number${fix}`);
    const value = Number(raw);
    if (value < min) return refuse(ctx, `is too small${fix}`);
    if (value > max) return refuse(ctx, `is too large${fix}`);
    return value;
  });
}

/** Text that must match `pattern`; `problem` explains it when it doesn't. */
function matching(pattern: RegExp, problem: string) {
  return text.transform((raw, ctx) => (raw === undefined || pattern.test(raw) ? raw : refuse(ctx, problem)));
}

export const LOG_LEVELS = ['info', 'warn', 'error', 'silent'] as const;
export type LogLevelSetting = (typeof LOG_LEVELS)[number];

/** One of `values`; unset means `fallback`. `what` finishes "… is not …: say …". */
function oneOf<const T extends readonly string[]>(values: T, fallback: T[number], what: string) {
  return text.transform((raw, ctx): T[number] => {
    if (raw === undefined) return fallback;
    if ((values as readonly string[]).includes(raw)) return raw as T[number];
    return refuse(ctx, `is not one of ${values.join(', ')} (${what}): e.g. $NAME=${fallback} (the default when unset)`);
  });
}

function isHttpUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

function httpUrl(example: string) {
  return text.transform((raw, ctx) =>
    raw === undefined || isHttpUrl(raw)
      ? raw
      : refuse(ctx, `is not an absolute http(s) URL: write it with its scheme and host, e.g. $NAME=${example}`),
  );
}

/** A host name (RFC 1123 labels) or an IP address: what `server.listen()` takes as its host. */
function isListenAddress(raw: string): boolean {
  if (isIP(raw) !== 0) return true;
  return (
    raw.length <= 253 && raw.split('.').every((label) => /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(label))
  );
}

/** The variables the database needs: all the command-line tools (db:migrate, admin) read. */
export const databaseVariables = {
  DATABASE_URL: text.transform((raw, ctx) =>
    raw === undefined || /^postgres(ql)?:\/\/[^/\s]+/.test(raw)
      ? raw
      : refuse(
          ctx,
          'is not a Postgres connection string: it must start with postgres:// or postgresql://, e.g. ' +
            '$NAME=postgres://user:password@host/dbname (Neon: the pooled connection string from the dashboard); ' +
            'unset it to run in local mode on the embedded database',
        ),
  ),
  NEON_WS_PROXY: matching(
    /^[^\s/:]+:\d+(\/\S*)?$/,
    'is not host:port/v1 of a WebSocket-to-TCP proxy: write it without ws://, e.g. $NAME=localhost:5433/v1; leave it unset for Neon',
  ),
  DATABASE_POOL_MAX: wholeNumber({ fallback: 10, min: 1, max: 100, unit: 'connections' }),
  DATA_DIR: text.transform((raw) => raw ?? '.data'),
  MIGRATIONS_DIR: text.transform((raw) => raw ?? 'db/migrations'),
};

/** Everything else the server reads. */
export const serverVariables = {
  ...databaseVariables,
  AUTH_SECRET: text.transform((raw, ctx) =>
    raw === undefined || raw.length >= 32
      ? raw
      : refuse(
          ctx,
          `is ${raw.length} characters long; it must be at least 32: generate one with openssl rand -base64 33`,
        ),
  ),
  SITE_URL: httpUrl('https://todos.example.com'),
  RESEND_API_KEY: text,
  SMTP_URL: matching(
    /^smtps?:\/\/\S+$/,
    'is not an SMTP URL: write it as smtp://user:pass@host:587 (STARTTLS) or smtps://user:pass@host:465 (TLS)',
  ),
  RESEND_API_URL: httpUrl('https://api.resend.com').transform((value) => value ?? 'https://api.resend.com'),
  EMAIL_FROM: text,
  SITE_NAME: text.transform((raw) => raw ?? SITE_NAME),
  PORT: wholeNumber({ fallback: 4321, min: 0, max: 65535 }),
  HOST: text.transform((raw, ctx) =>
    raw === undefined
      ? '127.0.0.1'
      : isListenAddress(raw)
        ? raw
        : refuse(
            ctx,
            'is not an address to listen on: use an IP address or host name without scheme or port (the port is PORT), ' +
              'e.g. HOST=127.0.0.1 (this machine only, the default) or HOST=0.0.0.0 (every interface, in a container)',
          ),
  ),
  LOCAL_MODE_ON_NETWORK: text.transform((raw, ctx) => {
    if (raw === undefined || raw === '0' || raw === 'false') return false;
    if (raw === '1' || raw === 'true') return true;
    return refuse(
      ctx,
      'is not 1 or 0: set $NAME=1 (or true) to let local mode listen beyond loopback, or 0 (or unset) to refuse',
    );
  }),
  SIGN_IN_LINK_MINUTES: wholeNumber({ fallback: 15, min: 1, max: 24 * 60, unit: 'minutes' }),
  SIGN_IN_EMAILS_PER_ADDRESS: wholeNumber({ fallback: 3, min: 1, max: 1000, unit: 'emails' }),
  SIGN_IN_EMAILS_PER_IP: wholeNumber({ fallback: 20, min: 1, max: 100_000, unit: 'emails' }),
  SIGN_IN_RESEND_SECONDS: wholeNumber({ fallback: 60, min: 0, max: 60 * 60, unit: 'seconds' }),
  CLIENT_IP_HEADER: matching(
    /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/,
    'is not one HTTP header name: name the header your proxy fills, e.g. $NAME=x-forwarded-for or $NAME=fly-client-ip',
  ).transform((name) => name?.toLowerCase()),
  CLIENT_IP_HOPS: wholeNumber({ fallback: 1, min: 1, max: 10, unit: 'proxies' }),
  SHUTDOWN_GRACE_MS: wholeNumber({ fallback: 10_000, min: 0, max: 10 * 60_000, unit: 'milliseconds' }),
  RENDER_CONCURRENCY: wholeNumber({ fallback: 4, min: 1, max: 1000, unit: 'requests' }),
  DIST_DIR: text,
  LOG_LEVEL: oneOf(LOG_LEVELS, 'info', 'which log lines to write'),
  /**
   * Live sync (src/lib/live/): Neon's direct (non-pooled) endpoint, where LISTEN works; unset: LISTEN
   * on DATABASE_URL, or a poll when DATABASE_URL is a Neon pooler (PgBouncer can't LISTEN).
   */
  DATABASE_URL_DIRECT: text.transform((raw, ctx) =>
    raw === undefined || /^postgres(ql)?:\/\/[^/\s]+/.test(raw)
      ? raw
      : refuse(
          ctx,
          'is not a Postgres connection string: it must start with postgres:// or postgresql://, e.g. ' +
            "$NAME=postgres://user:password@ep-name.region.aws.neon.tech/dbname (Neon: the connection string with 'Connection pooling' off)",
        ),
  ),
  LIVE_STREAMS_MAX: wholeNumber({ fallback: 2000, min: 0, max: 100_000, unit: 'open event streams per process' }),
  LIVE_STREAMS_PER_USER: wholeNumber({ fallback: 10, min: 1, max: 1000, unit: 'open event streams per user' }),
  LIVE_HEARTBEAT_MS: wholeNumber({ fallback: 25_000, min: 100, max: 10 * 60_000, unit: 'milliseconds' }),
  LIVE_SESSION_CHECK_MS: wholeNumber({ fallback: 60_000, min: 100, max: 60 * 60_000, unit: 'milliseconds' }),
  LIVE_POLL_MS: wholeNumber({ fallback: 1_000, min: 100, max: 10 * 60_000, unit: 'milliseconds' }),
  /** Bench only (scripts/bench.ts): the same serving layer built from libraries, for comparison. */
  SERVING: oneOf(['own', 'sirv', 'stock'] as const, 'own', 'which serving layer to run (a benchmark knob)'),
};

/**
 * LOG_LEVEL for the logger, which exists before the configuration is checked (it reports that
 * check): an invalid value means the default here, and stops the server in loadConfig.
 */
export function logLevelFromEnv(env: Record<string, string | undefined> = process.env): LogLevelSetting {
  const parsed = serverVariables.LOG_LEVEL.safeParse(env.LOG_LEVEL);
  return parsed.success ? parsed.data : 'info';
}

/** Variables whose value is never shown in a message (the message describes it instead). */
const SECRET = new Set(['AUTH_SECRET', 'RESEND_API_KEY']);

/** `user:password@` in a URL becomes `user:***@`. */
function maskPassword(value: string): string {
  return value.replace(/(\/\/[^:/@\s]*:)[^@\s]*@/, '$1***@');
}

/** One line per bad variable, in the words of the rules above. */
export function explainIssues(issues: z.core.$ZodIssue[], env: Record<string, string | undefined>): string[] {
  const lines = new Map<string, string>();
  for (const issue of issues) {
    const name = String(issue.path[0] ?? '');
    if (lines.has(name)) continue;
    const message = issue.message.replaceAll('$NAME', name);
    const raw = env[name]?.trim() ?? '';
    lines.set(name, SECRET.has(name) ? `${name} ${message}` : `${name}=${maskPassword(raw)} ${message}`);
  }
  return [...lines.values()];
}
