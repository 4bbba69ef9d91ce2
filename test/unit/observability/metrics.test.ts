import { describe, expect, it } from 'vitest';
import { ANONYMOUS_OPERATION, createMetrics, MAX_OPERATION_LABELS, OTHER_OPERATION } from '../../../src/observability/index.js';
import type { ThoughtSpotClient, UpstreamCallEvent } from '../../../src/thoughtspot/index.js';
import { byLabel, parseMetrics, total } from '../../support/prometheus.js';

const EVENT: UpstreamCallEvent = { endpoint: 'POST /api/rest/2.0/users/search', orgId: 0, status: 200, durationMs: 12, attempt: 1, errorCode: null };

async function samples(metrics: ReturnType<typeof createMetrics>): Promise<ReturnType<typeof parseMetrics>> {
  return parseMetrics((await metrics.scrape()).body);
}

const sample = { type: 'query', outcome: 'success', durationMs: 5, errorCodes: [] } as const;
const idle = () => ({ running: 0, queued: 0 });

describe('createMetrics', () => {
  it('labels operations by name only for the first 100 plain GraphQL names; the rest count as (other)', async () => {
    const metrics = createMetrics({ clients: () => [], executions: idle });
    for (let i = 0; i < MAX_OPERATION_LABELS; i += 1) metrics.operation({ ...sample, name: `Op${i}` });
    metrics.operation({ ...sample, name: 'OneTooMany' });
    metrics.operation({ ...sample, name: 'Op0' });
    metrics.operation({ ...sample, name: 'not a name' });
    metrics.operation({ ...sample, name: `A${'b'.repeat(64)}` });
    metrics.operation({ ...sample, name: null });
    const counts = byLabel(await samples(metrics), 'graphql_operations_total', 'operation');
    expect(Object.keys(counts)).toHaveLength(MAX_OPERATION_LABELS + 2);
    expect(counts).toMatchObject({ Op0: 2, Op99: 1, [OTHER_OPERATION]: 3, [ANONYMOUS_OPERATION]: 1 });
    expect(counts['OneTooMany']).toBeUndefined();
  });

  it('counts error codes from the closed set, and anything else as OTHER', async () => {
    const metrics = createMetrics({ clients: () => [], executions: idle });
    metrics.operation({ ...sample, name: 'Q', outcome: 'partial', errorCodes: ['UPSTREAM_TIMEOUT', 'UPSTREAM_TIMEOUT', 'weird code <script>'] });
    expect(byLabel(await samples(metrics), 'graphql_errors_total', 'code')).toEqual({ UPSTREAM_TIMEOUT: 2, OTHER: 1 });
  });

  it('turns adapter events into calls, durations, retries, waits, rows and token mints', async () => {
    const metrics = createMetrics({ clients: () => [], executions: idle });
    metrics.upstreamCall({ ...EVENT, rows: 7, rateLimitWaitMs: 0 });
    metrics.upstreamCall({ ...EVENT, status: null, errorCode: 'TS_ERR_NETWORK', attempt: 2, rateLimitWaitMs: 40 });
    metrics.upstreamCall({ ...EVENT, endpoint: 'POST /api/rest/2.0/auth/token/full', serviceTokenMint: true });
    metrics.upstreamCall({ ...EVENT, endpoint: 'POST /api/rest/2.0/auth/token/full', status: 401, errorCode: 'TS_ERR_UNAUTHENTICATED' });
    metrics.upstreamCall({ ...EVENT, endpoint: 'POST /api/rest/2.0/auth/token/object' });
    metrics.upstreamCall({ ...EVENT, endpoint: 'POST /api/rest/2.0/auth/token/validate' });
    const all = await samples(metrics);
    expect(byLabel(all, 'thoughtspot_upstream_calls_total', 'status')).toEqual({ '200': 4, none: 1, '401': 1 });
    expect(total(all, 'thoughtspot_upstream_duration_seconds_count')).toBe(6);
    expect(total(all, 'thoughtspot_upstream_duration_seconds_sum')).toBeCloseTo(0.072);
    expect(byLabel(all, 'thoughtspot_upstream_retries_total', 'endpoint')).toEqual({ 'POST /api/rest/2.0/users/search': 1 });
    expect(total(all, 'thoughtspot_rate_limit_wait_seconds_count')).toBe(2);
    expect(total(all, 'thoughtspot_rate_limit_wait_seconds_sum')).toBeCloseTo(0.04);
    expect(byLabel(all, 'thoughtspot_rows_read_total', 'endpoint')).toEqual({ 'POST /api/rest/2.0/users/search': 7 });
    expect(all.filter((s) => s.name === 'thoughtspot_token_mints_total').map((s) => s.labels)).toEqual(
      expect.arrayContaining([
        { kind: 'service', outcome: 'ok' },
        { kind: 'user', outcome: 'error' },
        { kind: 'object', outcome: 'ok' },
      ]),
    );
    expect(total(all, 'thoughtspot_token_mints_total')).toBe(3);
  });

  it('reads breaker states, client load and the execution gate at scrape time', async () => {
    const status = (breaker: 'closed' | 'open' | 'half-open', inFlight: number, queued: number): ThoughtSpotClient =>
      ({ status: () => ({ breaker, inFlight, queued, tokenOrgIds: [] }) }) as unknown as ThoughtSpotClient;
    const clients = [status('closed', 2, 0), status('open', 0, 3), status('closed', 1, 1)];
    let executions = { running: 3, queued: 7 };
    const metrics = createMetrics({ clients: () => clients, executions: () => executions });
    let all = await samples(metrics);
    expect(byLabel(all, 'thoughtspot_circuit_breakers', 'state')).toEqual({ closed: 2, open: 1, 'half-open': 0 });
    expect(byLabel(all, 'graphql_executions', 'state')).toEqual({ running: 3, queued: 7 });
    executions = { running: 1, queued: 0 };
    expect(byLabel(all, 'thoughtspot_client_requests', 'phase')).toEqual({ in_flight: 3, queued: 4 });
    clients.pop();
    all = await samples(metrics);
    expect(byLabel(all, 'thoughtspot_circuit_breakers', 'state')).toEqual({ closed: 1, open: 1, 'half-open': 0 });
    expect(byLabel(all, 'graphql_executions', 'state')).toEqual({ running: 1, queued: 0 });
  });

  it('keeps each app in a registry of its own', async () => {
    const one = createMetrics({ clients: () => [], executions: idle });
    const two = createMetrics({ clients: () => [], executions: idle });
    one.loaderBatch('userInOrg', 4);
    one.httpResponse('ready', 503);
    expect(total(await samples(one), 'dataloader_batch_size_sum', { loader: 'userInOrg' })).toBe(4);
    expect(total(await samples(two), 'dataloader_batch_size_count')).toBe(0);
    expect(total(await samples(one), 'http_responses_total', { route: 'ready', status: '503' })).toBe(1);
  });
});
