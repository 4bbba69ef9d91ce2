// Fault soak (`npm run bench -- soak`; `SOAK_SECONDS=10 SOAK_CLIENTS=8 npm run bench -- soak` for a quick run).
//
// The subgraph serves HTTP on 127.0.0.1 in front of the emulator (demo seed), configured as in production: the
// adapter's default pacing (THOUGHTSPOT_RATE_LIMIT_RPS 90, burst 5), the emulator enforcing ThoughtSpot's documented
// limit (100 requests/s per client IP, burst 10), and the default request deadline and upstream call budget.
// SOAK_CLIENTS (50) closed-loop HTTP clients send a seeded mix of the README's queries for SOAK_SECONDS (60): nested
// Organizations → groups → members → roles, lookups by ID and by natural key, `nodes(ids:)` and `_entities`.
// One upstream call in ten fails (see FAULT_CYCLE). The run stops by itself: clients stop sending at the end of the
// window (or after SOAK_MAX_REQUESTS), and a request the subgraph has not answered REQUEST_DEADLINE_MS + 15 s after
// it was sent is abandoned and counted as failed.
//
// About "10 % of upstream calls fail": the emulator's faults are deterministic (`times`, `after`); FaultSpec has no
// probability. This suite therefore installs, before the run, one single-use fault per tenth call: fault k has
// `after: 9(k+1), times: 1` on route '*', so it takes exactly the 10th, 20th, 30th… call reaching the fault stage
// (calls the emulator's rate limiter answers with 429 never get there). Kinds rotate through FAULT_CYCLE in a seeded
// shuffled order. This is a fixed 1-in-10 schedule, not a Bernoulli(0.1) process: failures are never clustered, so
// it under-exercises the circuit breaker (5 consecutive unhealthy attempts open it), which a random process would
// trip now and then. See the report printed at the end for the breaker transitions observed.
//
// What it reports: requests by outcome (ok: data and no errors; partial: data and errors; failed: no data, a
// non-200 answer or no answer), the error-code histogram (per error, and per request), INTERNAL_SERVER_ERROR (must be
// 0), latency percentiles, requests over the deadline (must be 0: the slowest answer must stay under
// REQUEST_DEADLINE_MS + DEADLINE_MARGIN_MS), circuit-breaker openings (from the adapter's own log lines: the suite
// gives the app a logger, see support/load.ts), the emulator's 429s and its observed request rate.

import { mulberry32 } from '../../support/random.js';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fault, type Fault, type FaultSpec } from '../../../src/emulator/index.js';
import { toGlobalId } from '../../../src/relay/global-id.js';
import {
  CLI_CALL_LOG_LIMIT,
  createGraphQLClient,
  emulatorWindow,
  envInteger,
  formatCounts,
  increment,
  ms,
  percentile,
  requestLimits,
  sortedCopy,
  startLoadStack,
  table,
  type Exchange,
  type LoadStack,
} from '../support/load.js';
import { record } from '../support/report.js';

/** Every FAULT_EVERY-th upstream call fails. */
const FAULT_EVERY = 10;
/** Slack on top of REQUEST_DEADLINE_MS for the answer to travel back (the deadline is checked inside the server). */
const DEADLINE_MARGIN_MS = 1_000;
/** The client abandons a request this long after the deadline (so a stuck server cannot hang the soak). */
const CLIENT_GRACE_MS = 15_000;
const SEED = 20_240_611;

/**
 * One cycle of fault kinds, each used once per cycle in a shuffled order. Slow answers hold one of the adapter's 16
 * concurrency slots while they last, so they are kept short and few: at ~90 calls/s, the 1 s, 3 s and 11 s kinds hold
 * about 1.4, 2.7 and 4.5 slots on average. 11 s is past the adapter's 10 s headers timeout, so that answer is a
 * timeout (then retried).
 */
const FAULT_CYCLE: readonly { readonly name: string; readonly spec: FaultSpec }[] = [
  { name: '500 json', spec: { status: 500 } },
  { name: '500 json', spec: { status: 500 } },
  { name: '500 json', spec: { status: 500 } },
  { name: '502 html', spec: { status: 502, body: 'html' } },
  { name: '502 html', spec: { status: 502, body: 'html' } },
  { name: '502 json', spec: { status: 502 } },
  { name: '503 json', spec: { status: 503 } },
  { name: '503 json', spec: { status: 503 } },
  { name: '503 maintenance', spec: { status: 503, body: 'maintenance' } },
  { name: '503 maintenance', spec: { status: 503, body: 'maintenance' } },
  { name: 'reset', spec: { reset: true } },
  { name: 'reset', spec: { reset: true } },
  { name: 'reset', spec: { reset: true } },
  { name: 'reset', spec: { reset: true } },
  { name: 'slow 1 s', spec: { latencyMs: 1_000 } },
  { name: 'slow 1 s', spec: { latencyMs: 1_000 } },
  { name: 'slow 1 s', spec: { latencyMs: 1_000 } },
  { name: 'slow 3 s', spec: { latencyMs: 3_000 } },
  { name: 'slow 3 s', spec: { latencyMs: 3_000 } },
  { name: 'slow 11 s (past the 10 s headers timeout)', spec: { latencyMs: 11_000 } },
];

/** The single-use faults that make every FAULT_EVERY-th call fail, enough for `calls` calls. */
function faultSchedule(calls: number, random: () => number): Fault[] {
  const faults: Fault[] = [];
  const count = Math.ceil(calls / FAULT_EVERY);
  let cycle: (typeof FAULT_CYCLE)[number][] = [];
  for (let k = 0; k < count; k++) {
    if (cycle.length === 0) {
      cycle = [...FAULT_CYCLE];
      for (let i = cycle.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [cycle[i], cycle[j]] = [cycle[j] as (typeof cycle)[number], cycle[i] as (typeof cycle)[number]];
      }
    }
    const kind = cycle.pop() as (typeof FAULT_CYCLE)[number];
    // Every installed fault sees every call until one applies; faults before k took k calls, so fault k sees the
    // (FAULT_EVERY·(k+1))-th call as its (FAULT_EVERY·(k+1) − k)-th and applies to it.
    faults.push(fault('*', { ...kind.spec, times: 1, after: (FAULT_EVERY - 1) * (k + 1) }));
  }
  return faults;
}

interface Request {
  readonly kind: string;
  readonly query: string;
  readonly variables?: Record<string, unknown>;
}

/** The README's queries over the demo seed, drawn from a seeded generator. */
function queryMix(stack: LoadStack, random: () => number): () => Request {
  const state = stack.emulator.state;
  const id = stack.connectionId;
  const orgs = [...state.orgs.values()];
  const users = [...state.users.values()].filter((u) => !u.hidden && u.orgIds.size > 0);
  const groups = orgs.flatMap((o) => [...o.groups.values()]);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const some = <T>(items: readonly T[], max: number): T[] => Array.from({ length: 1 + Math.floor(random() * max) }, () => pick(items));
  const userId = (u: (typeof users)[number]) => toGlobalId(id, { typename: 'User', guid: u.id });
  const groupId = (g: (typeof groups)[number]) => toGlobalId(id, { typename: 'Group', orgId: g.orgId, guid: g.id });
  const orgId = (o: (typeof orgs)[number]) => toGlobalId(id, { typename: 'Organization', orgId: o.id });

  const nested: (() => Request)[] = [
    () => ({
      kind: 'nested',
      query: `{ organizations(first: 3) { nodes { name groups(first: 10) { nodes { name
        members(first: 20) { nodes { username roles { nodes { name } } } } } } } } }`,
    }),
    () => ({
      kind: 'nested',
      query: `query FirstLook { organizations(first: 3) { totalCount nodes { name groups(first: 5) { nodes { name
        members(first: 5) { nodes { username displayName roles(first: 5) { nodes { name } } } } } } } } }`,
    }),
  ];
  const lookups: (() => Request)[] = [
    () => ({ kind: 'lookup', query: 'query ($id: ID!) { user(id: $id) { username displayName groups { nodes { name } } } }', variables: { id: userId(pick(users)) } }),
    () => ({ kind: 'lookup', query: 'query ($id: ID!) { group(id: $id) { name members(first: 10) { nodes { username } } roles { nodes { name } } } }', variables: { id: groupId(pick(groups)) } }),
    () => ({ kind: 'lookup', query: 'query ($id: ID!) { organization(id: $id) { name groups(first: 5) { nodes { name } } } }', variables: { id: orgId(pick(orgs)) } }),
    () => ({ kind: 'lookup', query: 'query ($n: String!) { organizationByName(name: $n) { name } }', variables: { n: pick(orgs).name } }),
    () => ({ kind: 'lookup', query: 'query ($u: String!) { userByUsername(username: $u) { username email organizations { nodes { name } } } }', variables: { u: pick(users).name } }),
  ];
  const nodes = (): Request => ({
    kind: 'nodes',
    query: `query ($ids: [ID!]!) { nodes(ids: $ids) { id ... on User { username groups { nodes { name } } }
      ... on Group { name } ... on Organization { name } } }`,
    variables: { ids: [...some(users, 30).map(userId), ...some(groups, 3).map(groupId), ...(random() < 0.5 ? [orgId(pick(orgs))] : [])] },
  });
  const entities = (): Request => ({
    kind: '_entities',
    query: `query ($r: [_Any!]!) { _entities(representations: $r) { ... on User { username displayName }
      ... on Organization { name } ... on Group { name } } }`,
    variables: {
      r: [
        ...some(users, 30).map((u) => ({ __typename: 'User', username: u.name })),
        ...some(orgs, 2).map((o) => ({ __typename: 'Organization', name: o.name })),
        ...(random() < 0.5 ? [{ __typename: 'Group', id: groupId(pick(groups)) }] : []),
      ],
    },
  });
  return () => {
    const r = random();
    if (r < 0.2) return pick(nested)();
    if (r < 0.6) return pick(lookups)();
    if (r < 0.8) return nodes();
    return entities();
  };
}

function codesOf(exchange: Exchange): string[] {
  return exchange.errors.map((e) => String(e.extensions?.['code'] ?? 'NO_CODE'));
}

export async function run(): Promise<void> {
  const seconds = envInteger('SOAK_SECONDS', 60);
  const clients = envInteger('SOAK_CLIENTS', 50);
  const maxRequests = envInteger('SOAK_MAX_REQUESTS', 200_000);
  const latencyMs = envInteger('SOAK_LATENCY_MS', 0, 0);
  const stack = await startLoadStack({ seed: 'demo', ...(latencyMs > 0 ? { latencyMs } : {}) });
  const limits = requestLimits(stack.config);
  const client = createGraphQLClient(stack.url, clients, limits.deadlineMs + CLIENT_GRACE_MS);
  const random = mulberry32(SEED);
  try {
    const next = queryMix(stack, random);
    // More faults than the emulator can let through in the window at its own limit, so the schedule never runs out.
    const schedule = faultSchedule(Math.ceil((seconds + 30) * 110 * 1.2), random);
    const rate = stack.config.upstream.rateLimit;
    process.stdout.write(
      [
        `Fault soak: ${clients} HTTP clients for ${seconds} s (max ${maxRequests} requests) against http://127.0.0.1 (subgraph) → emulator (demo seed${latencyMs > 0 ? `, +${latencyMs} ms a call` : ''}), Node ${process.versions.node}`,
        `adapter pacing ${rate === null ? 'off' : `${rate.requestsPerSecond}/s burst ${rate.burst}`}; emulator limit ${stack.emulator.rateLimit.enabled ? `${stack.emulator.rateLimit.requestsPerSecond}/s burst ${stack.emulator.rateLimit.burst}` : 'off'}; ` +
          `REQUEST_DEADLINE_MS ${limits.deadlineMs}, REQUEST_MAX_UPSTREAM_CALLS ${limits.maxUpstreamCalls} (${limits.wired ? 'from the app config' : 'NOT in the app config yet: documented defaults assumed'})`,
        `faults: every ${FAULT_EVERY}th upstream call (deterministic schedule, ${schedule.length} single-use faults on '*'), kinds per cycle of ${FAULT_CYCLE.length}: ${formatCounts(new Map(Object.entries(FAULT_CYCLE.reduce<Record<string, number>>((acc, f) => ({ ...acc, [f.name]: (acc[f.name] ?? 0) + 1 }), {}))))}`,
        '',
      ].join('\n'),
    );

    // Warm-up, outside the measured window and before the faults: one token per Org, connections open.
    for (let i = 0; i < 4; i++) {
      const request = next();
      await client.send('warmup', request.query, request.variables);
    }
    await client.send('warmup', '{ organizations(first: 100) { nodes { name groups(first: 1) { nodes { name } } } } }');

    await stack.emulator.use(schedule);
    const exchanges: Exchange[] = [];
    const status = { samples: 0, open: 0, maxQueued: 0, queued: [] as number[] };
    // The event loop this process shares between the subgraph and the 50 clients (the emulator has its own).
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    const started = performance.now();
    const startedEpoch = Date.now();
    const endAt = started + seconds * 1_000;
    let sent = 0;
    const poller = setInterval(() => {
      const s = stack.app.client.status?.();
      if (s === undefined) return;
      status.samples += 1;
      if (s.breaker !== 'closed') status.open += 1;
      status.maxQueued = Math.max(status.maxQueued, s.queued);
      status.queued.push(s.queued);
    }, 100);
    const progress = setInterval(() => {
      const done = exchanges.length;
      const failed = exchanges.filter((e) => e.outcome === 'failed').length;
      const partial = exchanges.filter((e) => e.outcome === 'partial').length;
      process.stdout.write(`  t=${((performance.now() - started) / 1000).toFixed(0)} s: ${done} answered (${partial} partial, ${failed} failed), ${sent - done} in flight\n`);
    }, 10_000);
    const loop = async (): Promise<void> => {
      while (performance.now() < endAt && sent < maxRequests) {
        sent += 1;
        const request = next();
        exchanges.push(await client.send(request.kind, request.query, request.variables));
      }
    };
    try {
      await Promise.all(Array.from({ length: clients }, loop));
    } finally {
      clearInterval(poller);
      clearInterval(progress);
    }
    loopDelay.disable();
    const elapsed = (performance.now() - started) / 1000;
    const endedEpoch = Date.now();

    // ---- report ----
    const byOutcome = new Map<string, number>();
    const errorCodes = new Map<string, number>();
    const requestCodes = new Map<string, number>();
    const partialCodes = new Map<string, number>();
    const failedCodes = new Map<string, number>();
    const transport = new Map<string, number>();
    let breakerRefusals = 0;
    for (const e of exchanges) {
      increment(byOutcome, e.outcome);
      const codes = codesOf(e);
      for (const code of codes) increment(errorCodes, code);
      for (const code of new Set(codes)) {
        increment(requestCodes, code);
        if (e.outcome === 'partial') increment(partialCodes, code);
        if (e.outcome === 'failed') increment(failedCodes, code);
      }
      if (e.outcome === 'failed' && codes.length === 0) increment(failedCodes, e.transportError !== null ? 'no answer' : `HTTP ${e.status}, no errors`);
      if (e.transportError !== null) increment(transport, e.transportError.replace(/\d+/g, 'N').slice(0, 120));
      breakerRefusals += e.errors.filter((err) => err.extensions?.['code'] === 'UPSTREAM_UNAVAILABLE' && typeof err.extensions['retryAfterMs'] === 'number').length;
    }
    const latencies = sortedCopy(exchanges.map((e) => e.latencyMs));
    const internal = errorCodes.get('INTERNAL_SERVER_ERROR') ?? 0;
    const overDeadline = exchanges.filter((e) => e.latencyMs > limits.deadlineMs).length;
    const overMargin = exchanges.filter((e) => e.latencyMs > limits.deadlineMs + DEADLINE_MARGIN_MS).length;
    const maxLatency = latencies.at(-1) ?? Number.NaN;

    const kinds = [...new Set(exchanges.map((e) => e.kind))].sort();
    const kindRows = kinds.map((kind) => {
      const mine = exchanges.filter((e) => e.kind === kind);
      const sorted = sortedCopy(mine.map((e) => e.latencyMs));
      const count = (o: Exchange['outcome']) => String(mine.filter((e) => e.outcome === o).length);
      const upstream = sortedCopy(mine.flatMap((e) => {
        const entry = stack.requestLog.get(e.requestId);
        return entry === undefined ? [] : [entry.upstreamCalls];
      }));
      return [
        kind,
        String(mine.length),
        count('ok'),
        count('partial'),
        count('failed'),
        ms(percentile(sorted, 50)),
        ms(percentile(sorted, 95)),
        ms(percentile(sorted, 99)),
        ms(sorted.at(-1) ?? Number.NaN),
        `${percentile(upstream, 50)} / ${percentile(upstream, 99)} / ${upstream.at(-1) ?? 'n/a'}`,
      ];
    });

    const upstreamPerRequest = sortedCopy([...stack.requestLog.values()].map((e) => e.upstreamCalls));
    const budgetHit = errorCodes.get('UPSTREAM_BUDGET_EXCEEDED') ?? 0;
    const records = await stack.emulator.calls();
    const window = emulatorWindow(records, startedEpoch, endedEpoch);
    const totalFaulted = [...window.faulted.values()].reduce((a, b) => a + b, 0);
    const openings = stack.logs.breaker.filter((l) => l.fields['to'] === 'open');
    const breakerLines = stack.logs.breaker.map(
      (l) => `    t=${((l.at - started) / 1000).toFixed(1)} s ${l.message} (consecutive failures ${String(l.fields['consecutiveFailures'])})`,
    );
    const masked = stack.logs.problems.filter((l) => l.message.includes('internal error'));
    const otherProblems = new Map<string, number>();
    for (const l of stack.logs.problems) if (!l.message.includes('internal error')) increment(otherProblems, `${l.level} ${l.message}`);

    const lines = [
      '',
      `Requests: ${exchanges.length} in ${elapsed.toFixed(1)} s (${(exchanges.length / elapsed).toFixed(1)}/s); ${formatCounts(byOutcome)}`,
      `  partial, requests carrying each code: ${formatCounts(partialCodes)}`,
      `  failed, requests carrying each code: ${formatCounts(failedCodes)}`,
      `Error codes (every error): ${formatCounts(errorCodes)}`,
      `Error codes (requests carrying the code): ${formatCounts(requestCodes)}`,
      `INTERNAL_SERVER_ERROR: ${internal}${internal === 0 ? ' (OK)' : ' (FAIL: must be 0)'}`,
      `Transport failures (no usable answer): ${formatCounts(transport)}`,
      '',
      `Latency (client side, all requests): p50 ${ms(percentile(latencies, 50))}, p95 ${ms(percentile(latencies, 95))}, p99 ${ms(percentile(latencies, 99))}, max ${ms(maxLatency)}`,
      `Over REQUEST_DEADLINE_MS (${limits.deadlineMs} ms): ${overDeadline}; over it + ${DEADLINE_MARGIN_MS} ms margin: ${overMargin}${overMargin === 0 ? ' (OK)' : ' (FAIL: must be 0)'}; DEADLINE_EXCEEDED errors in ${requestCodes.get('DEADLINE_EXCEEDED') ?? 0} requests`,
      '',
      table(['query', 'requests', 'ok', 'partial', 'failed', 'p50', 'p95', 'p99', 'max', 'upstream calls p50 / p99 / max'], kindRows),
      '',
      `Upstream calls per GraphQL request (request log, retries and mints included): p50 ${percentile(upstreamPerRequest, 50)}, p99 ${percentile(upstreamPerRequest, 99)}, max ${upstreamPerRequest.at(-1) ?? 'n/a'}; UPSTREAM_BUDGET_EXCEEDED errors: ${budgetHit}`,
      `Circuit breaker (adapter log lines): ${openings.length} opening(s), ${stack.logs.breaker.length} transition(s)${breakerLines.length > 0 ? ':' : ''}`,
      ...breakerLines.slice(0, 30),
      `  UPSTREAM_UNAVAILABLE errors with retryAfterMs (calls refused by an open breaker): ${breakerRefusals}`,
      `  adapter status polled every 100 ms: breaker not closed in ${status.open} of ${status.samples} samples; calls queued for a rate/concurrency slot: median ${percentile(sortedCopy(status.queued), 50)}, max ${status.maxQueued}`,
      `Emulator (${stack.emulator.mode === 'process' ? 'CLI in its own process' : 'in this process'}) over the window (${window.spanSeconds.toFixed(1)} s): ${window.calls} calls, ${window.rateLimited} answered 429 by its rate limiter; mean ${window.meanRate.toFixed(1)} calls/s (${window.meanAcceptedRate.toFixed(1)}/s past the limiter); per whole second: median ${window.perSecondMedian}, max ${window.perSecondMax}; most in any 100 ms: ${window.per100msMax}`,
      `  statuses: ${formatCounts(window.statuses)}${records.length >= CLI_CALL_LOG_LIMIT && stack.emulator.mode === 'process' ? ` (WARNING: the call log holds ${records.length} calls, its limit: older calls of the window were dropped)` : ''}`,
      `  injected faults: ${totalFaulted} (${((100 * totalFaulted) / Math.max(1, window.calls - window.rateLimited)).toFixed(1)} % of the calls past the limiter): ${formatCounts(window.faulted)}`,
      `Event-loop delay of the subgraph's process over the window: p50 ${ms(loopDelay.percentile(50) / 1e6)}, p99 ${ms(loopDelay.percentile(99) / 1e6)}, max ${ms(loopDelay.max / 1e6)}`,
      `App warn/error log lines: ${formatCounts(otherProblems)}`,
      `Masked internal errors logged: ${masked.length}`,
      ...masked.slice(0, 5).map((l) => `    ${JSON.stringify(l.fields).slice(0, 600)}`),
      '',
    ];
    process.stdout.write(lines.join('\n'));
    const kindHeader = ['query', 'requests', 'ok', 'partial', 'failed', 'p50', 'p95', 'p99', 'max', 'upstream calls p50 / p99 / max'];
    record({
      title: `Fault soak: ${clients} clients × ${seconds} s, every ${FAULT_EVERY}th upstream call failing`,
      description: [
        `${clients} HTTP clients for ${seconds} s send a seeded mix of nested queries, lookups, \`nodes\` and \`_entities\` while every ${FAULT_EVERY}th upstream call fails ` +
          '(resets, 500/502/503, maintenance pages, answers delayed 1, 3 and 11 s), with production pacing and the emulator\'s 100/s limit. ' +
          '`partial` answers carry data with coded errors on the nulled parts (by design: plain 500s are not retried); the invariants are no ' +
          '`INTERNAL_SERVER_ERROR` and no answer later than the request deadline plus 1 s.',
      ],
      tables: [
        {
          header: ['', 'value'],
          rows: [
            ['requests', `${exchanges.length} in ${elapsed.toFixed(1)} s (${(exchanges.length / elapsed).toFixed(1)}/s): ${formatCounts(byOutcome)}`],
            ['error codes (requests carrying each)', formatCounts(requestCodes)],
            ['latency p50 / p95 / p99 / max', `${ms(percentile(latencies, 50))} / ${ms(percentile(latencies, 95))} / ${ms(percentile(latencies, 99))} / ${ms(maxLatency)}`],
            ['circuit breaker', `${openings.length} opening(s), ${stack.logs.breaker.length} transition(s)`],
            ['emulator', `${window.calls} calls, ${((100 * totalFaulted) / Math.max(1, window.calls - window.rateLimited)).toFixed(1)} % faulted, median ${window.perSecondMedian} calls/s, ${window.rateLimited} answered 429`],
          ],
        },
        { header: kindHeader, rows: kindRows },
      ],
      verdicts: [
        `INTERNAL_SERVER_ERROR: ${internal} → ${internal === 0 ? 'met (zero)' : 'NOT MET'}`,
        `answered later than REQUEST_DEADLINE_MS + ${DEADLINE_MARGIN_MS} ms: ${overMargin} → ${overMargin === 0 ? 'met (zero)' : 'NOT MET'}`,
      ],
      data: {
        clients,
        seconds,
        requests: exchanges.length,
        outcomes: Object.fromEntries(byOutcome),
        errorCodes: Object.fromEntries(requestCodes),
        latencyMs: { p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99), max: maxLatency },
        internalServerErrors: internal,
        overDeadline: overMargin,
        breakerOpenings: openings.length,
        emulator: { calls: window.calls, rateLimited: window.rateLimited, faulted: totalFaulted, perSecondMedian: window.perSecondMedian },
      },
    });
    const failures = [
      ...(internal > 0 ? [`${internal} INTERNAL_SERVER_ERROR`] : []),
      ...(overMargin > 0 ? [`${overMargin} requests answered after REQUEST_DEADLINE_MS + ${DEADLINE_MARGIN_MS} ms`] : []),
    ];
    if (failures.length > 0) throw new Error(`soak invariants broken: ${failures.join('; ')}`);
  } finally {
    await client.close();
    await stack.close();
  }
}
