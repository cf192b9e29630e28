/**
 * Runtime configuration, parsed once from `process.env`.
 *
 * The one place environment variables are read (their rules and wording: variables.server.ts).
 * Two exceptions, each with its reason where it is read: astro.config.mjs reads SITE_URL at build
 * time (prerendered pages carry canonical URLs), and scripts/bench.ts and scripts/lighthouse.ts
 * read their own measuring knobs (BENCH_*, LIGHTHOUSE_*), which are not the app's configuration.
 *
 * Read at runtime on purpose: Astro 6+ inlines `import.meta.env` into the build, which would bake
 * secrets into `dist/`. Every problem is reported at once, naming the variable and what it should
 * look like, so a misconfigured server stops at startup instead of failing on the first request.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { makePrivateDir } from '#lib/db/private-data.server.ts';
import { isLoopbackListenHost } from '#lib/http/loopback.ts';
import { databaseVariables, explainIssues, serverVariables } from './variables.server.ts';

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
  /** How long "Resend" on the check-email page waits after an email (the limits still count each one). */
  resendSeconds: number;
}

/** Where the client's address comes from (see src/lib/sign-in/client-ip.server.ts). */
export interface ClientIpSettings {
  /** Header the trusted proxies fill (lowercase), e.g. `x-forwarded-for`; unset: the socket's peer. */
  header: string | undefined;
  /** How many trusted proxies append to it: the client is the value this many places from the right. */
  hops: number;
}

/** What the database needs: all the command-line tools (db:migrate, admin) read. */
export interface DatabaseConfig {
  /** `local`: no DATABASE_URL, so embedded PGlite, generated secret and the dev mailbox. */
  mode: 'local' | 'remote';
  databaseUrl: string | undefined;
  /** `host:port/path` of a WebSocket-to-TCP proxy, for the Neon driver against a plain Postgres. */
  neonWsProxy: string | undefined;
  poolMax: number;
  /** Local mode's data directory (absolute). */
  dataDir: string;
  /** Where migration files are read from (absolute; MIGRATIONS_DIR, default db/migrations). */
  migrationsDir: string;
}

/** Live sync: the event streams of /api/todos/events (src/lib/live/). */
export interface LiveConfig {
  /** DATABASE_URL_DIRECT: where LISTEN connects (Neon's non-pooled endpoint), if set. */
  directUrl: string | undefined;
  /** Open streams per process (LIVE_STREAMS_MAX, 503 beyond) and per user (LIVE_STREAMS_PER_USER, 429 beyond). */
  maxStreams: number;
  maxStreamsPerUser: number;
  /** A comment line on every stream this often, so proxies keep it open (no query). */
  heartbeatMs: number;
  /** Every open stream's session re-checked this often, in one query per process. */
  sessionCheckMs: number;
  /** Without LISTEN (a Neon pooler and no direct URL): one change query per process this often. */
  pollMs: number;
}

export interface AppConfig extends DatabaseConfig {
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
  /**
   * How long in-flight requests get after SIGTERM/SIGINT before their connections are cut
   * (SHUTDOWN_GRACE_MS, default 10000; keep it below the orchestrator's kill timeout, e.g. Kubernetes' 30 s).
   */
  shutdownGraceMs: number;
  /**
   * How many requests Astro renders at once (RENDER_CONCURRENCY, default 4); the rest wait their
   * turn in arrival order (src/server/render-admission.ts).
   */
  renderConcurrency: number;
  /** The build to serve (DIST_DIR, absolute), or undefined for dist/ beside src/. */
  distDir: string | undefined;
  /** Bench only: which serving layer runs (our own unless SERVING says otherwise). */
  serving: 'own' | 'sirv' | 'stock';
  live: LiveConfig;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

const databaseSchema = z.object(databaseVariables);
const serverSchema = z.object(serverVariables);

function parse<S extends z.ZodType>(schema: S, env: Env): z.output<S> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) throw invalid(explainIssues(parsed.error.issues, env));
  return parsed.data;
}

function invalid(problems: string[]): ConfigError {
  return new ConfigError(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
}

/** The database slice of the configuration, checked by the same rules the server uses. */
export function loadDatabaseConfig(env: Env = process.env): DatabaseConfig {
  const e = parse(databaseSchema, env);
  return databaseConfigFrom(e);
}

function databaseConfigFrom(e: z.output<typeof databaseSchema>): DatabaseConfig {
  const migrationsDir = path.resolve(e.MIGRATIONS_DIR);
  if (!isDirectory(migrationsDir)) {
    throw invalid([
      `MIGRATIONS_DIR=${e.MIGRATIONS_DIR}: there is no directory ${migrationsDir} (relative paths start at the working directory, ` +
        `${process.cwd()}): run from the project root, or point MIGRATIONS_DIR at the db/migrations folder of this build`,
    ]);
  }
  return {
    mode: e.DATABASE_URL ? 'remote' : 'local',
    databaseUrl: e.DATABASE_URL,
    neonWsProxy: e.NEON_WS_PROXY,
    poolMax: e.DATABASE_POOL_MAX,
    dataDir: path.resolve(e.DATA_DIR),
    migrationsDir,
  };
}

function isDirectory(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

export interface LoadOptions {
  /**
   * The port this process actually serves on, when known (PORT=0, or a dev server that moved to
   * a free port): in local mode without SITE_URL, links and redirects must point there.
   */
  servedPort?: number | undefined;
}

/** Parses and checks the environment; throws a ConfigError naming every bad variable. */
export function loadConfig(env: Env = process.env, options: LoadOptions = {}): AppConfig {
  const e = parse(serverSchema, env);
  const database = databaseConfigFrom(e);
  const { mode } = database;
  const problems: string[] = [];

  if (mode === 'remote') {
    if (!e.AUTH_SECRET)
      problems.push('AUTH_SECRET is required when DATABASE_URL is set (try: openssl rand -base64 33)');
    if (!e.SITE_URL)
      problems.push(
        'SITE_URL is required when DATABASE_URL is set: the public URL magic links point to, e.g. https://todos.example.com',
      );
    if (!e.RESEND_API_KEY && !e.SMTP_URL) {
      problems.push(
        'RESEND_API_KEY or SMTP_URL is required when DATABASE_URL is set: without a mail transport nobody can sign in (the dev mailbox exists only in local mode)',
      );
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
    problems.push(
      'EMAIL_FROM is required with RESEND_API_KEY or SMTP_URL, e.g. "Todos <login@example.com>" (for Resend, on a verified domain)',
    );
  }
  if (problems.length > 0) throw invalid(problems);

  const port = options.servedPort ?? e.PORT;
  return {
    ...database,
    authSecret: e.AUTH_SECRET ?? localSecret(database.dataDir),
    siteUrl: (e.SITE_URL ?? `http://localhost:${port}`).replace(/\/+$/, ''),
    mail: mailTransport(e),
    siteName: e.SITE_NAME,
    signIn: {
      linkMinutes: e.SIGN_IN_LINK_MINUTES,
      emailsPerAddress: e.SIGN_IN_EMAILS_PER_ADDRESS,
      emailsPerIp: e.SIGN_IN_EMAILS_PER_IP,
      codeAttempts: 5,
      resendSeconds: e.SIGN_IN_RESEND_SECONDS,
    },
    clientIp: { header: e.CLIENT_IP_HEADER, hops: e.CLIENT_IP_HOPS },
    host: e.HOST,
    port: e.PORT,
    mailbox: mode === 'local' && !onNetwork,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    renderConcurrency: e.RENDER_CONCURRENCY,
    distDir: e.DIST_DIR ? path.resolve(e.DIST_DIR) : undefined,
    serving: e.SERVING,
    live: {
      directUrl: e.DATABASE_URL_DIRECT,
      maxStreams: e.LIVE_STREAMS_MAX,
      maxStreamsPerUser: e.LIVE_STREAMS_PER_USER,
      heartbeatMs: e.LIVE_HEARTBEAT_MS,
      sessionCheckMs: e.LIVE_SESSION_CHECK_MS,
      pollMs: e.LIVE_POLL_MS,
    },
  };
}

function mailTransport(e: z.output<typeof serverSchema>): MailTransport {
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

/**
 * The port this process serves on, shared through `globalThis`: the server entry (or, under
 * `astro dev`, the integration in astro.config.mjs) learns it once listening, and the bundled
 * routes, which load their own copy of this module, read it here.
 */
const SERVED_PORT = Symbol.for('astro-neon-authjs.served-port');
type GlobalWithPort = typeof globalThis & { [SERVED_PORT]?: number };

/** Records the port actually bound, so local mode's site URL follows it (see LoadOptions). */
export function recordServedPort(port: number): void {
  (globalThis as GlobalWithPort)[SERVED_PORT] = port;
}

let cached: { config: AppConfig; servedPort: number | undefined } | undefined;

/** The process-wide configuration, parsed on first use (again if the served port became known). */
export function config(): AppConfig {
  const servedPort = (globalThis as GlobalWithPort)[SERVED_PORT];
  if (cached?.servedPort !== servedPort || !cached)
    cached = { config: loadConfig(process.env, { servedPort }), servedPort };
  return cached.config;
}
