// Internal to src/loaders: the DataLoader batch-function contract (house rule 1). A batch function must return one
// result per key, in key order; a key with no row gets an Error of its own instead of failing the whole batch.

/** The Error a loader returns for a key that names nothing. Resolvers of single lookups turn it into `null`. */
export class RecordNotFoundError extends Error {
  override readonly name = 'RecordNotFoundError';
  /** Stable code, so callers can test for it without `instanceof`. */
  readonly code = 'RECORD_NOT_FOUND' as const;

  constructor(
    /** The kind of record that was looked up (`User`, `Group`, `Role`, `Organization`). */
    readonly kind: string,
    /** The key that matched nothing, as the loader received it. */
    readonly key: string,
  ) {
    super(`No ${kind} matches ${JSON.stringify(key)}.`);
  }
}

/** @internal Normalises a rejection into an Error value for a DataLoader result slot. */
export function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** True when `value` is a loader's not-found result (or rejection). */
export function isRecordNotFound(value: unknown): value is RecordNotFoundError {
  return value instanceof Error && (value as { code?: unknown }).code === 'RECORD_NOT_FOUND';
}

/**
 * Re-aligns `rows` (any order, gaps allowed, duplicates ignored after the first) to `keys`: the result has exactly
 * one entry per key, in key order, either the row whose `keyOf` equals the key's `keyOfKey`, or `onMissing(key)`.
 */
export function alignToKeys<K, V>(
  keys: readonly K[],
  rows: Iterable<V>,
  keyOf: (row: V) => string,
  keyOfKey: (key: K) => string,
  onMissing: (key: K) => Error,
): (V | Error)[] {
  const byKey = new Map<string, V>();
  for (const row of rows) {
    const k = keyOf(row);
    if (!byKey.has(k)) byKey.set(k, row);
  }
  return keys.map((key) => byKey.get(keyOfKey(key)) ?? onMissing(key));
}

/**
 * Groups keys that can share one upstream call. Returns the buckets in first-seen order, each with the positions of
 * its keys in the original batch so results can be written back in key order.
 */
export function bucketBy<K>(keys: readonly K[], bucketOf: (key: K) => string): { keys: K[]; positions: number[] }[] {
  const buckets = new Map<string, { keys: K[]; positions: number[] }>();
  keys.forEach((key, position) => {
    const id = bucketOf(key);
    let bucket = buckets.get(id);
    if (bucket === undefined) {
      bucket = { keys: [], positions: [] };
      buckets.set(id, bucket);
    }
    bucket.keys.push(key);
    bucket.positions.push(position);
  });
  return [...buckets.values()];
}

/**
 * Runs one task per bucket concurrently and writes each bucket's results back at its keys' positions. A bucket
 * whose task rejects gets that error for each of its keys; other buckets are unaffected.
 */
export async function settleBuckets<K, V>(
  size: number,
  buckets: readonly { keys: K[]; positions: number[] }[],
  run: (keys: K[]) => Promise<readonly (V | Error)[]>,
): Promise<(V | Error)[]> {
  const results = new Array<V | Error>(size);
  await Promise.all(
    buckets.map(async (bucket) => {
      let values: readonly (V | Error)[];
      try {
        values = await run(bucket.keys);
      } catch (error) {
        const failure = error instanceof Error ? error : new Error(String(error));
        values = bucket.keys.map(() => failure);
      }
      bucket.positions.forEach((position, i) => {
        results[position] = values[i] ?? new Error(`Batch task returned ${values.length} results for ${bucket.keys.length} keys.`);
      });
    }),
  );
  return results;
}

/** A stable JSON form of a loader key (sorted object keys, absent and undefined fields dropped). */
export function canonicalKey(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const item = (value as Record<string, unknown>)[key];
      if (item !== undefined) out[key] = sortKeys(item);
    }
    return out;
  }
  return value;
}
