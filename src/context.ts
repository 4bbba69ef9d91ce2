// Public to the rest of src: the per-request context (codegen's `contextType`) and the request scope that
// attributes upstream calls to the request that caused them.
//
// Why an AsyncLocalStorage: the adapter is shared by every request (it owns the connection pool, the token cache and
// the rate limiter) and reports each upstream attempt through one `onUpstreamCall` hook. The HTTP handler runs each
// request inside `requestScope.run(...)`, so the hook can find the request an attempt belongs to by asking the
// async context, without threading a callback through every loader.

import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { Caller } from './auth/index.js';
import type { ConnectionRegistry, ResolvedConnection } from './connections/index.js';
import type { LoaderOptions, Loaders } from './loaders/index.js';
import { createLoaders } from './loaders/index.js';
import { ErrorCode, RequestAborted } from './errors/codes.js';
import type { Logger } from './logger.js';
import type { SecretBox } from './secrets.js';
import type { Store } from './store/index.js';
import type { ThoughtSpotClient, UpstreamCallEvent } from './thoughtspot/index.js';

/** The upstream calls one request made, counted by endpoint (token mints included, as `POST …/auth/token/full`). */
export class UpstreamCallLog {
  #calls = 0;
  readonly #byEndpoint = new Map<string, number>();

  /** Counts one upstream attempt. */
  record(event: Pick<UpstreamCallEvent, 'endpoint'>): void {
    this.#calls += 1;
    this.#byEndpoint.set(event.endpoint, (this.#byEndpoint.get(event.endpoint) ?? 0) + 1);
  }

  /** Every attempt, retries and token mints included. */
  get calls(): number {
    return this.#calls;
  }

  /** Attempts per endpoint id, sorted by endpoint. */
  byEndpoint(): Record<string, number> {
    return Object.fromEntries([...this.#byEndpoint].sort(([a], [b]) => (a < b ? -1 : 1)));
  }
}

/** The runtime backstops of one request (config.ts `request`). */
export interface RequestLimits {
  /** Whole-request deadline, retries and queueing included. */
  readonly deadlineMs: number;
  /** Upstream attempts one request may send, retries included (token mints serve every request and are not counted). */
  readonly maxUpstreamCalls: number;
}

/** Generous limits for scopes opened outside the HTTP server (tests, scripts). */
export const UNBOUNDED_REQUEST_LIMITS: RequestLimits = { deadlineMs: 2_147_483_647, maxUpstreamCalls: Number.MAX_SAFE_INTEGER };

/**
 * What the request scope holds. The scope object itself is also the adapter's `flow`: the rate limiter and the
 * concurrency cap serve the flows waiting for them in turn, so one expensive request cannot starve the others.
 */
export interface RequestScope {
  readonly requestId: string;
  readonly upstream: UpstreamCallLog;
  /**
   * Aborted with a RequestAborted when the deadline passes or the server stops; every upstream call of the request is
   * bound to it, so the request ends promptly with those parts null and coded. (The upstream budget is enforced call
   * by call, in `beforeSend`.)
   */
  readonly signal: AbortSignal;
  /** Aborts the request's remaining upstream work (no-op once aborted). */
  abort(reason: RequestAborted): void;
  /**
   * The adapter calls this before each attempt leaves (CallContext.beforeSend): it reserves one call of the budget,
   * or throws a RequestAborted when the budget is spent, so no call beyond the budget is ever sent.
   */
  beforeSend(): void;
  /** Releases the deadline timer; call when the response is sent. */
  dispose(): void;
}

/** The async context of the request being served. */
export const requestScope = new AsyncLocalStorage<RequestScope>();

/** A fresh request scope; `requestId` is taken from the caller when it sends a usable one. */
export function createRequestScope(requestId?: string, limits: RequestLimits = UNBOUNDED_REQUEST_LIMITS): RequestScope {
  const controller = new AbortController();
  const abort = (reason: RequestAborted): void => {
    if (!controller.signal.aborted) controller.abort(reason);
  };
  const timer = setTimeout(
    () =>
      abort(
        new RequestAborted(ErrorCode.DEADLINE_EXCEEDED, `The request ran past its ${limits.deadlineMs} ms deadline; this part was not completed.`, {
          limit: limits.deadlineMs,
        }),
      ),
    limits.deadlineMs,
  );
  // The timer must never hold the process open (a scope of a request that never completes, or a script's).
  timer.unref();
  // The budget refuses calls one by one rather than aborting the request: calls already sent are within it and
  // their answers are still used.
  let reserved = 0;
  let spent: RequestAborted | undefined;
  const beforeSend = (): void => {
    if (reserved < limits.maxUpstreamCalls) {
      reserved += 1;
      return;
    }
    // Built once, when first needed: most requests never reach their budget.
    spent ??= new RequestAborted(
      ErrorCode.UPSTREAM_BUDGET_EXCEEDED,
      `The request sent ${limits.maxUpstreamCalls} calls to ThoughtSpot, as many as one request may; ask for smaller pages or fewer nested lists.`,
      { limit: limits.maxUpstreamCalls },
    );
    throw spent;
  };
  return {
    requestId: requestId !== undefined && /^[A-Za-z0-9._:-]{1,128}$/.test(requestId) ? requestId : randomUUID(),
    upstream: new UpstreamCallLog(),
    signal: controller.signal,
    abort,
    beforeSend,
    dispose: () => clearTimeout(timer),
  };
}

/** What the request's resolvers reach besides the loaders: the operational store and the connection registry. */
export interface Services {
  readonly store: Store;
  readonly connections: ConnectionRegistry;
  /** Encrypts and decrypts stored connection credentials; null when `SECRETS_KEY` is not set. */
  readonly secrets: SecretBox | null;
  /** Whether the deployment runs with NODE_ENV=production (stricter rules for connection URLs). */
  readonly production: boolean;
  /** The connection configured by environment, as `thoughtSpotConnections` shows it. */
  readonly defaultConnection: { readonly id: string; readonly name: string; readonly baseUrl: string; readonly username: string };
  /** The longest validity, in seconds, of a token `embedTokenCreate` mints (config.ts `embed`). */
  readonly embedTokenMaxValidityS: number;
}

/** The GraphQL context every resolver receives. */
export interface Context {
  /** Correlates log lines of one request (echoed from `x-request-id` when the caller sends one). */
  readonly requestId: string;
  /** Who is calling: the claims of its token (or the local caller without authentication). */
  readonly caller: Caller;
  /** The ThoughtSpot connection this request reads; part of every global ID. */
  readonly connectionId: string;
  /** The adapter client of that connection, for writes and connection tests (reads go through the loaders). */
  readonly client: ThoughtSpotClient;
  /** This request's loaders, which see only the caller's Organizations (loaders/tenancy.ts). */
  readonly loaders: Loaders;
  /** This request's upstream calls. */
  readonly upstream: UpstreamCallLog;
  readonly services: Services;
  readonly logger: Logger;
}

/** What the context function needs from the composition root. */
export interface ContextDependencies {
  readonly services: Services;
  readonly logger: Logger;
  /** How the request's loaders read ThoughtSpot (config.ts `userBatch`). */
  readonly loaderOptions: LoaderOptions;
}

/**
 * Builds Apollo Server's context function for one caller on one connection (app.ts authenticates the caller and
 * resolves its connection first). It joins the request scope opened by the HTTP handler, or opens one when the server
 * is driven in-process (`executeOperation`), and creates the request's loaders for the caller's Organizations.
 */
export function createContextFunction(deps: ContextDependencies): (caller: Caller, connection: ResolvedConnection) => Promise<Context> {
  return (caller, connection) => {
    const scope = requestScope.getStore() ?? createRequestScope();
    return Promise.resolve({
      requestId: scope.requestId,
      caller,
      connectionId: connection.id,
      client: connection.client,
      loaders: createLoaders(connection.client, deps.loaderOptions, caller.orgs),
      upstream: scope.upstream,
      services: deps.services,
      logger: deps.logger,
    });
  };
}
