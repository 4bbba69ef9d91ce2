// Internal to src/ratelimit (re-exported by index.ts): the process's Redis connection (REDIS_URL), set up so that
// Redis can never hold a request up: a command sent while the connection is down fails at once instead of queueing
// for a reconnect, one that gets no answer fails after a bound, and the connection keeps trying to come back in the
// background. What to do when a command fails is the caller's decision (the adapter paces locally; shared-limiter.ts).

import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';

/** How long one connection attempt may take. */
const CONNECT_TIMEOUT_MS = 2_000;
/**
 * Backstop for a command that gets no answer (a Redis that accepts connections but does not reply). The adapter
 * stops waiting sooner (SHARED_BUDGET_TIMEOUT_MS); this frees the command itself.
 */
const COMMAND_TIMEOUT_MS = 1_000;
/** Longest pause between two reconnection attempts. */
const MAX_RECONNECT_DELAY_MS = 2_000;
/** How long `closeRedis` waits for QUIT's answer before it drops the connection. */
const QUIT_TIMEOUT_MS = 1_000;

/**
 * Connects to `url` (redis:// or rediss://). Resolves once connected, or once the first attempt failed: then a warning
 * is logged, the process starts anyway and the connection keeps trying. The URL's password is never logged; the
 * log names the server by scheme, host and port.
 */
export async function connectRedis(url: string, logger: Logger): Promise<Redis> {
  const parsed = new URL(url);
  const server = `${parsed.protocol}//${parsed.hostname}${parsed.port === '' ? '' : `:${parsed.port}`}`;
  // Loaded here, not at the top: a process without REDIS_URL never needs the driver, and loading it costs about 10 MB
  // of resident memory.
  const { Redis: RedisClient } = await import('ioredis');
  const redis = new RedisClient(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: CONNECT_TIMEOUT_MS,
    commandTimeout: COMMAND_TIMEOUT_MS,
    retryStrategy: (attempt) => Math.min(100 * attempt, MAX_RECONNECT_DELAY_MS),
    connectionName: 'thoughtspot-directory-subgraph',
  });
  // One warning per outage, not one per reconnection attempt; and ioredis prints unhandled error events itself.
  let down = false;
  redis.on('error', (error: Error) => {
    if (down) return;
    down = true;
    logger.warn('Redis is unreachable; ThoughtSpot calls are paced locally until it is back', { redis: server, error: error.message });
  });
  redis.on('ready', () => {
    if (!down) return;
    down = false;
    logger.info('Redis is reachable again', { redis: server });
  });
  try {
    await redis.connect();
  } catch {
    // Logged by the error listener; the connection keeps trying.
  }
  return redis;
}

/** Closes the connection: QUIT when it answers in time, else the socket is dropped. */
export async function closeRedis(redis: Redis): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, QUIT_TIMEOUT_MS);
  });
  await Promise.race([redis.quit().then(() => undefined, () => undefined), timeout]);
  clearTimeout(timer);
  redis.disconnect();
}
