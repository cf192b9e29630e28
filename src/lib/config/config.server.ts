/**
 * Runtime configuration, parsed once from `process.env`.
 *
 * Read at runtime on purpose: Astro 6+ inlines `import.meta.env` into the build, which would bake
 * secrets into `dist/`. Every problem is reported at once, naming the variable and what it should
 * look like, so a misconfigured server stops at startup instead of failing on the first request.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { makePrivateDir } from '#lib/db/private-data.server.ts';
import { isLoopbackListenHost } from '#lib/http/loopback.ts';
import { SITE_NAME } from '#lib/content/site.ts';

export type MailTransport =
  | { kind: 'resend'; apiKey: string; from: string; apiUrl: string }
  | { kind: 'smtp'; url: string; from: string }
  | { kind: 'outbox' };

export interface SignInLimits {
  /** How long an emailed link and code work. */
  linkMinutes: number;
  /** Sign-in emails per address per 15 minutes. */
  emailsPerAddress: number;
  /** Sign-in emails per client IP per hour. */
  emailsPerIp: number;
  /** Wrong code entries before the code is void. */
  codeAttempts: number;
}

/** Where the client's address comes from (see src/lib/sign-in/client-ip.server.ts). */
export interface ClientIpSettings {
  /** Header the trusted proxies fill (lowercase), e.g. `x-forwarded-for`; unset: the socket's peer. */
  header: string | undefined;
  /** How many trusted proxies append to it: the client is the value this many places from the right. */
  hops: number;
}

export interface AppConfig {
  /** `local`: no DATABASE_URL, so embedded PGlite, generated secret and the dev mailbox. */
  mode: 'local' | 'remote';
  databaseUrl: string | undefined;
  /** `host:port/path` of a WebSocket-to-TCP proxy, for the Neon driver against a plain Postgres. */
  neonWsProxy: string | undefined;
  poolMax: number;
  dataDir: string;
  authSecret: string;
  /** Public origin magic links are built from, e.g. `https://todos.example.com` (no trailing slash). */
  siteUrl: string;
  mail: MailTransport;
  siteName: string;
  signIn: SignInLimits;
  clientIp: ClientIpSettings;
  /** Address the server listens on (HOST, default 127.0.0.1) and its port (PORT, default 4321). */
  host: string;
  port: number;
  /**
   * Whether /dev/mailbox answers at all: local mode listening on loopback only. Off in remote mode
   * and when LOCAL_MODE_ON_NETWORK=1 put local mode on a network address.
   */
  mailbox: boolean;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

/** A whole number within bounds, with a default when unset or empty. */
const intVar = (fallback: number, min: number, max: number) =>
  optionalString
    .transform((value) => value ?? String(fallback))
    .pipe(z.coerce.number<string>().int('must be a whole number').min(min).max(max));

const envSchema = z.object({
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// connection string')
      .optional(),
  ),
  NEON_WS_PROXY: optionalString.pipe(
    z
      .string()
      .regex(/^[^\s/:]+:\d+(\/\S*)?$/, 'must look like host:port/v1 (no scheme)')
      .optional(),
  ),
  DATABASE_POOL_MAX: intVar(10, 1, 100),
  DATA_DIR: optionalString.pipe(z.string().default('.data')),
  AUTH_SECRET: optionalString.pipe(
    z.string().min(32, 'must be at least 32 characters (try: openssl rand -base64 33)').optional(),
  ),
  SITE_URL: optionalString.pipe(
    z
      .url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL such as https://todos.example.com' })
      .optional(),
  ),
  RESEND_API_KEY: optionalString,
  SMTP_URL: optionalString.pipe(
    z.string().regex(/^smtps?:\/\/\S+$/, 'must look like smtp://user:pass@host:587 or smtps://user:pass@host:465').optional(),
  ),
  RESEND_API_URL: optionalString.pipe(z.url({ protocol: /^https?$/ }).default('https://api.resend.com')),
  EMAIL_FROM: optionalString,
  SITE_NAME: optionalString.pipe(z.string().default(SITE_NAME)),
  PORT: intVar(4321, 0, 65535),
  HOST: optionalString.pipe(z.string().default('127.0.0.1')),
  LOCAL_MODE_ON_NETWORK: optionalString.pipe(
    z
      .enum(['1', '0', 'true', 'false'], { error: 'must be 1 (or true) to allow it, 0 (or false) or unset to refuse' })
      .optional()
      .transform((value) => value === '1' || value === 'true'),
  ),
  SIGN_IN_LINK_MINUTES: intVar(15, 1, 24 * 60),
  SIGN_IN_EMAILS_PER_ADDRESS: intVar(3, 1, 1000),
  SIGN_IN_EMAILS_PER_IP: intVar(20, 1, 100_000),
  CLIENT_IP_HEADER: optionalString.pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'must be one HTTP header name, e.g. x-forwarded-for')
      .transform((name) => name.toLowerCase())
      .optional(),
  ),
  CLIENT_IP_HOPS: intVar(1, 1, 10),
});

type Env = Record<string, string | undefined>;

/** Parses and checks the environment; throws a ConfigError naming every bad variable. */
export function loadConfig(env: Env = process.env): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  - ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const mode = e.DATABASE_URL ? 'remote' : 'local';
  const problems: string[] = [];

  if (mode === 'remote') {
    if (!e.AUTH_SECRET) problems.push('AUTH_SECRET is required when DATABASE_URL is set (try: openssl rand -base64 33)');
    if (!e.SITE_URL) problems.push('SITE_URL is required when DATABASE_URL is set: the public URL magic links point to, e.g. https://todos.example.com');
    if (!e.RESEND_API_KEY && !e.SMTP_URL) {
      problems.push('RESEND_API_KEY or SMTP_URL is required when DATABASE_URL is set: without a mail transport nobody can sign in (the dev mailbox exists only in local mode)');
    }
  }
  // Local mode trusts whoever can reach it (generated secret, a mailbox that shows sign-in links):
  // on a network address that would hand anyone's account to anyone, so it takes a deliberate opt-in.
  const onNetwork = !isLoopbackListenHost(e.HOST);
  if (mode === 'local' && onNetwork && !e.LOCAL_MODE_ON_NETWORK) {
    problems.push(
      `HOST=${e.HOST} listens beyond this machine, but DATABASE_URL is not set, so this would be local mode (embedded database, dev mailbox) on the network. ` +
        'For a deployment set DATABASE_URL (with AUTH_SECRET, SITE_URL and a mail transport); for local use set HOST=127.0.0.1; ' +
        'to run local mode on the network anyway set LOCAL_MODE_ON_NETWORK=1 (the dev mailbox is then off and sign-in links appear in the server log only)',
    );
  }
  if (e.RESEND_API_KEY && e.SMTP_URL) problems.push('set only one of RESEND_API_KEY and SMTP_URL');
  if ((e.RESEND_API_KEY || e.SMTP_URL) && !e.EMAIL_FROM) {
    problems.push('EMAIL_FROM is required with RESEND_API_KEY or SMTP_URL, e.g. "Todos <login@example.com>" (for Resend, on a verified domain)');
  }
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);

  const dataDir = path.resolve(e.DATA_DIR);
  return {
    mode,
    databaseUrl: e.DATABASE_URL,
    neonWsProxy: e.NEON_WS_PROXY,
    poolMax: e.DATABASE_POOL_MAX,
    dataDir,
    authSecret: e.AUTH_SECRET ?? localSecret(dataDir),
    siteUrl: (e.SITE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    mail: mailTransport(e),
    siteName: e.SITE_NAME,
    signIn: {
      linkMinutes: e.SIGN_IN_LINK_MINUTES,
      emailsPerAddress: e.SIGN_IN_EMAILS_PER_ADDRESS,
      emailsPerIp: e.SIGN_IN_EMAILS_PER_IP,
      codeAttempts: 5,
    },
    clientIp: { header: e.CLIENT_IP_HEADER, hops: e.CLIENT_IP_HOPS },
    host: e.HOST,
    port: e.PORT,
    mailbox: mode === 'local' && !onNetwork,
  };
}

function mailTransport(e: z.infer<typeof envSchema>): MailTransport {
  if (e.RESEND_API_KEY && e.EMAIL_FROM) {
    return { kind: 'resend', apiKey: e.RESEND_API_KEY, from: e.EMAIL_FROM, apiUrl: e.RESEND_API_URL };
  }
  if (e.SMTP_URL && e.EMAIL_FROM) return { kind: 'smtp', url: e.SMTP_URL, from: e.EMAIL_FROM };
  return { kind: 'outbox' };
}

/** Local mode only: a secret generated on first start and kept in the data directory. */
function localSecret(dataDir: string): string {
  // The directory holds this secret and the embedded database: the owner's only.
  makePrivateDir(dataDir);
  const file = path.join(dataDir, 'auth-secret');
  try {
    const existing = readFileSync(file, 'utf8').trim();
    if (existing.length >= 32) return existing;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const secret = randomBytes(33).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

let cached: AppConfig | undefined;

/** The process-wide configuration, parsed on first use. */
export function config(): AppConfig {
  cached ??= loadConfig();
  return cached;
}
