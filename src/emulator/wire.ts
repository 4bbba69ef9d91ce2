// Internal to src/emulator: the wire form of search answers, cached. A search answer is a JSON array of records, and
// `JSON.stringify([a, b])` is exactly `'[' + JSON.stringify(a) + ',' + JSON.stringify(b) + ']'`, so each record's
// bytes are serialized once per (record, view) and answers are assembled from them: no row objects built and
// thrown away, no stringify of a 35 KiB page, no UTF-8 encoding of it on every request. Answers stay byte-identical
// to `JSON.stringify(rows.map(serialize))`.
//
// Invalidation is coarse and safe: every entry is dropped when the state records a change (`state.changeCount`,
// bumped by every domain write and by the handler table after every endpoint that may write) or when any fidelity
// switch differs from the one the entries were built under.

import type { Fidelity } from './types.js';

/** A search answer already in wire form: an array (so the shell counts its rows) whose bytes are precomputed. */
export interface WireRows extends ReadonlyArray<Buffer> {
  readonly [WIRE]: Buffer;
}

const WIRE: unique symbol = Symbol('emulator.wire');
const OPEN = Buffer.from('[');
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']');
/** Beyond this many cached bytes the cache starts over, so a read of a huge directory does not stay resident. */
const MAX_CACHED_BYTES = 64 * 1024 * 1024;

/** The state a cache answers for: how it counts its changes. */
interface Versioned {
  readonly changeCount: number;
}

/** Per-record wire bytes, one entry per view, valid for one state version and one set of fidelity switches. */
export class WireCache {
  private version = -1;
  private fidelityKey = '';
  private bytes = 0;
  private readonly entries = new Map<object, Map<string, Buffer>>();

  /** Drops every entry when the state changed or a fidelity switch moved since they were built. */
  private check(state: Versioned, fidelity: Readonly<Fidelity>): void {
    const version = state.changeCount;
    const key = JSON.stringify(fidelity);
    if (version !== this.version || key !== this.fidelityKey) {
      this.entries.clear();
      this.bytes = 0;
      this.version = version;
      this.fidelityKey = key;
    }
  }

  /**
   * The answer `JSON.stringify(records.map(serialize))` in wire form, serializing only the records this cache does
   * not hold for `viewKey` (which must name every input of `serialize` besides the record and the state).
   */
  rows<T extends object>(
    state: Versioned,
    fidelity: Readonly<Fidelity>,
    records: readonly T[],
    viewKey: string,
    serialize: (record: T) => unknown,
  ): WireRows {
    this.check(state, fidelity);
    const parts: Buffer[] = [];
    for (const record of records) {
      let bytes = this.entries.get(record)?.get(viewKey);
      if (bytes === undefined) {
        bytes = Buffer.from(JSON.stringify(serialize(record)));
        this.store(record, viewKey, bytes);
      }
      parts.push(bytes);
    }
    return wireRows(parts);
  }

  private store(record: object, viewKey: string, bytes: Buffer): void {
    if (this.bytes + bytes.length > MAX_CACHED_BYTES) {
      this.entries.clear();
      this.bytes = 0;
    }
    let views = this.entries.get(record);
    if (views === undefined) {
      views = new Map();
      this.entries.set(record, views);
    }
    views.set(viewKey, bytes);
    this.bytes += bytes.length;
  }
}

/** Assembles `[part,part,…]` and tags the array of parts with it. */
function wireRows(parts: Buffer[]): WireRows {
  const chunks: Buffer[] = [OPEN];
  for (let i = 0; i < parts.length; i++) {
    if (i > 0) chunks.push(COMMA);
    chunks.push(parts[i]!);
  }
  chunks.push(CLOSE);
  Object.defineProperty(parts, WIRE, { value: Buffer.concat(chunks), enumerable: false });
  return parts as unknown as WireRows;
}

/**
 * Below this size an answer goes out as a string: Node then sends headers and body in one write, which for a small
 * answer saves more than encoding it costs. Above it the bytes go out as they are, with no encoding at all.
 */
const SMALL_ANSWER_BYTES = 16 * 1024;

/** The body of a 200 answer on the wire: precomputed bytes for {@link WireRows}, else `JSON.stringify`. */
export function wireBody(body: unknown): string | Buffer {
  if (Array.isArray(body)) {
    const bytes = (body as Partial<WireRows>)[WIRE];
    if (bytes !== undefined) return bytes.length < SMALL_ANSWER_BYTES ? bytes.toString('utf8') : bytes;
  }
  return JSON.stringify(body) ?? 'null';
}
