// The shared rate budget's Lua script against a real Redis (127.0.0.1:6379, REDIS_TEST_URL to point elsewhere). Each
// test names its own budget under a fresh key prefix, so tests share no state; assertions count grants and read
// Redis's own clock (the `at` of each answer, `TIME`), never the test's wall clock.

import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisRateBudget, type RedisRateBudget, type RedisRateBudgetOptions, type SlotAnswer } from '../../../src/ratelimit/index.js';
import { busiestWindow } from '../../support/rates.js';

const REDIS_URL = process.env['REDIS_TEST_URL'] ?? 'redis://127.0.0.1:6379';
const BASE_URL = 'https://acme.thoughtspot.cloud';

/** Three connections, as three replicas would hold. */
const replicas: Redis[] = [];
const budgets: RedisRateBudget[] = [];
const prefixes: string[] = [];

beforeAll(async () => {
  for (let index = 0; index < 3; index += 1) replicas.push(new Redis(REDIS_URL, { lazyConnect: true, enableOfflineQueue: false }));
  await Promise.all(replicas.map((redis) => redis.connect()));
});

afterAll(async () => {
  await Promise.all(budgets.map((budget) => budget.close().catch(() => {})));
  const redis = replicas[0] as Redis;
  for (const prefix of prefixes) {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
  }
  await Promise.all(replicas.map((each) => each.quit()));
});

/** A fresh prefix: this test's budgets share nothing with any other test's. */
function freshPrefix(): string {
  const prefix = `test:ratelimit:${randomUUID()}:`;
  prefixes.push(prefix);
  return prefix;
}

/** A budget on replica `index`'s connection. */
function budgetOn(index: number, options: Omit<RedisRateBudgetOptions, 'baseUrl' | 'connectionId'> & Partial<RedisRateBudgetOptions>): RedisRateBudget {
  const budget = createRedisRateBudget(replicas[index] as Redis, { baseUrl: BASE_URL, connectionId: 'acme', ...options });
  budgets.push(budget);
  return budget;
}

/** Redis's clock in epoch milliseconds. */
async function redisNow(): Promise<number> {
  const [seconds, micros] = await (replicas[0] as Redis).time();
  return Number(seconds) * 1000 + Number(micros) / 1000;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('the Redis rate budget', () => {
  it('grants burst + 1 slots at once, then refuses with the wait until the next one', async () => {
    const budget = budgetOn(0, { prefix: freshPrefix() });
    const limits = { requestsPerSecond: 1, burst: 4 };
    const answers: SlotAnswer[] = [];
    for (let index = 0; index < 7; index += 1) answers.push(await budget.takeSlot(limits));
    expect(answers.map((answer) => answer.granted)).toEqual([true, true, true, true, true, false, false]);
    const first = answers[0] as SlotAnswer;
    // The sixth slot comes one interval (1 s) after the first grant, on Redis's clock.
    for (const refused of answers.slice(5)) expect(refused.waitMs).toBeCloseTo(1_000 - (refused.at - first.at), 2);
    expect(await budget.take(limits)).toBeGreaterThan(0);
  });

  it('is atomic: concurrent requests from three replicas share burst + 1 slots, never one more', async () => {
    const prefix = freshPrefix();
    const sharing = [0, 1, 2].map((index) => budgetOn(index, { prefix }));
    // One slot per 10 s: no refill can happen while the 90 requests are answered.
    const limits = { requestsPerSecond: 0.1, burst: 9 };
    const answers = await Promise.all(Array.from({ length: 90 }, (_, index) => (sharing[index % 3] as RedisRateBudget).takeSlot(limits)));
    expect(answers.filter((answer) => answer.granted)).toHaveLength(10);
  });

  it('keeps three replicas together within the rate: no window of Redis time holds more than rate × window + burst + 1 grants', async () => {
    const prefix = freshPrefix();
    const limits = { requestsPerSecond: 50, burst: 2 };
    const grants: number[] = [];
    let asked = 0;
    // Four callers on each replica, each asking again when told the next slot is free, until 120 slots are granted.
    const caller = async (budget: RedisRateBudget): Promise<void> => {
      while (grants.length < 120) {
        asked += 1;
        const answer = await budget.takeSlot(limits);
        if (answer.granted) grants.push(answer.at);
        else await sleep(answer.waitMs);
      }
    };
    const sharing = [0, 1, 2].map((index) => budgetOn(index, { prefix }));
    await Promise.all(sharing.flatMap((budget) => [caller(budget), caller(budget), caller(budget), caller(budget)]));
    expect(asked).toBeGreaterThan(grants.length);
    expect(busiestWindow(grants, 1_000)).toBeLessThanOrEqual(50 + 3);
    expect(busiestWindow(grants, 200)).toBeLessThanOrEqual(10 + 3);
    // GCRA is exact: the n-th grant after the burst comes no earlier than n intervals after the first.
    const sorted = [...grants].sort((a, b) => a - b);
    const first = sorted[0] as number;
    sorted.forEach((at, index) => expect(at - first).toBeGreaterThanOrEqual((index - 2) * 20 - 0.01));
  });

  it('holds every replica after a 429 until the hold ends, then resumes with the burst spent', async () => {
    const prefix = freshPrefix();
    const [first, second] = [budgetOn(0, { prefix }), budgetOn(1, { prefix })] as [RedisRateBudget, RedisRateBudget];
    const limits = { requestsPerSecond: 10, burst: 5 };
    const before = await redisNow();
    await first.hold(2_000, limits);
    const after = await redisNow();
    const answer = await second.takeSlot(limits);
    expect(answer.granted).toBe(false);
    expect(answer.waitMs).toBeGreaterThan(2_000 - (answer.at - before) - 0.01);
    expect(answer.waitMs).toBeLessThanOrEqual(2_000);
    // The bucket's next slot is the hold's end plus the burst tolerance: the burst is spent when the hold ends.
    const tat = Number(await (replicas[2] as Redis).get(first.key));
    expect(tat).toBeGreaterThanOrEqual(before + 2_000 + 500);
    expect(tat).toBeLessThanOrEqual(after + 2_000 + 500);
    // A shorter hold never shortens a longer one.
    await second.hold(100, limits);
    expect(Number(await (replicas[2] as Redis).get(first.key))).toBe(tat);
  });

  it('gives each connection its own bucket: the same origin and id share one, another id or origin does not', async () => {
    const prefix = freshPrefix();
    const limits = { requestsPerSecond: 0.1, burst: 0 };
    const acme = budgetOn(0, { prefix });
    const acmeElsewhere = budgetOn(1, { prefix, baseUrl: `${BASE_URL}/` });
    const tenant = budgetOn(2, { prefix, connectionId: 'tenant-b' });
    const other = budgetOn(2, { prefix, baseUrl: 'https://other.thoughtspot.cloud' });
    expect(acmeElsewhere.key).toBe(acme.key);
    expect(await acme.take(limits)).toBe(0);
    expect(await acmeElsewhere.take(limits)).toBeGreaterThan(0);
    expect(await tenant.take(limits)).toBe(0);
    expect(await other.take(limits)).toBe(0);
    expect(acme.key).toBe(`${prefix}{https://acme.thoughtspot.cloud|acme}:bucket`);
  });

  it('decides on Redis time, and lets a bucket key expire once it is full again', async () => {
    const budget = budgetOn(0, { prefix: freshPrefix() });
    const before = await redisNow();
    const answer = await budget.takeSlot({ requestsPerSecond: 10, burst: 0 });
    const after = await redisNow();
    expect(answer.at).toBeGreaterThanOrEqual(before);
    expect(answer.at).toBeLessThanOrEqual(after);
    const ttl = await (replicas[0] as Redis).pttl(budget.key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(100 + 1_000);
  });

  it('counts the replicas that share a budget, forgetting those that left or went silent', async () => {
    const prefix = freshPrefix();
    const sharing = [0, 1, 2].map((index) => budgetOn(index, { prefix }));
    for (const budget of sharing) await budget.heartbeat();
    expect(await (sharing[0] as RedisRateBudget).heartbeat()).toBe(3);
    expect((sharing[0] as RedisRateBudget).sharers).toBe(3);
    await (sharing[2] as RedisRateBudget).close();
    expect(await (sharing[0] as RedisRateBudget).heartbeat()).toBe(2);
    // A replica whose last heartbeat is older than three periods is no longer counted.
    const sharersKey = (sharing[0] as RedisRateBudget).key.replace(/:bucket$/, ':sharers');
    await (replicas[0] as Redis).zadd(sharersKey, (await redisNow()) - 31_000, 'a-replica-that-died');
    expect(await (sharing[1] as RedisRateBudget).heartbeat()).toBe(2);
  });

  it('loads the script again when Redis has lost it (a restart or a failover)', async () => {
    const redis = replicas[0] as Redis;
    // A connection whose EVALSHA always finds no script, as after SCRIPT FLUSH, without flushing a shared server.
    const forgetful = Object.assign(Object.create(redis) as Redis, {
      evalsha: () => Promise.reject(new Error('NOSCRIPT No matching script. Please use EVAL.')),
    });
    const budget = createRedisRateBudget(forgetful, { baseUrl: BASE_URL, connectionId: 'acme', prefix: freshPrefix() });
    budgets.push(budget);
    expect(await budget.take({ requestsPerSecond: 1, burst: 0 })).toBe(0);
    expect(await budget.take({ requestsPerSecond: 1, burst: 0 })).toBeGreaterThan(0);
  });
});
