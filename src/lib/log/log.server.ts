/**
 * Structured logging: one JSON object per line on stdout (info) or stderr (warn, error), so a log
 * collector can index fields instead of parsing prose.
 *
 * What never goes in: query strings (sign-in links carry the token and the address there),
 * cookies, authorization headers, secrets. Callers log paths, not URLs, and `redact` strips
 * anything that looks like a credential from error messages before they are written.
 */

export type LogLevel = 'info' | 'warn' | 'error';
export type LogFields = Record<string, string | number | boolean | null | undefined>;

/**
 * Info lines (one per request) are joined and written once per turn of the event loop: stdout is
 * synchronous on Linux, and under load one write per request was a system call per request.
 * Warnings and errors are written at once. Whatever is pending is written before the process exits.
 */
let pendingInfo = '';
function flushInfo(): void {
  if (!pendingInfo) return;
  const text = pendingInfo;
  pendingInfo = '';
  process.stdout.write(text);
}
process.once('exit', flushInfo);

/** Where lines go; tests swap it to capture them. */
export const sink = {
  write(level: LogLevel, line: string) {
    if (level !== 'info') {
      process.stderr.write(`${line}\n`);
      return;
    }
    if (!pendingInfo) setImmediate(flushInfo);
    pendingInfo += `${line}\n`;
  },
};

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

function write(level: LogLevel, msg: string, fields: LogFields = {}) {
  sink.write(level, JSON.stringify({ time: new Date().toISOString(), level, msg: redact(msg), ...fields }));
}

/** An error as log fields: its name, message and stack (redacted), plus its cause's message. */
export function errorFields(error: unknown): LogFields {
  if (!(error instanceof Error)) return { error: redact(String(error)) };
  const cause = error.cause instanceof Error ? redact(error.cause.message) : undefined;
  return { error: error.name, message: redact(error.message), stack: error.stack ? redact(error.stack) : undefined, cause };
}

export const log = {
  info: (msg: string, fields?: LogFields) => write('info', msg, fields),
  warn: (msg: string, fields?: LogFields) => write('warn', msg, fields),
  /** An error with its stack; `fields` add context such as the request id. */
  error: (msg: string, error: unknown, fields: LogFields = {}) => write('error', msg, { ...fields, ...errorFields(error) }),
};
