// Public through src/emulator/index.ts: per-test fault injection in msw's `server.use()` style. A fault is an
// immutable value; the emulator keeps the per-use counters (`times`, `after`), so one fault value can be reused
// across tests and `reset()` restores a clean slate.

import { normalizeRoute } from './contract.js';

/** What a matching call gets instead of (or before) its normal answer. */
export interface FaultSpec {
  /** Answer with this status (a JSON vendor envelope unless `body` says otherwise). */
  readonly status?: number;
  /**
   * `'json'` (default): the vendor error envelope; `'html'`: an nginx 502/503/504 gateway page (default status
   * 502); `'maintenance'`: ThoughtSpot's maintenance page (default status 503); `'empty'`: no body; any other
   * string: sent as the raw body.
   */
  readonly body?: 'json' | 'html' | 'maintenance' | 'empty' | (string & {});
  /** Content-Type of a raw string body. Default `text/plain; charset=utf-8`. */
  readonly contentType?: string;
  /** Adds `Retry-After: <seconds>`. Alone, it implies status 429. */
  readonly retryAfterSeconds?: number;
  /** Delay before answering. Alone, the call then proceeds normally. */
  readonly latencyMs?: number;
  /** Reset the connection without answering (a dropped connection: the client sees ECONNRESET). */
  readonly reset?: boolean;
  /** Never answer (until the client gives up or the emulator closes). */
  readonly hang?: boolean;
  /** Apply to the next N matching calls, then expire. Default: forever. */
  readonly times?: number;
  /** Let the first N matching calls through untouched first. Default 0. */
  readonly after?: number;
}

/** A fault bound to a route. Create with `fault()`; install with `emulator.use()`. */
export interface Fault {
  /** `*` or a contract endpoint id. */
  readonly route: string;
  readonly spec: Readonly<FaultSpec>;
  /** Short text for the call log, e.g. `status 503 html`. */
  readonly description: string;
}

/**
 * Creates a fault for `route`: `'*'` (every API call), a contract endpoint id (`'POST /api/rest/2.0/users/search'`),
 * or `'METHOD /path'` with the path template, with or without the `/api/rest/2.0` base path. Throws a TypeError
 * naming the problem when the route is unknown or the spec is inconsistent.
 *
 * @example fault('*', { status: 429, times: 20 })                         // a 429 storm
 * @example fault('POST /users/search', { reset: true, times: 2 })        // two dropped connections
 */
export function fault(route: string, spec: FaultSpec): Fault {
  const normalized = normalizeRoute(route);
  const checked = checkFaultSpec(spec);
  return Object.freeze({ route: normalized, spec: checked, description: describeFault(checked) });
}

const SPEC_KEYS = ['status', 'body', 'contentType', 'retryAfterSeconds', 'latencyMs', 'reset', 'hang', 'times', 'after'];

function checkFaultSpec(spec: FaultSpec): Readonly<FaultSpec> {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
    throw new TypeError(`A fault spec must be an object, but got: ${JSON.stringify(spec) ?? String(spec)}.`);
  }
  const problems: string[] = [];
  const got = (v: unknown) => JSON.stringify(v) ?? String(v);
  for (const key of Object.keys(spec)) {
    if (!SPEC_KEYS.includes(key)) problems.push(`unknown field "${key}" (expected one of ${SPEC_KEYS.join(', ')})`);
  }
  const { status, body, contentType, retryAfterSeconds, latencyMs, reset, hang, times, after } = spec;
  if (status !== undefined && !(Number.isInteger(status) && status >= 200 && status <= 599)) {
    problems.push(`status must be an integer from 200 to 599, but got: ${got(status)}`);
  }
  if (body !== undefined && typeof body !== 'string') problems.push(`body must be a string, but got: ${got(body)}`);
  if (contentType !== undefined && (typeof contentType !== 'string' || contentType === '')) {
    problems.push(`contentType must be a non-empty string, but got: ${got(contentType)}`);
  }
  if (retryAfterSeconds !== undefined && !(Number.isInteger(retryAfterSeconds) && retryAfterSeconds >= 0)) {
    problems.push(`retryAfterSeconds must be a non-negative integer, but got: ${got(retryAfterSeconds)}`);
  }
  if (latencyMs !== undefined && !(typeof latencyMs === 'number' && Number.isFinite(latencyMs) && latencyMs >= 0)) {
    problems.push(`latencyMs must be a non-negative number, but got: ${got(latencyMs)}`);
  }
  for (const [name, value] of [['reset', reset], ['hang', hang]] as const) {
    if (value !== undefined && typeof value !== 'boolean') problems.push(`${name} must be a boolean, but got: ${got(value)}`);
  }
  if (times !== undefined && !(Number.isInteger(times) && times >= 1)) {
    problems.push(`times must be a positive integer, but got: ${got(times)}`);
  }
  if (after !== undefined && !(Number.isInteger(after) && after >= 0)) {
    problems.push(`after must be a non-negative integer, but got: ${got(after)}`);
  }
  const answers = status !== undefined || body !== undefined || retryAfterSeconds !== undefined;
  if (reset === true && hang === true) problems.push('reset and hang cannot be combined');
  if ((reset === true || hang === true) && answers) {
    problems.push('reset and hang send no answer, so status, body and retryAfterSeconds cannot be combined with them');
  }
  if (contentType !== undefined && (body === undefined || ['json', 'html', 'maintenance', 'empty'].includes(body))) {
    problems.push('contentType only applies to a raw string body');
  }
  if (!answers && reset !== true && hang !== true && latencyMs === undefined) {
    problems.push('the fault does nothing: give status, body, retryAfterSeconds, latencyMs, reset or hang');
  }
  if (problems.length > 0) throw new TypeError(`Invalid fault spec: ${problems.join('; ')}.`);
  return Object.freeze({ ...spec });
}

function describeFault(spec: FaultSpec): string {
  const parts: string[] = [];
  if (spec.latencyMs !== undefined) parts.push(`latency ${spec.latencyMs}ms`);
  if (spec.reset === true) parts.push('reset');
  if (spec.hang === true) parts.push('hang');
  const answer = resolveAnswer(spec);
  if (answer) parts.push(`status ${answer.status}${answer.body === 'json' ? '' : ` ${answer.body === 'html' || answer.body === 'maintenance' || answer.body === 'empty' ? answer.body : 'raw'}`}`);
  if (spec.retryAfterSeconds !== undefined) parts.push(`retry-after ${spec.retryAfterSeconds}s`);
  return parts.join(', ');
}

/** The status and body kind a fault answers with, or null when it only delays, resets or hangs. */
export function resolveAnswer(spec: FaultSpec): { status: number; body: string } | null {
  if (spec.status === undefined && spec.body === undefined && spec.retryAfterSeconds === undefined) return null;
  const body = spec.body ?? 'json';
  const status =
    spec.status ??
    (body === 'html' ? 502 : body === 'maintenance' ? 503 : spec.retryAfterSeconds !== undefined ? 429 : 500);
  return { status, body };
}

/** The installed faults with their per-use counters, in installation order. */
export interface FaultSet {
  use(faults: readonly Fault[]): void;
  clear(): void;
  /** Installed faults that can still apply, with how many more times (null = forever). */
  list(): { route: string; spec: Readonly<FaultSpec>; remaining: number | null }[];
  /**
   * The fault that applies to this call, counting it; null when none does. `endpointId` is null for paths that
   * are not in the contract (only `*` faults match them).
   */
  pick(endpointId: string | null): Fault | null;
  readonly size: number;
}

interface Installed {
  readonly fault: Fault;
  seen: number;
  applied: number;
}

/** Creates an empty fault set. */
export function createFaultSet(): FaultSet {
  let installed: Installed[] = [];
  return {
    use(faults) {
      for (const f of faults) {
        if (!f || typeof f !== 'object' || typeof f.route !== 'string' || !f.spec) {
          throw new TypeError(`use() expects faults created by fault(route, spec), but got: ${JSON.stringify(f)}.`);
        }
        installed.push({ fault: f, seen: 0, applied: 0 });
      }
    },
    clear() {
      installed = [];
    },
    list() {
      return installed.flatMap((i) => {
        const remaining = i.fault.spec.times === undefined ? null : i.fault.spec.times - i.applied;
        return remaining === 0 ? [] : [{ route: i.fault.route, spec: i.fault.spec, remaining }];
      });
    },
    pick(endpointId) {
      let expired = false;
      let picked: Fault | null = null;
      for (const entry of installed) {
        const { route, spec } = entry.fault;
        if (route !== '*' && route !== endpointId) continue;
        if (spec.times !== undefined && entry.applied >= spec.times) {
          expired = true;
          continue;
        }
        entry.seen += 1;
        // A call let through by `after` is not handled by this fault, so later faults may still take it.
        if (entry.seen <= (spec.after ?? 0)) continue;
        entry.applied += 1;
        picked = entry.fault;
        break;
      }
      if (expired) installed = installed.filter((i) => i.fault.spec.times === undefined || i.applied < i.fault.spec.times);
      return picked;
    },
    get size() {
      return installed.length;
    },
  };
}
