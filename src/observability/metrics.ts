// Internal to src/observability (re-exported by index.ts): the Prometheus metrics (prom-client), one registry per app,
// so two apps in one process (tests, an embedding host) never share or collide on a series.
//
// `/metrics` answers without authentication, as scrapers expect, so nothing in it may identify a tenant or a person:
// every label value comes from the code (endpoint templates, loader names, error codes, states), never from
// ThoughtSpot's data. The one value a caller chooses, the GraphQL operation name, is admitted only when it is a
// plain GraphQL name of at most 64 characters and only for the first MAX_OPERATION_LABELS distinct names; every other
// operation counts under `(other)`, and unnamed ones under `(anonymous)`. Connection ids (which may name a customer)
// and Org ids are never labels. Operators should still scrape it on the pod network rather than route it publicly.

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ThoughtSpotClient, UpstreamCallEvent } from '../thoughtspot/index.js';

/** Distinct operation names that get their own series; later names count under OTHER_OPERATION. */
export const MAX_OPERATION_LABELS = 100;
/** The label of operations whose name is not admitted (see the header). */
export const OTHER_OPERATION = '(other)';
/** The label of operations without a name. */
export const ANONYMOUS_OPERATION = '(anonymous)';

// A GraphQL Name (spec §2.1.9) of at most 64 characters: anything else is not a name a client chose for a dashboard.
const OPERATION_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/;
// Error codes are SCREAMING_SNAKE from one enum (errors/codes.ts) or Apollo's; anything else is counted as OTHER.
const ERROR_CODE = /^[A-Z][A-Z0-9_]{0,63}$/;

/** Buckets of request latency in seconds: a cached lookup takes milliseconds, a deep query over many Orgs seconds. */
const REQUEST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25];
/** Buckets of one upstream attempt in seconds. */
const UPSTREAM_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20];
/** Buckets of a rate-limit wait in seconds (0 is an attempt that did not wait). */
const WAIT_BUCKETS = [0, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5];
/** Buckets of a loader batch's key count. */
const BATCH_BUCKETS = [1, 2, 5, 10, 25, 50, 100, 250, 1000];

/** How a GraphQL request ended: no errors, errors beside data, or errors and no data. */
export type OperationOutcome = 'success' | 'partial' | 'error';

/** One finished GraphQL request, as the metrics plugin reports it. */
export interface OperationSample {
  readonly name: string | null;
  /** `query`, `mutation`, or null when the document never resolved to an operation (parse or validation failure). */
  readonly type: string | null;
  readonly outcome: OperationOutcome;
  readonly durationMs: number;
  /** `extensions.code` of every error in the response. */
  readonly errorCodes: readonly string[];
}

/** The routes of the HTTP server, as the request counter labels them. */
export type HttpRoute = 'graphql' | 'health' | 'ready' | 'metrics' | 'other';

/** The app's metrics. */
export interface Metrics {
  readonly registry: Registry;
  /** The registry in Prometheus text format, and its content type. */
  scrape(): Promise<{ readonly contentType: string; readonly body: string }>;
  /** One upstream attempt (the adapter's `onUpstreamCall`). */
  upstreamCall(event: UpstreamCallEvent): void;
  /** One GraphQL request. */
  operation(sample: OperationSample): void;
  /** One HTTP response, after it was sent. */
  httpResponse(route: HttpRoute, status: number): void;
  /** One loader batch. */
  loaderBatch(loader: string, size: number): void;
}

/** What the collectors read at scrape time. */
export interface MetricsSources {
  /** Every open ThoughtSpot client (the default connection's and the registered connections'). */
  readonly clients: () => Iterable<ThoughtSpotClient>;
  /** GraphQL operations executing and waiting for a turn (plugins/execution-gate.ts). */
  readonly executions: () => { readonly running: number; readonly queued: number };
}

/** Creates the metrics of one app in a registry of their own. */
export function createMetrics(sources: MetricsSources): Metrics {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry });

  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]): Counter<L> =>
    new Counter({ name, help, labelNames, registers });
  const histogram = <L extends string>(name: string, help: string, labelNames: readonly L[], buckets: number[]): Histogram<L> =>
    new Histogram({ name, help, labelNames, buckets, registers });

  const operations = counter(
    'graphql_operations_total',
    'GraphQL requests by operation name (bounded, see README Operations), operation type and outcome (success, partial, error).',
    ['operation', 'type', 'outcome'],
  );
  const operationDuration = histogram(
    'graphql_request_duration_seconds',
    'Time from the start of a GraphQL request to its response, by operation name (bounded) and type.',
    ['operation', 'type'],
    REQUEST_BUCKETS,
  );
  const errors = counter('graphql_errors_total', 'Errors in GraphQL responses, by extensions.code.', ['code']);
  const httpResponses = counter('http_responses_total', 'HTTP responses by route (graphql, health, ready, metrics, other) and status code.', [
    'route',
    'status',
  ]);
  const upstreamCalls = counter(
    'thoughtspot_upstream_calls_total',
    'HTTP attempts sent to ThoughtSpot (retries and token mints included), by contract endpoint and status ("none" when no response arrived).',
    ['endpoint', 'status'],
  );
  const upstreamDuration = histogram(
    'thoughtspot_upstream_duration_seconds',
    'Time on the wire of one ThoughtSpot attempt (queueing excluded), by contract endpoint.',
    ['endpoint'],
    UPSTREAM_BUCKETS,
  );
  const retries = counter(
    'thoughtspot_upstream_retries_total',
    'ThoughtSpot attempts after the first of their call (retries and re-sends after a token refresh), by contract endpoint.',
    ['endpoint'],
  );
  const rateLimitWait = histogram(
    'thoughtspot_rate_limit_wait_seconds',
    'Time an attempt waited for a slot of the client-side rate limiter (0 when it did not wait).',
    [],
    WAIT_BUCKETS,
  );
  const tokenMints = counter(
    'thoughtspot_token_mints_total',
    'Token mint attempts: kind "service" (the adapter signing in to an Org), "user" or "object" (tokens minted for end users); outcome ok or error.',
    ['kind', 'outcome'],
  );
  const rowsRead = counter('thoughtspot_rows_read_total', 'Records read from ThoughtSpot list answers (the searches), by contract endpoint.', [
    'endpoint',
  ]);
  const batchSize = histogram('dataloader_batch_size', 'Keys per DataLoader batch, by loader.', ['loader'], BATCH_BUCKETS);
  new Gauge({
    name: 'graphql_executions',
    help: 'GraphQL operations executing ("running"; together they weigh at most EXECUTION_CAPACITY) and waiting for a turn ("queued").',
    labelNames: ['state'] as const,
    registers,
    collect() {
      const { running, queued } = sources.executions();
      this.set({ state: 'running' }, running);
      this.set({ state: 'queued' }, queued);
    },
  });
  new Gauge({
    name: 'thoughtspot_circuit_breakers',
    help: 'ThoughtSpot clients (one per connection) whose circuit breaker is in each state (closed, open, half-open).',
    labelNames: ['state'] as const,
    registers,
    collect() {
      const counts = { closed: 0, open: 0, 'half-open': 0 };
      for (const client of sources.clients()) {
        const state = client.status?.().breaker;
        if (state !== undefined) counts[state] += 1;
      }
      for (const [state, count] of Object.entries(counts)) this.set({ state }, count);
    },
  });
  new Gauge({
    name: 'thoughtspot_client_requests',
    help: 'ThoughtSpot requests of every client now: on the wire (in_flight) or waiting for a concurrency or rate-limit slot (queued).',
    labelNames: ['phase'] as const,
    registers,
    collect() {
      let inFlight = 0;
      let queued = 0;
      for (const client of sources.clients()) {
        const status = client.status?.();
        inFlight += status?.inFlight ?? 0;
        queued += status?.queued ?? 0;
      }
      this.set({ phase: 'in_flight' }, inFlight);
      this.set({ phase: 'queued' }, queued);
    },
  });

  const admitted = new Set<string>();
  const operationLabel = (name: string | null): string => {
    if (name === null || name === '') return ANONYMOUS_OPERATION;
    if (admitted.has(name)) return name;
    if (!OPERATION_NAME.test(name) || admitted.size >= MAX_OPERATION_LABELS) return OTHER_OPERATION;
    admitted.add(name);
    return name;
  };

  return {
    registry,
    async scrape() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
    upstreamCall(event) {
      const endpoint = event.endpoint;
      upstreamCalls.inc({ endpoint, status: event.status === null ? 'none' : String(event.status) });
      upstreamDuration.observe({ endpoint }, event.durationMs / 1000);
      if (event.attempt > 1) retries.inc({ endpoint });
      if (event.rateLimitWaitMs !== undefined) rateLimitWait.observe(event.rateLimitWaitMs / 1000);
      if (event.rows !== undefined) rowsRead.inc({ endpoint }, event.rows);
      const kind = event.serviceTokenMint === true ? 'service' : tokenKind(endpoint);
      if (kind !== null) {
        const ok = event.status !== null && event.status >= 200 && event.status < 300;
        tokenMints.inc({ kind, outcome: ok ? 'ok' : 'error' });
      }
    },
    operation(sample) {
      const operation = operationLabel(sample.name);
      const type = sample.type ?? 'unknown';
      operations.inc({ operation, type, outcome: sample.outcome });
      operationDuration.observe({ operation, type }, sample.durationMs / 1000);
      for (const code of sample.errorCodes) errors.inc({ code: ERROR_CODE.test(code) ? code : 'OTHER' });
    },
    httpResponse(route, status) {
      httpResponses.inc({ route, status: String(status) });
    },
    loaderBatch(loader, size) {
      batchSize.observe({ loader }, size);
    },
  };
}

// Private: the end users' token mints, told apart by endpoint (the service's own are flagged by the adapter).
function tokenKind(endpoint: string): 'user' | 'object' | null {
  if (endpoint.endsWith('/auth/token/full')) return 'user';
  if (endpoint.endsWith('/auth/token/object')) return 'object';
  return null;
}
