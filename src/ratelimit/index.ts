// Public to the rest of src: what the replicas of the subgraph share in Redis (REDIS_URL, DESIGN.md §7): the
// connection itself, and each ThoughtSpot connection's rate budget, which the adapter takes its slots from
// (`rateLimit.shared`). Knows Redis and the adapter's `SharedRateBudget` port, nothing of GraphQL.

export { closeRedis, connectRedis } from './connection.js';
export { createRedisRateBudget, DEFAULT_KEY_PREFIX, SHARER_HEARTBEAT_MS } from './redis-budget.js';
export type { RedisRateBudget, RedisRateBudgetOptions, SlotAnswer } from './redis-budget.js';
