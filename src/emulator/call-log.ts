// Public through src/emulator/index.ts (the CallRecord type): the log of API calls the emulator received, in
// arrival order, so tests can assert how many upstream calls a GraphQL operation cost (DESIGN.md §5).

import { normalizeRoute } from './contract.js';

/** One API call as the emulator saw it. Admin-route calls are never logged. */
export interface CallRecord {
  /** 1 for the first call since the emulator started; never reused, even after `clearCalls()`. */
  readonly seq: number;
  /** Arrival time from the emulator's clock (epoch milliseconds). */
  readonly at: number;
  readonly method: string;
  /** The raw path, without the query string. */
  readonly path: string;
  /** Contract endpoint id, or null when the path is not a contract route. */
  readonly endpoint: string | null;
  /** Path parameters, decoded. */
  readonly params: Readonly<Record<string, string>>;
  /** The parsed JSON body; the raw text when it was not JSON; null when there was none. */
  readonly body: unknown;
  /** The status answered; 0 while the call is in flight and for calls answered by a reset or hang fault. */
  readonly status: number;
  /** The token's Org, when the call was authenticated. */
  readonly orgId: number | null;
  /** GUID of the authenticated user. */
  readonly userId: string | null;
  /** Time from arrival to the end of the answer; 0 while in flight. */
  readonly durationMs: number;
  /** What answered instead of the endpoint: a fault's description (`status 503 html`), `rate-limit`, or null. */
  readonly fault: string | null;
  readonly remoteAddress: string;
  /**
   * Rows answered: the length of a JSON array body (every search endpoint answers one), else null. Rows are a cost
   * like calls (DESIGN.md §7b), so tests assert them beside call counts.
   */
  readonly rows: number | null;
  /** Bytes of the answered body; 0 while in flight and when nothing was sent. */
  readonly bytes: number;
}

/** A record the server fills in as the call progresses. */
export type MutableCallRecord = { -readonly [K in keyof CallRecord]: CallRecord[K] };

/** The bounded, ordered store of call records. */
export interface CallLog {
  /** Appends a record at arrival and returns it for the server to complete. */
  start(record: Omit<MutableCallRecord, 'seq'>): MutableCallRecord;
  /** Records matching the filter (an endpoint route as `fault()` accepts it, or a predicate), oldest first. */
  list(filter?: string | ((call: CallRecord) => boolean)): CallRecord[];
  clear(): void;
}

/**
 * Creates a call log that keeps at least the `limit` most recent calls (older ones are dropped in chunks, so a
 * long benchmark does not grow memory without bound).
 */
export function createCallLog(limit: number): CallLog {
  let records: MutableCallRecord[] = [];
  let seq = 0;
  const slack = Math.max(1, Math.floor(limit / 10));
  return {
    start(partial) {
      seq += 1;
      const record: MutableCallRecord = { seq, ...partial };
      records.push(record);
      if (records.length > limit + slack) records = records.slice(records.length - limit);
      return record;
    },
    list(filter) {
      let predicate: ((call: CallRecord) => boolean) | null = null;
      if (typeof filter === 'string') {
        const route = normalizeRoute(filter);
        if (route !== '*') predicate = (call) => call.endpoint === route;
      } else if (typeof filter === 'function') {
        predicate = filter;
      } else if (filter !== undefined) {
        throw new TypeError(`calls() expects an endpoint route or a predicate, but got: ${JSON.stringify(filter)}.`);
      }
      const out: CallRecord[] = [];
      for (const record of records) {
        const snapshot: CallRecord = { ...record, params: { ...record.params } };
        if (!predicate || predicate(snapshot)) out.push(snapshot);
      }
      return out;
    },
    clear() {
      records = [];
    },
  };
}
