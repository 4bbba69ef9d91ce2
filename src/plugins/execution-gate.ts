// Internal to src (used by app.ts): how much GraphQL executes at once. Memory is held by the operations in flight:
// each keeps its loaders' rows and its pending fields alive while its upstream calls wait their turn for
// ThoughtSpot's rate budget, about 2 MB for a nested query (README "Benchmarks"). Without a bound, 50 clients sending
// the same nested query meant 50 executions waiting side by side, all bound by the same 90 calls a second: the same
// throughput as a few at a time, with many times the heap. The gate admits operations up to a capacity
// (`EXECUTION_CAPACITY`) and queues the rest, once they have been parsed, validated, costed and their scope checked
// (a refused operation never waits), before any resolver runs (a waiting operation holds only its document and
// context).
//
// An operation weighs the nodes it can return (plugins/query-cost.ts, GitHub's formula), one unit per
// NODES_PER_UNIT: the measure that bounds the rows it holds, which is what memory is. The README's nested query
// (organizations 3 → groups 10 → members 20 → roles 10, 6,633 nodes) takes 7 units while a lookup takes 1, so a slow
// cluster does not make cheap lookups wait behind a count of slots. A weight is at least 1 and at most a quarter of
// the capacity (MAX_WEIGHT_SHARE): the heaviest operation the query limits admit must not shut everyone else out for
// the seconds it takes, which is what the per-request upstream budget already bounds it by.
//
// The queue is served in turn by caller (token subject on its connection), as the adapter serves upstream calls
// (context.ts RequestScope): one caller's burst waits behind itself, not in front of everyone else. The operation at
// the head of the line waits until its weight fits; nothing overtakes it, so a heavy operation is never starved by
// light ones. Time in the queue counts against the request's deadline. A request whose deadline passes while it
// waits, or that arrives when `EXECUTION_QUEUE_MAX` operations are already waiting, is answered 503 with a coded error
// and `Retry-After`, having cost nothing upstream; so is one the shutdown stops.

import type { ApolloServerPlugin, GraphQLResponse } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import type { Context } from '../context.js';
import { requestScope } from '../context.js';
import { ERROR_MESSAGES, ErrorCode, RequestAborted } from '../errors/codes.js';
import { measuredCost } from './query-cost.js';

/** Nodes (query-cost's measure) per unit of weight. */
export const NODES_PER_UNIT = 1_000;

/** The largest share of the capacity one operation takes, whatever it weighs. */
export const MAX_WEIGHT_SHARE = 0.25;

/** Seconds a 503 from the gate asks the client to wait before trying again. */
export const GATE_RETRY_AFTER_SECONDS = 1;

/** The gate's configuration (config.ts `execution`). */
export interface ExecutionLimits {
  /** Units of weight executing at once. */
  readonly capacity: number;
  /** Operations waiting at once; more are refused with OVERLOADED. */
  readonly queueMax: number;
}

/** Why a wait ended without a slot. */
export class GateRefused extends Error {
  override readonly name = 'GateRefused';
  constructor(
    readonly code: typeof ErrorCode.OVERLOADED | RequestAborted['code'],
    message: string,
    readonly extensions: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}

/** Counts of the gate, for metrics and tests. */
export interface GateStatus {
  /** Operations executing. */
  readonly running: number;
  /** Operations waiting. */
  readonly queued: number;
  /** Units of weight the executing operations hold. */
  readonly units: number;
}

/** A weighted semaphore whose waiters are served in turn by key. */
export interface ExecutionGate {
  /**
   * Waits until `weight` units (clamped to 1…MAX_WEIGHT_SHARE of the capacity) are free for `key`, and resolves to their release (call it
   * once; later calls do nothing). Rejects with GateRefused when the queue is full, or when `signal` aborts first
   * (with its RequestAborted's code and message).
   */
  acquire(key: string, weight: number, signal?: AbortSignal): Promise<() => void>;
  status(): GateStatus;
}

interface Waiter {
  readonly weight: number;
  readonly grant: (release: () => void) => void;
}

/** Creates a gate of `limits.capacity` units. */
export function createExecutionGate(limits: ExecutionLimits): ExecutionGate {
  const heaviest = Math.max(1, Math.floor(limits.capacity * MAX_WEIGHT_SHARE));
  let running = 0;
  let units = 0;
  let queued = 0;
  // Waiters by key, and the keys with waiters in the order they are served (a key goes to the back once served).
  const queues = new Map<string, Waiter[]>();
  const turns: string[] = [];

  const take = (weight: number): (() => void) => {
    running += 1;
    units += weight;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      running -= 1;
      units -= weight;
      next();
    };
  };

  const next = (): void => {
    for (;;) {
      const key = turns[0];
      if (key === undefined) return;
      const queue = queues.get(key) as Waiter[];
      const waiter = queue[0] as Waiter;
      if (units + waiter.weight > limits.capacity) return;
      turns.shift();
      queue.shift();
      if (queue.length > 0) turns.push(key);
      else queues.delete(key);
      queued -= 1;
      waiter.grant(take(waiter.weight));
    }
  };

  const remove = (key: string, waiter: Waiter): void => {
    const queue = queues.get(key);
    const at = queue?.indexOf(waiter) ?? -1;
    if (queue === undefined || at < 0) return;
    queue.splice(at, 1);
    queued -= 1;
    if (queue.length === 0) {
      queues.delete(key);
      turns.splice(turns.indexOf(key), 1);
    }
    // The head of the line may have been what held the others back.
    next();
  };

  return {
    acquire(key, requested, signal) {
      if (signal?.aborted === true) return Promise.reject(refusalOf(signal.reason));
      const weight = Math.min(heaviest, Math.max(1, Math.ceil(requested)));
      if (queued === 0 && units + weight <= limits.capacity) return Promise.resolve(take(weight));
      if (queued >= limits.queueMax) {
        return Promise.reject(new GateRefused(ErrorCode.OVERLOADED, ERROR_MESSAGES.OVERLOADED));
      }
      return new Promise((resolve, reject) => {
        const onAbort = (): void => {
          remove(key, waiter);
          reject(refusalOf(signal?.reason));
        };
        const waiter: Waiter = {
          weight,
          grant: (release) => {
            signal?.removeEventListener('abort', onAbort);
            resolve(release);
          },
        };
        const queue = queues.get(key);
        if (queue === undefined) {
          queues.set(key, [waiter]);
          turns.push(key);
        } else {
          queue.push(waiter);
        }
        queued += 1;
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
    status: () => ({ running, queued, units }),
  };
}

// Private: the refusal for an abort reason (the request scope aborts with a RequestAborted).
function refusalOf(reason: unknown): GateRefused {
  if (reason instanceof RequestAborted) return new GateRefused(reason.code, reason.message, reason.extensions);
  return new GateRefused(ErrorCode.DEADLINE_EXCEEDED, 'The request was stopped before it could execute.');
}

/**
 * The plugin: an operation takes its weight once every check before execution has passed (`responseForOperation`
 * runs after them) and gives it back when its response is about to be sent (`willSendResponse` follows execution,
 * and errors too). A refused wait answers 503 with the refusal's code.
 */
export function executionGatePlugin(gate: ExecutionGate): ApolloServerPlugin<Context> {
  return {
    requestDidStart() {
      let release: (() => void) | null = null;
      return Promise.resolve({
        async responseForOperation({ contextValue, request }): Promise<GraphQLResponse | null> {
          const key = `${contextValue.connectionId}\u0000${contextValue.caller.subject}`;
          try {
            release = await gate.acquire(key, (measuredCost(request)?.nodes ?? 0) / NODES_PER_UNIT, requestScope.getStore()?.signal);
            return null;
          } catch (error) {
            if (!(error instanceof GateRefused)) throw error;
            return {
              http: { status: 503, headers: new HeaderMap([['retry-after', String(GATE_RETRY_AFTER_SECONDS)]]) },
              body: { kind: 'single', singleResult: { errors: [{ message: error.message, extensions: { code: error.code, ...error.extensions } }] } },
            };
          }
        },
        willSendResponse() {
          release?.();
          release = null;
          return Promise.resolve();
        },
      });
    },
  };
}
