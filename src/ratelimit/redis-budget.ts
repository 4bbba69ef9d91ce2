// Internal to src/ratelimit (re-exported by index.ts): a connection's ThoughtSpot rate budget in Redis, shared by every
// replica (the adapter's `SharedRateBudget`). One Lua script does everything, so each decision is atomic: Redis runs a
// script to the end before it serves anything else, and no two replicas can take the same slot.
//
// The bucket is GCRA, the arithmetic of the in-process limiter (src/thoughtspot/rate-limiter.ts): one number, the
// theoretical arrival time (TAT) of the next request at the steady rate, replaces the bucket's level. Time is Redis's
// own (`TIME`), so the replicas' clocks never enter a decision; the key expires once its TAT has passed (an absent key
// is a full bucket), so an idle connection leaves nothing behind.

import { createHash, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { SharedRateBudget, SharedRateLimits } from '../thoughtspot/index.js';

/** Where every key of the budget starts, unless `prefix` says otherwise. */
export const DEFAULT_KEY_PREFIX = 'thoughtspot-directory:rate:';
/** How often a replica announces itself as a sharer of the budget. */
export const SHARER_HEARTBEAT_MS = 10_000;

/**
 * KEYS[1]: the bucket, the TAT in milliseconds of Redis time (text, to the microsecond).
 * KEYS[2]: the sharers, a sorted set of process ids scored by their last heartbeat (Redis time, ms).
 * ARGV[1] is the operation:
 * - `take`, ARGV[2] interval ms, ARGV[3] burst tolerance ms: takes a slot if one is free now. Answers
 *   {1, "0", now} when it took one, {0, wait, now} when the next is `wait` ms away (then nothing is taken).
 * - `hold`, ARGV[2] interval, ARGV[3] tolerance, ARGV[4] ms: no slot before now + ms, then the steady rate with the
 *   burst spent (the in-process limiter's `holdUntil`). Answers {1, "0", now}.
 * - `join`, ARGV[2] process id, ARGV[3] ttl ms: records a heartbeat, forgets sharers silent for ttl, answers how many
 *   remain.
 * Numbers are passed as text both ways: Lua would format a number argument with 14 significant digits, and Redis
 * truncates a number reply to an integer.
 *
 * `redis.replicate_commands()` lets a script that read TIME write afterwards on Redis 3.2 to 4 (replication by
 * effects); from Redis 5 it is the default, and Redis 7 keeps the call as a no-op.
 */
const SCRIPT = `
if redis.replicate_commands then redis.replicate_commands() end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local op = ARGV[1]
if op == 'join' then
  local ttl = tonumber(ARGV[3])
  redis.call('ZADD', KEYS[2], string.format('%.3f', now), ARGV[2])
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', string.format('(%.3f', now - ttl))
  redis.call('PEXPIRE', KEYS[2], ttl)
  return redis.call('ZCARD', KEYS[2])
end
local interval = tonumber(ARGV[2])
local tolerance = tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', KEYS[1]) or '') or now
if tat < now then tat = now end
if op == 'hold' then
  local held = now + tonumber(ARGV[4]) + tolerance
  if held > tat then tat = held end
else
  local wait = tat - tolerance - now
  if wait > 0.000001 then return {0, string.format('%.3f', wait), string.format('%.3f', now)} end
  tat = tat + interval
end
redis.call('SET', KEYS[1], string.format('%.3f', tat), 'PX', math.ceil(tat - now) + 1000)
return {1, '0', string.format('%.3f', now)}
`;
const SCRIPT_SHA = createHash('sha1').update(SCRIPT).digest('hex');

/** One answer of the bucket. */
export interface SlotAnswer {
  /** Whether a slot was taken. */
  readonly granted: boolean;
  /** When not granted: milliseconds until the next slot may be free. 0 when granted. */
  readonly waitMs: number;
  /** Redis's time of the decision, in epoch milliseconds. */
  readonly at: number;
}

/** A `SharedRateBudget` in Redis, with the lower-level answers its tests read. */
export interface RedisRateBudget extends SharedRateBudget {
  /** The bucket's key (the sharers' key is the same with `:sharers` in place of `:bucket`). */
  readonly key: string;
  /** `take` with the whole answer. */
  takeSlot(limits: SharedRateLimits): Promise<SlotAnswer>;
  /** Announce this process as a sharer now (done every `heartbeatMs` anyway); resolves to the sharers counted. */
  heartbeat(): Promise<number>;
}

/** Options of `createRedisRateBudget`. */
export interface RedisRateBudgetOptions {
  /** The cluster's URL; its origin names the budget. */
  readonly baseUrl: string;
  /** The connection's id (THOUGHTSPOT_CONNECTION_ID or a registered connection's), also part of the name. */
  readonly connectionId: string;
  /** Start of every key; default DEFAULT_KEY_PREFIX. Tests give each case its own. */
  readonly prefix?: string;
  /** Heartbeat period; default SHARER_HEARTBEAT_MS. A sharer is forgotten after three silent periods. */
  readonly heartbeatMs?: number;
}

/**
 * The rate budget of one connection in Redis. `redis` stays the caller's: `close()` only stops the heartbeat and
 * leaves the sharers. The budget is named by the cluster's origin and the connection id, in one hash tag, so its keys
 * live in one slot of a Redis Cluster, as a script needs.
 */
export function createRedisRateBudget(redis: Redis, options: RedisRateBudgetOptions): RedisRateBudget {
  const name = `${options.prefix ?? DEFAULT_KEY_PREFIX}{${new URL(options.baseUrl).origin}|${options.connectionId}}`;
  const keys = [`${name}:bucket`, `${name}:sharers`] as const;
  const heartbeatMs = options.heartbeatMs ?? SHARER_HEARTBEAT_MS;
  const member = randomUUID();
  let sharers = 1;

  // EVALSHA first (the script's hash, not its text, crosses the wire); on NOSCRIPT (a restarted or failed-over Redis
  // that never saw it) EVAL once, which also loads it.
  const run = async (...args: (string | number)[]): Promise<unknown> => {
    try {
      return await redis.evalsha(SCRIPT_SHA, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return redis.eval(SCRIPT, keys.length, ...keys, ...args);
    }
  };
  const heartbeat = async (): Promise<number> => {
    const count = Number(await run('join', member, heartbeatMs * 3));
    if (Number.isInteger(count) && count >= 1) sharers = count;
    return sharers;
  };
  const takeSlot = async (limits: SharedRateLimits): Promise<SlotAnswer> => {
    const { intervalMs, toleranceMs } = bucketOf(limits);
    return toAnswer(await run('take', intervalMs, toleranceMs));
  };

  // The heartbeat never keeps the process alive, and a failed one is simply the next one's job.
  const beat = (): void => void heartbeat().catch(() => {});
  const timer = setInterval(beat, heartbeatMs);
  timer.unref();
  beat();

  return {
    key: keys[0],
    get sharers() {
      return sharers;
    },
    takeSlot,
    heartbeat,
    async take(limits) {
      const answer = await takeSlot(limits);
      return answer.granted ? 0 : answer.waitMs;
    },
    async hold(ms, limits) {
      const { intervalMs, toleranceMs } = bucketOf(limits);
      await run('hold', intervalMs, toleranceMs, Math.max(0, ms));
    },
    async close() {
      clearInterval(timer);
      await redis.zrem(keys[1], member);
    },
  };
}

// Private: the GCRA parameters, as rate-limiter.ts derives them (nginx `burst`: burst + 1 may leave at once).
function bucketOf(limits: SharedRateLimits): { readonly intervalMs: number; readonly toleranceMs: number } {
  const intervalMs = 1000 / limits.requestsPerSecond;
  return { intervalMs, toleranceMs: limits.burst * intervalMs };
}

function toAnswer(reply: unknown): SlotAnswer {
  if (!Array.isArray(reply) || reply.length !== 3) throw new TypeError(`unexpected reply from the rate budget script: ${JSON.stringify(reply)}`);
  const [granted, wait, at] = reply as [unknown, unknown, unknown];
  const waitMs = Number(wait);
  const time = Number(at);
  if ((granted !== 0 && granted !== 1) || !(waitMs >= 0) || !Number.isFinite(time)) {
    throw new TypeError(`unexpected reply from the rate budget script: ${JSON.stringify(reply)}`);
  }
  return { granted: granted === 1, waitMs, at: time };
}
