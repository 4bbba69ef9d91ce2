// Internal to src/loaders: running one upstream call per item with a bound on how many are in flight at once.
//
// The adapter has its own concurrency cap and rate limiter, shared by every request of the process. A batch that
// fans out into one call per key must not take all of those slots at once, or one request's lookups would queue
// every other request's calls behind them; so such batches hold at most a few calls in flight themselves.

/**
 * Maps `items` through `run` with at most `limit` calls pending at any time, and returns the results in item order.
 * `run` should settle its own failures into values (the loaders return `Error` values per key): a rejection still
 * rejects the whole map, as `Promise.all` would, but only once no call of the map is pending any more.
 */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  run: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new TypeError(`mapBounded needs a positive integer limit, but got: ${String(limit)}.`);
  }
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await run(items[index] as T, index);
    }
  };
  const workers = Array.from({ length: Math.min(limit, items.length) }, worker);
  const settled = await Promise.allSettled(workers);
  const failure = settled.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  if (failure !== undefined) throw failure.reason;
  return results;
}
