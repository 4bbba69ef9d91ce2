// Internal to src/loaders: the batch-size hook. Every loader's batch function is wrapped once, where the loader is
// built, so whoever built the loaders (the app, for its metrics) learns how many keys each dispatch carried: the
// number that shows batching at work, and the one a regression to one call per key would drop to 1.

import type DataLoader from 'dataloader';

/** Told the size of every batch a loader dispatches; `loader` is the loader's field name in `Loaders`. */
export type BatchObserver = (loader: string, size: number) => void;

/** `batch`, reporting each dispatch's key count to `observe` first (unchanged when there is no observer). */
export function observed<K, V>(loader: string, observe: BatchObserver | undefined, batch: DataLoader.BatchLoadFn<K, V>): DataLoader.BatchLoadFn<K, V> {
  if (observe === undefined) return batch;
  return (keys) => {
    try {
      observe(loader, keys.length);
    } catch {
      // Metrics are best effort: a failing observer must not fail the reads.
    }
    return batch(keys);
  };
}
