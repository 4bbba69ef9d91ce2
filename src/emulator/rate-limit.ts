// Internal to src/emulator: the documented rate limiter (CONTRACT.md §7): a token bucket per client IP with
// nginx `limit_req rate=100r/s burst=10 nodelay` semantics. A bucket holds up to burst + 1 tokens, refills at
// `requestsPerSecond`, and a request that finds it empty is refused at once (no queueing).

import type { RateLimitOptions } from './types.js';

/** One limiter for all clients. Reads its options live, so a change applies to the next request. */
export interface RateLimiter {
  /** Takes a token for this client; false when the request must be refused with 429. */
  take(clientKey: string): boolean;
  /** Forgets every bucket (all clients start full again). */
  clear(): void;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

// Buckets of clients that stopped calling are dropped once the map grows this large, so a long-running emulator
// hit from many addresses does not grow without bound.
const MAX_BUCKETS = 10_000;

/**
 * Creates a limiter. `now` is a monotonic clock in milliseconds (default `performance.now`); it is not the
 * emulator's domain clock, because tests that freeze domain time for token expiry must not freeze the limiter.
 */
export function createRateLimiter(options: Readonly<RateLimitOptions>, now: () => number = () => performance.now()): RateLimiter {
  const buckets = new Map<string, Bucket>();
  return {
    take(clientKey) {
      const capacity = options.burst + 1;
      const t = now();
      let bucket = buckets.get(clientKey);
      if (!bucket) {
        if (buckets.size >= MAX_BUCKETS) prune(buckets, t, options.requestsPerSecond, capacity);
        bucket = { tokens: capacity, updatedAt: t };
        buckets.set(clientKey, bucket);
      } else {
        const refill = ((t - bucket.updatedAt) / 1000) * options.requestsPerSecond;
        bucket.tokens = Math.min(capacity, bucket.tokens + refill);
        bucket.updatedAt = t;
      }
      if (bucket.tokens < 1) return false;
      bucket.tokens -= 1;
      return true;
    },
    clear() {
      buckets.clear();
    },
  };
}

function prune(buckets: Map<string, Bucket>, t: number, rate: number, capacity: number): void {
  for (const [key, bucket] of buckets) {
    if (bucket.tokens + ((t - bucket.updatedAt) / 1000) * rate >= capacity) buckets.delete(key);
  }
  // Everyone still owes tokens: drop the oldest half rather than refuse to track a new client.
  if (buckets.size >= MAX_BUCKETS) {
    let toDrop = Math.floor(buckets.size / 2);
    for (const key of buckets.keys()) {
      if (toDrop-- <= 0) break;
      buckets.delete(key);
    }
  }
}
