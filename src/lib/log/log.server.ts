/**
 * Structured logging through pino: one JSON object per line, info on stdout, warn and error on
 * stderr, so a log collector can index fields instead of parsing prose. Each line carries `time`
 * (ISO 8601), `level` (its name, not pino's number) and `msg`.
 *
 * What never goes in: query strings (sign-in links carry the token and the address there),
 * cookies, authorization headers, secrets. Callers log paths, not URLs; pino's `redact` blanks the
 * header and credential fields by name, and `redact()` strips anything that looks like a
 * credential from free text (messages, error messages and stacks) before it is written.
 *
 * LOG_LEVEL (default info): `warn` leaves out the per-request lines and other info lines.
 */
import pino, { type DestinationStream, type Logger } from 'pino';
import { logLevelFromEnv } from '#lib/config/variables.server.ts';

export type LogFields = Record<string, string | number | boolean | null | undefined>;

const CREDENTIAL_PATTERNS: Array<[RegExp, string]> = [
  // key=value pairs in URLs and cookie headers: token=…, sessionToken=…, session-token=…, code=…
  [/\b((?:[\w.-]*token|code|secret|password|key|email)=)[^&\s;"']+/gi, '$1[redacted]'],
  // credentials in connection strings: postgres://user:password@host
  [/(\b[a-z][\w+.-]*:\/\/[^/\s:@]+:)[^@\s/]+@/gi, '$1[redacted]@'],
  // bearer tokens and API keys
  [/\b(Bearer\s+)[\w.~+/-]+=*/g, '$1[redacted]'],
  [/\bre_[A-Za-z0-9_]{8,}/g, '[redacted]'],
];

/** Every pattern above needs one of these; most log text (a request line) has none. */
const MIGHT_HOLD_CREDENTIAL = /[=@]|Bearer|re_/;

/** Removes values that look like credentials from free text (error messages, stacks). */
export function redact(text: string): string {
  if (!MIGHT_HOLD_CREDENTIAL.test(text)) return text;
  let out = text;
  for (const [pattern, replacement] of CREDENTIAL_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/**
 * Fields blanked by name: credentials, and headers logged as an object. Exact paths only: a
 * wildcard (`*.headers.cookie`) tripled the cost of every line (4.5 → 13.9 µs, scripts/bench-log.ts).
 */
const REDACTED_PATHS = [
  'cookie',
  'authorization',
  'token',
  'code',
  'secret',
  'password',
  'headers.cookie',
  'headers.authorization',
  'headers["set-cookie"]',
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
];

const LEVEL = logLevelFromEnv();

/** Info lines are held until this many bytes are pending (about 20 request lines)... */
const INFO_BUFFER_BYTES = 4096;
/** ...or this long has passed, so a quiet server's lines still show up at once. */
const INFO_FLUSH_MS = 100;

/**
 * info to stdout, warn and error to stderr. stdout is asynchronous and buffered (sonic-boom): under
 * load one write carries many lines, so a request line costs no system call of its own, and
 * whatever is pending is written synchronously when the process exits. stderr stays synchronous:
 * a warning or error is on its way before the next line of code runs.
 */
function defaultDestination(): DestinationStream {
  return pino.multistream(
    [
      {
        level: 'info',
        stream: pino.destination({ fd: 1, sync: false, minLength: INFO_BUFFER_BYTES, periodicFlush: INFO_FLUSH_MS }),
      },
      { level: 'warn', stream: pino.destination({ fd: 2, sync: true }) },
    ],
    { dedupe: true },
  );
}

/** A pino logger with this app's line format, writing to `destination` (tests pass a stream). */
export function createPino(destination: DestinationStream = defaultDestination()): Logger {
  return pino(
    {
      level: LEVEL,
      base: undefined, // no pid/hostname on every line: the collector knows the pod
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      hooks: {
        // Free text is redacted on its way out, whoever logs it.
        logMethod(args, method) {
          const [first, second, ...rest] = args as unknown[];
          if (typeof first === 'string') return method.apply(this, [redact(first), ...(args.slice(1) as [])]);
          if (typeof second === 'string') return method.apply(this, [first as object, redact(second), ...(rest as [])]);
          return method.apply(this, args);
        },
      },
    },
    destination,
  );
}

/** An error as log fields: its name, message and stack (redacted), plus its cause's message. */
export function errorFields(error: unknown): LogFields {
  if (!(error instanceof Error)) return { error: redact(String(error)) };
  const cause = error.cause instanceof Error ? redact(error.cause.message) : undefined;
  return {
    error: error.name,
    message: redact(error.message),
    stack: error.stack ? redact(error.stack) : undefined,
    cause,
  };
}

export interface Log {
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  /** An error with its stack; `fields` add context such as the request id. */
  error(msg: string, error: unknown, fields?: LogFields): void;
  /** The pino logger underneath (for pino-http). */
  pino: Logger;
}

/** The app's logging calls (message first, fields after) over a pino logger. */
export function createLog(logger: Logger = createPino()): Log {
  return {
    info: (msg, fields) => (fields ? logger.info(fields, msg) : logger.info(msg)),
    warn: (msg, fields) => (fields ? logger.warn(fields, msg) : logger.warn(msg)),
    error: (msg, error, fields = {}) => logger.error({ ...fields, ...errorFields(error) }, msg),
    pino: logger,
  };
}

export const log: Log = createLog();
