// Metrics (issue "Production readiness", item 2): `/metrics` scraped over HTTP around real requests. The counters move
// exactly as the calls do (the emulator's call log is the reference), operations are counted by name and outcome,
// and nothing in a label names a tenant or a person.

import { beforeAll, describe, expect, it } from 'vitest';
import { fault } from '../../../src/emulator/index.js';
import { startTestStack, useTestStack } from '../../support/harness.js';
import { lastSeq } from '../../support/graphql.js';
import { byLabel, delta, postQuery, scrape, stringsIn, total, type Sample } from './support.js';

// The client-side rate limiter stays on (fast enough to never hold a test back), so its waits are measured; one
// retry, so a fault shows in the retry counter.
const stack = useTestStack({ seed: 'demo', env: { THOUGHTSPOT_RATE_LIMIT_RPS: '10000', THOUGHTSPOT_RATE_LIMIT_BURST: '1000', THOUGHTSPOT_MAX_RETRIES: '1' } });
let url: string;

beforeAll(async () => {
  url = await stack.app.listen(0, '127.0.0.1');
});

const NESTED = `query ObsNested {
  organizations(first: 100) {
    totalCount
    nodes { name groups(first: 5) { nodes { name displayName members(first: 5) { nodes { username displayName email } } } } }
  }
}`;

/** The emulator's calls after `since`, counted by endpoint. */
function emulatorCalls(since: number): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const call of stack.emulator.calls((c) => c.seq > since)) {
    const endpoint = call.endpoint ?? `${call.method} ${call.path}`;
    counts[endpoint] = (counts[endpoint] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Scrapes before and after `work`, and what the emulator saw meanwhile. */
async function around<T>(work: () => Promise<T>): Promise<{ before: Sample[]; after: Sample[]; value: T; calls: Record<string, number> }> {
  const before = await scrape(url);
  const since = lastSeq(stack.emulator);
  const value = await work();
  const after = await scrape(url);
  return { before, after, value, calls: emulatorCalls(since) };
}

const moved = (before: Sample[], after: Sample[], name: string, labels: Record<string, string> = {}): number =>
  total(after, name, labels) - total(before, name, labels);

describe('metrics', () => {
  it('count every upstream call by endpoint and status exactly as the emulator logged them, with their durations, waits and rows', async () => {
    const { before, after, value, calls } = await around(() => postQuery(url, { query: NESTED }, { 'x-request-id': 'obs-metrics-1' }));
    expect(value.json.errors).toBeUndefined();
    const callCount = Object.values(calls).reduce((sum, n) => sum + n, 0);
    expect(callCount).toBeGreaterThan(3);

    expect(delta(byLabel(before, 'thoughtspot_upstream_calls_total', 'endpoint'), byLabel(after, 'thoughtspot_upstream_calls_total', 'endpoint'))).toEqual(calls);
    expect(delta(byLabel(before, 'thoughtspot_upstream_calls_total', 'status'), byLabel(after, 'thoughtspot_upstream_calls_total', 'status'))).toEqual({ '200': callCount });
    expect(moved(before, after, 'thoughtspot_upstream_duration_seconds_count')).toBe(callCount);
    // Every attempt passes the client-side rate limiter, token mints included.
    expect(moved(before, after, 'thoughtspot_rate_limit_wait_seconds_count')).toBe(callCount);
    expect(moved(before, after, 'thoughtspot_upstream_retries_total')).toBe(0);
    // The first request signs in: one service-token mint per Org it touched, as the emulator saw them.
    const mints = calls['POST /api/rest/2.0/auth/token/full'] ?? 0;
    expect(mints).toBeGreaterThan(0);
    expect(moved(before, after, 'thoughtspot_token_mints_total', { kind: 'service', outcome: 'ok' })).toBe(mints);
    // One orgs/search read every Organization.
    const data = value.json.data as { organizations: { totalCount: number } };
    expect(calls['POST /api/rest/2.0/orgs/search']).toBe(1);
    expect(moved(before, after, 'thoughtspot_rows_read_total', { endpoint: 'POST /api/rest/2.0/orgs/search' })).toBe(data.organizations.totalCount);
    expect(moved(before, after, 'thoughtspot_rows_read_total', { endpoint: 'POST /api/rest/2.0/users/search' })).toBeGreaterThan(0);
    // The loaders batched: fewer batches than keys.
    expect(moved(before, after, 'dataloader_batch_size_count')).toBeGreaterThan(0);
    expect(moved(before, after, 'dataloader_batch_size_sum')).toBeGreaterThan(moved(before, after, 'dataloader_batch_size_count'));
  });

  it('count operations by name, type and outcome, time them, and count the error codes they answered', async () => {
    const before = await scrape(url);
    const ok = await postQuery(url, { query: 'query ObsCount { organizations { totalCount } }' });
    expect(ok.json.errors).toBeUndefined();
    const broken = await postQuery(url, { query: 'query ObsBroken { noSuchField }', operationName: 'ObsBroken' });
    expect(broken.json.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    stack.emulator.use(fault('POST /api/rest/2.0/users/search', { status: 500 }));
    const partial = await postQuery(url, { query: 'query ObsPartial { organizations(first: 1) { totalCount nodes { users(first: 2) { nodes { username } } } } }' });
    expect(partial.json.data).not.toBeNull();
    const partialCodes = (partial.json.errors ?? []).map((error) => error.extensions?.code);
    expect(partialCodes.length).toBeGreaterThan(0);
    const after = await scrape(url);

    expect(moved(before, after, 'graphql_operations_total', { operation: 'ObsCount', type: 'query', outcome: 'success' })).toBe(1);
    expect(moved(before, after, 'graphql_operations_total', { operation: 'ObsBroken', type: 'unknown', outcome: 'error' })).toBe(1);
    expect(moved(before, after, 'graphql_operations_total', { operation: 'ObsPartial', type: 'query', outcome: 'partial' })).toBe(1);
    expect(moved(before, after, 'graphql_operations_total')).toBe(3);
    expect(moved(before, after, 'graphql_request_duration_seconds_count', { operation: 'ObsCount', type: 'query' })).toBe(1);
    expect(moved(before, after, 'graphql_errors_total', { code: 'GRAPHQL_VALIDATION_FAILED' })).toBe(1);
    for (const code of new Set(partialCodes)) {
      expect(moved(before, after, 'graphql_errors_total', { code: code as string })).toBe(partialCodes.filter((c) => c === code).length);
    }
    // The failed searches are counted with their status, retry included.
    expect(moved(before, after, 'thoughtspot_upstream_calls_total', { endpoint: 'POST /api/rest/2.0/users/search', status: '500' })).toBeGreaterThan(0);
    expect(moved(before, after, 'http_responses_total', { route: 'graphql', status: '200' })).toBe(2);
    expect(moved(before, after, 'http_responses_total', { route: 'graphql', status: '400' })).toBe(1);
  });

  it('count retries by endpoint', async () => {
    stack.emulator.use(fault('POST /api/rest/2.0/orgs/search', { status: 503, times: 1 }));
    const { before, after, value, calls } = await around(() => postQuery(url, { query: '{ organizations { totalCount } }' }));
    expect(value.json.errors).toBeUndefined();
    expect(calls['POST /api/rest/2.0/orgs/search']).toBe(2);
    expect(moved(before, after, 'thoughtspot_upstream_retries_total', { endpoint: 'POST /api/rest/2.0/orgs/search' })).toBe(1);
    expect(moved(before, after, 'thoughtspot_upstream_calls_total', { endpoint: 'POST /api/rest/2.0/orgs/search', status: '503' })).toBe(1);
    expect(moved(before, after, 'thoughtspot_upstream_calls_total', { endpoint: 'POST /api/rest/2.0/orgs/search', status: '200' })).toBe(1);
  });

  it('name no Organization, group or user, and not the caller, in any label after a nested query', async () => {
    const response = await postQuery(url, { query: NESTED }, { 'x-request-id': 'obs-request-id-secret' });
    expect(response.json.errors).toBeUndefined();
    const text = await (await fetch(new URL('metrics', url))).text();
    const names = [...new Set(stringsIn(response.json.data))].filter((value) => value.length >= 3);
    expect(names.length).toBeGreaterThan(10);
    const labelValues = new Set(
      (await scrape(url)).flatMap((sample) => Object.values(sample.labels)),
    );
    expect(names.filter((name) => labelValues.has(name))).toEqual([]);
    // E-mail addresses and usernames are nowhere in the text, nor the request id or the caller's subject.
    const people = names.filter((name) => name.includes('@') || name.includes('.'));
    expect(people.length).toBeGreaterThan(0);
    expect(people.filter((name) => text.includes(name))).toEqual([]);
    expect(text).not.toContain('obs-request-id-secret');
    expect(text).not.toContain('test-caller');
  });

  it('show the circuit breaker state and the client load', async () => {
    const samples = await scrape(url);
    expect(byLabel(samples, 'thoughtspot_circuit_breakers', 'state')).toEqual({ closed: 1, open: 0, 'half-open': 0 });
    expect(byLabel(samples, 'thoughtspot_client_requests', 'phase')).toEqual({ in_flight: 0, queued: 0 });
    // prom-client's process metrics come along.
    expect(total(samples, 'process_cpu_seconds_total')).toBeGreaterThan(0);
  });

  it('answer only GET and HEAD on /metrics', async () => {
    const response = await fetch(new URL('metrics', url), { method: 'POST' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
    const head = await fetch(new URL('metrics', url), { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  });
});

describe('metrics with METRICS_ENABLED=false', () => {
  it('are not collected, and /metrics is a 404', async () => {
    const off = await startTestStack({ seed: 'minimal', env: { METRICS_ENABLED: 'false' } });
    try {
      expect(off.app.metrics).toBeNull();
      const offUrl = await off.app.listen(0, '127.0.0.1');
      expect((await fetch(new URL('metrics', offUrl))).status).toBe(404);
      expect((await postQuery(offUrl, { query: '{ organizations { totalCount } }' })).json.errors).toBeUndefined();
    } finally {
      await off.close();
    }
  });
});
