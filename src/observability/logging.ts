// Internal to src/observability (re-exported by index.ts): the process's log, pino behind the `Logger` interface every
// layer writes to. One JSON object per line, in the shape the subgraph has always written:
//
//   {"level":"info","time":"2025-01-01T00:00:00.000Z","requestId":"…","message":"graphql request",…fields}
//
// Three things are added on the way out, whoever logs:
// - `requestId`, from the request scope (context.ts) the line was written in, so every line of a request (the
//   adapter's retries, breaker transitions and per-attempt debug lines included) carries the id the caller sent in
//   `x-request-id` or the one the subgraph made up, without any layer passing it along;
// - redaction by pino of the field names that hold credentials, as a second line of defence behind the adapter's own
//   (thoughtspot/redact.ts), which also scrubs free text: a field the adapter never saw (an Apollo notice, a future
//   log line) still cannot print an Authorization header or a secret key;
// - a bound on every string, since some fields carry what a caller sent (operation names, error messages quoting a
//   query): one request cannot write megabytes into the log.

import pino from 'pino';
import type { LogLevel } from '../config.js';
import { requestScope } from '../context.js';
import type { Logger } from '../logger.js';

/** What a redacted field reads. */
export const LOG_REDACTED = '[REDACTED]';

/** The longest string a log line carries in any field; longer ones are cut and say by how much. */
export const MAX_LOG_STRING_LENGTH = 2_048;

/** How deep the truncation walks into nested fields (the adapter's redaction already caps depth at 8). */
const MAX_TRUNCATE_DEPTH = 8;

// Field names whose value is a credential whatever it holds, at the top level of a line or one or two objects down
// (pino's redaction takes explicit paths; `*` is one level of any key). The same names as the adapter's redaction.
const SENSITIVE_FIELDS = [
  'authorization',
  'cookie',
  'secretKey',
  'secret_key',
  'password',
  'newPassword',
  'new_password',
  'currentPassword',
  'current_password',
  'defaultPassword',
  'default_password',
  'token',
  'authToken',
  'auth_token',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'activationLink',
  'activation_link',
  'secret',
  'jwt',
  'set-cookie',
  'proxy-authorization',
  'x-api-key',
];

/** pino `redact` paths: every sensitive name at depth 0 to 2 (header spellings in bracket notation). */
export const LOG_REDACT_PATHS: readonly string[] = SENSITIVE_FIELDS.flatMap((name) => {
  const key = /^[A-Za-z_$][\w$]*$/.test(name) ? name : `["${name}"]`;
  const child = key.startsWith('[') ? key : `.${key}`;
  return [key, `*${child}`, `*.*${child}`];
});

/** Options of `createPinoLogger`. */
export interface PinoLoggerOptions {
  readonly level: LogLevel;
  /** Receives each line without its newline (default: stderr; stdout is left to what main.ts prints for people). */
  readonly write?: (line: string) => void;
}

/** A `Logger` writing JSON lines through pino (see the header for the shape and what is added). */
export function createPinoLogger(options: PinoLoggerOptions): Logger {
  const write = options.write ?? ((line: string) => void process.stderr.write(line + '\n'));
  const destination = {
    write(chunk: string): void {
      write(chunk.endsWith('\n') ? chunk.slice(0, -1) : chunk);
    },
  };
  const log = pino(
    {
      level: options.level,
      // The message travels inside the object (below), so it comes before the fields as it always has.
      messageKey: 'message',
      // No pid or hostname: the platform labels the stream, and the shape stays what readers of this log expect.
      base: null,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (object) => truncateFields(object, 0) as Record<string, unknown>,
      },
      mixin: () => {
        const scope = requestScope.getStore();
        return scope === undefined ? {} : { requestId: scope.requestId };
      },
      redact: { paths: [...LOG_REDACT_PATHS], censor: LOG_REDACTED },
    },
    destination,
  );
  const at =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (message: string, fields: Record<string, unknown> = {}): void => {
      if (!log.isLevelEnabled(level)) return;
      // A field named `message` replaces the message, as it always has (a handler logs `{ message: error.message }`).
      log[level]({ message, ...fields });
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

// Private: a copy of `value` whose strings are at most MAX_LOG_STRING_LENGTH long; the input is never mutated.
function truncateFields(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return truncateString(value);
  if (value === null || typeof value !== 'object' || depth >= MAX_TRUNCATE_DEPTH) return value;
  if (value instanceof Error) return value;
  if (Array.isArray(value)) return value.map((item: unknown) => truncateFields(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = truncateFields(item, depth + 1);
  return out;
}

function truncateString(text: string): string {
  if (text.length <= MAX_LOG_STRING_LENGTH) return text;
  return `${text.slice(0, MAX_LOG_STRING_LENGTH)}…[${text.length - MAX_LOG_STRING_LENGTH} more characters]`;
}
