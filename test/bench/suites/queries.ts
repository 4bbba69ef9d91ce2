// Read-path benchmark (`npm run bench -- queries`; QUERIES_QUICK=1 for a short run): the canonical queries of issue 8
// ("Read path at the contract minimum"), each measured against the minimum that issue established, plus the README's
// first query on a 20,000-user directory and the subgraph's memory under 50 concurrent clients.
//
// Per canonical query it reports, per GraphQL request:
// - upstream calls (token mints apart: the adapter caches tokens across requests, so only a cold start mints; the
//   cold mints are printed in the details), and the issue's minimum;
// - dependent levels, the critical path: the deepest chain of upstream calls each sent after the previous one's
//   answer arrived, measured at 20 ms added latency (measure.ts explains the rule), and the minimum;
// - upstream response bytes and rows (rows: the length of each search's JSON array), counted on the subgraph's side
//   by an undici interceptor on the adapter's pool, cross-checked against the emulator's call log;
// - median and p95 latency of `app.execute` (in-process, no HTTP) with 0 ms and with 20 ms added to every upstream
//   call, in alternating blocks of the same run (ABAB… then BABA…), so both see the same machine; at 20 ms the floor
//   is minimum levels × 20 ms;
// - subgraph CPU time per request: `process.cpuUsage()` (user + system, every thread of this process: GC helpers
//   included) around each block of sequential executions, summed over the blocks of a latency and divided by the
//   requests they made. The emulator runs in a child process, so its work is not in the figure; this process holds
//   only the subgraph and the driver that calls `app.execute` in a loop. Printed at 0 ms (the table) and at 20 ms
//   (the details); they should agree, since waiting costs no CPU.
// Then peak RSS of the subgraph alone in a fresh child process while QUERIES_RSS_CLIENTS (50) HTTP clients send Q1
// back to back for QUERIES_RSS_SECONDS (20) through load.ts's undici client, sampled every 100 ms in that process
// (`process.memoryUsage().rss`), beside the kernel's high-water mark (VmHWM) of the same window, and the heap after a
// forced GC (the child runs with --expose-gc) before and after the load. The child runs as the Docker image does:
// plain node on JavaScript (src transpiled file by file, measure.ts `compileSubgraph`), NODE_ENV=production, the
// image's NODE_OPTIONS (its heap ceiling; image.ts reads them from the Dockerfile) and the configuration production
// gets (measure.ts checks the child's configuration says so); under tsx an idle subgraph holds about 30 MB more RSS
// that production does not. The same load then runs twice more, each in a fresh child, for comparison: without the
// execution gate, and with V8's default heap sizing (no NODE_OPTIONS). Last, a Markdown table for the README and one
// verdict line per target.
//
// The minimums (issue 8, "What to build" table; each was verified there by building the identical answer from that
// many REST calls, every search in its own Organization with that Organization's token):
// - Q1 organizations(first:3) → groups(first:10) → members(first:20) → roles(first:10): 10 calls, 2 levels.
//   orgs/search (1); then, per Org, groups/search, whose rows carry `users`, `sub_groups` and `roles` as {id, name}
//   (3), and one users/search per Org holding a member, for member details (6 on the demo seed: the members span six
//   Orgs); effective roles close upward through `sub_groups` in memory.
// - Q5, Q1 with every page size doubled (6 / 20 / 40 / 20): 13 calls, 2 levels, the same way (1 + 6 + 6).
// - Q2 nodes(ids:) of 100 users over 6 Orgs { groups(first:10) { id name } }: 7 calls, 2 levels. orgs/search with
//   user_identifiers (1), then users/search per Org (6): its rows carry `user_groups` as {id, name}, so no
//   groups/search is needed for a group's id and name.
// - Q3 one page of a group's members: 1 call (1 level) per page: a non-empty page proves the group exists. The
//   benchmark walks a 1,000-member group 100 at a time (10 pages) and reports per page.
// - Q4 _entities of 100 users referenced by a host subgraph: 7 calls (orgs/search, then users/search per Org: 2
//   levels), already minimal.
// - The README's first query on `large:20000`: no call minimum in the issue; its target is upstream bytes under 2 MB
//   (it read 30,002 user rows, 51 MB, to return 75 members).
// Targets (issue 8, "What it must show"): calls equal to the minimum for Q1–Q5; Q1's median at 20 ms within 1.5× of
// 2 × 20 ms (goal 1.15×); the README's first query on large:20000 under 2 MB upstream; peak RSS at 50 clients under
// 200 MB (goal 150 MB). Levels equal to the minimum are shown too, though the issue states them as figures, not
// targets. MB here is 10^6 bytes (the stricter reading of "2 MB" and "200 MB").
//
// Settings (environment): QUERIES_QUICK=1 (short defaults below), QUERIES_ROUNDS (4; quick 1) rounds of one block at
// each latency, QUERIES_BLOCK (10; quick 3) executions per block (Q3: a fifth, each a 10-page walk), QUERIES_WARMUP
// (10; quick 2) unrecorded executions per query before its blocks (Q3 a fifth; the large query 1),
// QUERIES_LARGE_USERS (20000), QUERIES_LARGE_ROUNDS (2; quick 1), QUERIES_LARGE_BLOCK (3; quick 1),
// QUERIES_RSS_SECONDS (20; quick 5), QUERIES_RSS_CLIENTS (50), QUERIES_RSS_LATENCY_MS (20), QUERIES_RSS_RUNTIME
// (compiled, or tsx), QUERIES_RSS_NODE_ENV (production), QUERIES_RSS_CAPACITY (the child's EXECUTION_CAPACITY; default:
// the configuration's), QUERIES_RSS_COMPARE (1: the same load again on a child with EXECUTION_CAPACITY=10000, i.e.
// without the execution gate, and on a child with V8's default heap sizing, each reported beside it; 0: not),
// QUERIES_PARTS (a comma list of latency, large, rss; default all three). BENCH_NODE_OPTIONS replaces the image's
// NODE_OPTIONS for every subgraph child (measure.ts).

import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import type { DemoInputs } from '../support/emulator-process.js';
import { createGraphQLClient, envInteger, median, ms, percentile, sortedCopy, table, type Exchange } from '../support/load.js';
import {
  byEndpoint,
  cpuMs,
  levelsOf,
  rowsOf,
  startEmulatorProcess,
  startMeteredStack,
  startSubgraphProcess,
  type EmulatorProcess,
  type MeteredStack,
  type UpstreamCall,
} from '../support/measure.js';
import type { Operation } from '../../support/graphql.js';
import { record, type ReportTable } from '../support/report.js';

const LATENCY_MS = 20;
const MB = 1_000_000;
const LARGE_BYTES_TARGET = 2 * MB;
const RSS_TARGET = 200 * MB;
const RSS_GOAL = 150 * MB;
const Q1_RATIO_TARGET = 1.5;
const Q1_RATIO_GOAL = 1.15;

const quick = process.env['QUERIES_QUICK'] === '1';
const settings = {
  rounds: envInteger('QUERIES_ROUNDS', quick ? 1 : 4),
  block: envInteger('QUERIES_BLOCK', quick ? 3 : 10),
  warmup: envInteger('QUERIES_WARMUP', quick ? 2 : 10),
  largeUsers: envInteger('QUERIES_LARGE_USERS', 20_000),
  largeRounds: envInteger('QUERIES_LARGE_ROUNDS', quick ? 1 : 2),
  largeBlock: envInteger('QUERIES_LARGE_BLOCK', quick ? 1 : 3),
  rssSeconds: envInteger('QUERIES_RSS_SECONDS', quick ? 5 : 20),
  rssClients: envInteger('QUERIES_RSS_CLIENTS', 50),
  rssLatencyMs: envInteger('QUERIES_RSS_LATENCY_MS', LATENCY_MS, 0),
  rssRuntime: process.env['QUERIES_RSS_RUNTIME'] === 'tsx' ? ('tsx' as const) : ('compiled' as const),
  rssNodeEnv: process.env['QUERIES_RSS_NODE_ENV'] ?? 'production',
  /** EXECUTION_CAPACITY of the memory child; unset: the configuration's default. */
  rssCapacity: process.env['QUERIES_RSS_CAPACITY'],
  /**
   * Whether to measure the same load again without the execution gate and with V8's default heap sizing, side by
   * side (QUERIES_RSS_COMPARE=0: no).
   */
  rssCompare: process.env['QUERIES_RSS_COMPARE'] !== '0',
  parts: new Set((process.env['QUERIES_PARTS'] ?? 'latency,large,rss').split(',').map((p) => p.trim())),
};

const nested = (orgs: number, groups: number, members: number, roles: number): string =>
  `query Nested { organizations(first: ${orgs}) { nodes { name groups(first: ${groups}) { nodes { name ` +
  `members(first: ${members}) { nodes { username roles(first: ${roles}) { nodes { name } } } } } } } } }`;

const Q1 = nested(3, 10, 20, 10);
const Q5 = nested(6, 20, 40, 20);
/** The README's first query (the `query FirstLook` block of its quick start), read from the README itself. */
const README_FIRST = readmeFirstQuery();

function readmeFirstQuery(): string {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const block = /```graphql\n(query FirstLook \{[\s\S]*?\n\})\n```/.exec(readme)?.[1];
  if (block === undefined) throw new Error('Expected a ```graphql block starting with "query FirstLook {" in README.md, but found none.');
  return block;
}

/** Runs one GraphQL request and records its sample (duration, upstream calls). */
type Request = <T>(operation: Operation) => Promise<T>;

interface Canonical {
  readonly key: string;
  readonly title: string;
  /** What the README table calls it. */
  readonly label: string;
  /** One execution: one request, or several (Q3's walk); every request is a sample. */
  readonly execute: (request: Request) => Promise<void>;
  /** Fraction of QUERIES_BLOCK executions per block (Q3's execution is 10 requests). */
  readonly blockScale: number;
  /** Per request, from the issue; null where the issue gives none. */
  readonly minimum: { readonly calls: number | null; readonly levels: number | null };
  /** "per page" for Q3. */
  readonly unit: string;
  /** Whether "calls equal to the minimum" is a target for it. */
  readonly callTarget: boolean;
}

function demoQueries(inputs: DemoInputs): Canonical[] {
  return [
    {
      key: 'Q1',
      title: 'organizations(first:3) → groups(first:10) → members(first:20) → roles(first:10)',
      label: 'Q1 3 Orgs → 10 groups → 20 members → 10 roles',
      execute: async (request) => {
        await request({ query: Q1 });
      },
      blockScale: 1,
      minimum: { calls: 10, levels: 2 },
      unit: '',
      callTarget: true,
    },
    {
      key: 'Q5',
      title: 'Q1 with every page size doubled: organizations(first:6) → groups(20) → members(40) → roles(20)',
      label: 'Q5 Q1, page sizes doubled (6 → 20 → 40 → 20)',
      execute: async (request) => {
        await request({ query: Q5 });
      },
      blockScale: 1,
      minimum: { calls: 13, levels: 2 },
      unit: '',
      callTarget: true,
    },
    {
      key: 'Q2',
      title: `nodes(ids:) of 100 users over ${inputs.hundredOrgs} Orgs { groups(first:10) { id name } }`,
      label: 'Q2 `nodes` of 100 users { groups(first:10) { id name } }',
      execute: async (request) => {
        await request({
          query: 'query Nodes($ids: [ID!]!) { nodes(ids: $ids) { ... on User { username groups(first: 10) { nodes { id name } } } } }',
          variables: { ids: inputs.hundredIds },
        });
      },
      blockScale: 1,
      minimum: { calls: 7, levels: 2 },
      unit: '',
      callTarget: true,
    },
    {
      key: 'Q3',
      title: 'one page of a group\'s members: a 1,000-member group walked 100 a page (10 requests), per page',
      label: 'Q3 one page of a 1,000-member group (100 a page, 10 pages)',
      execute: async (request) => {
        let after: string | null = null;
        for (let page = 1; page <= 20; page++) {
          const result: { group: { members: { nodes: unknown[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } } = await request({
            query:
              'query Page($id: ID!, $after: String) { group(id: $id) { members(first: 100, after: $after) { nodes { username } pageInfo { hasNextPage endCursor } } } }',
            variables: { id: inputs.thousandId, after },
          });
          if (result.group.members.nodes.length !== 100) throw new Error(`Q3 page ${page} held ${result.group.members.nodes.length} members, not 100.`);
          if (!result.group.members.pageInfo.hasNextPage) {
            if (page !== 10) throw new Error(`Q3's walk ended after ${page} pages, not 10.`);
            return;
          }
          after = result.group.members.pageInfo.endCursor;
        }
        throw new Error('Q3\'s walk did not end after 20 pages.');
      },
      blockScale: 0.2,
      minimum: { calls: 1, levels: 1 },
      unit: ' per page',
      callTarget: true,
    },
    {
      key: 'Q4',
      title: `_entities of 100 users referenced by a host subgraph (${inputs.hundredOrgs} Orgs)`,
      label: 'Q4 `_entities` of 100 users',
      execute: async (request) => {
        await request({
          query: 'query Entities($r: [_Any!]!) { _entities(representations: $r) { ... on User { username displayName } } }',
          variables: { r: inputs.hundredNames.map((username) => ({ __typename: 'User', username })) },
        });
      },
      blockScale: 1,
      minimum: { calls: 7, levels: 2 },
      unit: '',
      callTarget: true,
    },
  ];
}

const LARGE: Canonical = {
  key: 'L',
  title: `the README's first query (FirstLook) on large:${settings.largeUsers}`,
  label: `README first query on \`large:${settings.largeUsers}\``,
  execute: async (request) => {
    await request({ query: README_FIRST });
  },
  blockScale: 1,
  minimum: { calls: null, levels: null },
  unit: '',
  callTarget: false,
};

// ---------------------------------------------------------------------------------------------------------------
// Measuring one query
// ---------------------------------------------------------------------------------------------------------------

/** One GraphQL request: how long it took and the upstream calls it made. */
interface Sample {
  readonly durationMs: number;
  readonly calls: number;
  readonly mints: number;
  readonly bytes: number;
  readonly levels: number;
}

interface Result {
  readonly query: Canonical;
  readonly coldMints: number;
  /** The accounting execution at 20 ms: calls by endpoint, rows, bytes, levels, per request (mean). */
  readonly endpoints: Record<string, number>;
  readonly rowsPerRequest: number;
  readonly accountedRequests: number;
  /** The emulator's log of the accounting execution: non-mint calls, and sums of any numeric extra fields. */
  readonly logCalls: number;
  readonly logExtra: Record<string, number>;
  readonly meterCallsAccounted: number;
  readonly bytesAccounted: number;
  readonly at0: Sample[];
  readonly at20: Sample[];
  readonly cpu0: { ms: number; requests: number };
  readonly cpu20: { ms: number; requests: number };
}

async function runRecorded(stack: MeteredStack, query: Canonical, into: Sample[] | null, keep: UpstreamCall[][] | null): Promise<number> {
  let requests = 0;
  const request: Request = async <T>(operation: Operation): Promise<T> => {
    const mark = stack.meter.mark();
    const started = performance.now();
    const data = await stack.execute<T>(operation);
    const durationMs = performance.now() - started;
    await stack.meter.quiet();
    const calls = stack.meter.since(mark);
    const reads = calls.filter((c) => !c.mint);
    into?.push({
      durationMs,
      calls: reads.length,
      mints: calls.length - reads.length,
      bytes: reads.reduce((sum, c) => sum + c.bytes, 0),
      levels: levelsOf(reads),
    });
    keep?.push(calls);
    if (keep === null) stack.meter.forget();
    requests += 1;
    return data;
  };
  await query.execute(request);
  return requests;
}

async function measureQuery(stack: MeteredStack, query: Canonical, rounds: number, block: number, warmup: number): Promise<Result> {
  const emulator = stack.emulator;
  // Cold: the first execution mints one token per Org it touches (unless an earlier query already did).
  await emulator.setLatency(0);
  const cold: Sample[] = [];
  await runRecorded(stack, query, cold, null);
  const coldMints = cold.reduce((s, x) => s + x.mints, 0);

  // Warm-up, not recorded: the first executions of a query run largely in the interpreter (several times the CPU of
  // a warm one), which no long-running subgraph pays.
  for (let i = 0; i < Math.max(1, Math.round(warmup * query.blockScale)); i++) await runRecorded(stack, query, null, null);

  // Accounting: one execution at 20 ms with bodies kept, checked against the emulator's log.
  await emulator.setLatency(LATENCY_MS);
  const seq = await emulator.lastSeq();
  stack.meter.capture = true;
  const kept: UpstreamCall[][] = [];
  let accountedRequests: number;
  try {
    accountedRequests = await runRecorded(stack, query, null, kept);
  } finally {
    stack.meter.capture = false;
  }
  const accounted = kept.flat().filter((c) => !c.mint);
  const rows = accounted.reduce((s, c) => s + rowsOf(c), 0);
  stack.meter.forget();
  const log = (await emulator.callsSince(seq)).filter((c) => !c.path.includes('/auth/token/'));
  const logExtra: Record<string, number> = {};
  for (const call of log) for (const [k, v] of Object.entries(call.extra)) logExtra[k] = (logExtra[k] ?? 0) + v;

  // Timed: alternating blocks at 0 and 20 ms.
  const at0: Sample[] = [];
  const at20: Sample[] = [];
  const cpu0 = { ms: 0, requests: 0 };
  const cpu20 = { ms: 0, requests: 0 };
  const executions = Math.max(1, Math.round(block * query.blockScale));
  for (let round = 0; round < rounds; round++) {
    for (const latency of round % 2 === 0 ? [0, LATENCY_MS] : [LATENCY_MS, 0]) {
      await emulator.setLatency(latency);
      const into = latency === 0 ? at0 : at20;
      const cpu = latency === 0 ? cpu0 : cpu20;
      const before = cpuMs();
      let requests = 0;
      for (let i = 0; i < executions; i++) requests += await runRecorded(stack, query, into, null);
      cpu.ms += cpuMs() - before;
      cpu.requests += requests;
    }
  }
  return {
    query,
    coldMints,
    endpoints: byEndpoint(accounted),
    rowsPerRequest: rows / accountedRequests,
    accountedRequests,
    logCalls: log.length,
    logExtra,
    meterCallsAccounted: accounted.length,
    bytesAccounted: accounted.reduce((sum, c) => sum + c.bytes, 0),
    at0,
    at20,
    cpu0,
    cpu20,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Formatting
// ---------------------------------------------------------------------------------------------------------------

function bytes(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (value >= MB) return `${(value / MB).toFixed(value >= 10 * MB ? 1 : 2)} MB`;
  return `${(value / 1000).toFixed(value >= 100_000 ? 0 : 1)} KB`;
}

function count(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: 1 });
}

/** "10" when every sample agrees, "10.4 (10–12)" when they do not. */
function spread(values: readonly number[]): string {
  if (values.length === 0) return 'n/a';
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  if (lo === hi) return count(lo);
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return `${count(mean)} (${count(lo)}–${count(hi)})`;
}

function mode(values: readonly number[]): number {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best = Number.NaN;
  let bestCount = 0;
  for (const [v, c] of counts) if (c > bestCount || (c === bestCount && v < best)) [best, bestCount] = [v, c];
  return best;
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;
}

function latencies(samples: readonly Sample[]): { p50: number; p95: number } {
  const sorted = sortedCopy(samples.map((s) => s.durationMs));
  return { p50: median(sorted), p95: percentile(sorted, 95) };
}

const verdict = (met: boolean): string => (met ? 'met' : 'NOT MET');

// ---------------------------------------------------------------------------------------------------------------
// Memory at 50 clients
// ---------------------------------------------------------------------------------------------------------------

interface MemoryResult {
  readonly clients: number;
  readonly seconds: number;
  readonly latencyMs: number;
  readonly gcAvailable: boolean;
  readonly runtime: string;
  readonly idleRss: number;
  readonly idleHeapAfterGc: number;
  readonly peakRss: number;
  readonly kernelPeakRss: number | null;
  readonly peakHeapUsed: number;
  readonly samples: number;
  readonly maxGapMs: number;
  readonly heapAfterGc: number;
  readonly rssAfterGc: number;
  readonly exchanges: readonly Exchange[];
  readonly spanSeconds: number;
}

/** EXECUTION_CAPACITY of the comparison run: more than the clients' operations could ever weigh, so no gate. */
const UNGATED_CAPACITY = '10000';

/** A run of the memory part besides the one as deployed: what it changes, and what came of it. */
interface MemoryComparison {
  /** JSON key in the report. */
  readonly key: 'ungated' | 'v8Defaults';
  readonly label: string;
  readonly result: MemoryResult;
}

/** `capacity`: EXECUTION_CAPACITY (unset: the configuration's default); `nodeOptions`: unset, the image's. */
async function measureMemory(emulator: EmulatorProcess, variant: { capacity?: string | undefined; nodeOptions?: string } = {}): Promise<MemoryResult> {
  await emulator.setLatency(settings.rssLatencyMs);
  const subgraph = await startSubgraphProcess(emulator, {
    runtime: settings.rssRuntime,
    nodeEnv: settings.rssNodeEnv,
    ...(variant.capacity === undefined ? {} : { env: { EXECUTION_CAPACITY: variant.capacity } }),
    ...(variant.nodeOptions === undefined ? {} : { nodeOptions: variant.nodeOptions }),
  });
  const client = createGraphQLClient(subgraph.url, settings.rssClients, 60_000);
  try {
    // Warm: tokens minted, code optimised, pools connected.
    for (let i = 0; i < 10; i++) {
      const warm = await client.send('warm', Q1);
      if (warm.outcome !== 'ok') throw new Error(`Q1 over HTTP did not answer cleanly: ${warm.transportError ?? JSON.stringify(warm.errors).slice(0, 300)}`);
    }
    const idle = await subgraph.gc();
    await subgraph.reset();
    const exchanges: Exchange[] = [];
    const started = performance.now();
    const deadline = started + settings.rssSeconds * 1000;
    await Promise.all(
      Array.from({ length: settings.rssClients }, async () => {
        while (performance.now() < deadline) exchanges.push(await client.send('q1', Q1));
      }),
    );
    const spanSeconds = (performance.now() - started) / 1000;
    const window = await subgraph.stats();
    const after = await subgraph.gc();
    return {
      clients: settings.rssClients,
      seconds: settings.rssSeconds,
      latencyMs: settings.rssLatencyMs,
      gcAvailable: subgraph.gcAvailable,
      runtime:
        `node${subgraph.runtime === 'compiled' ? '' : ' --import tsx'}${subgraph.gcAvailable ? ' --expose-gc' : ''}` +
        `${subgraph.runtime === 'compiled' ? ' on src transpiled to JavaScript, as the image runs dist/' : ''}, NODE_ENV=${subgraph.nodeEnv || '(empty)'} ` +
        `(${subgraph.environment} configuration), NODE_OPTIONS=${subgraph.nodeOptions === '' ? '(none)' : subgraph.nodeOptions}`,
      idleRss: idle.memory.rss,
      idleHeapAfterGc: idle.memory.heapUsed,
      peakRss: window.peakRss,
      kernelPeakRss: window.kernelPeakRss,
      peakHeapUsed: window.peakHeapUsed,
      samples: window.samples,
      maxGapMs: window.maxGapMs,
      heapAfterGc: after.memory.heapUsed,
      rssAfterGc: after.memory.rss,
      exchanges,
      spanSeconds,
    };
  } finally {
    await client.close();
    await subgraph.close();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The suite
// ---------------------------------------------------------------------------------------------------------------

export async function run(): Promise<void> {
  // Kept for the report (support/report.ts): the verdict lines are the ones printed under "Targets".
  const printed: string[] = [];
  const out = (text = ''): void => {
    printed.push(text);
    process.stdout.write(`${text}\n`);
  };
  out(
    `Node ${process.versions.node}, ${cpus().length} cores, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} at start, NODE_ENV=${process.env['NODE_ENV'] ?? '(unset)'}; ` +
      `${settings.rounds} round(s) × ${settings.block} execution(s) per latency block (Q3 ${Math.max(1, Math.round(settings.block * 0.2))} walks), ` +
      `${settings.warmup} warm-up, ` +
      `large: ${settings.largeRounds} × ${settings.largeBlock}, RSS: ${settings.rssClients} clients × ${settings.rssSeconds} s at ${settings.rssLatencyMs} ms` +
      (quick ? ' (QUERIES_QUICK)' : ''),
  );
  const results: Result[] = [];
  let demoInputs: DemoInputs | null = null;
  let memory: MemoryResult | null = null;
  const comparisons: MemoryComparison[] = [];

  if (settings.parts.has('latency') || settings.parts.has('rss')) {
    const emulator = await startEmulatorProcess('demo');
    try {
      demoInputs = emulator.inputs as DemoInputs;
      if (settings.parts.has('latency')) {
        const stack = await startMeteredStack(emulator);
        try {
          for (const query of demoQueries(demoInputs)) {
            process.stderr.write(`queries: ${query.key}…\n`);
            results.push(await measureQuery(stack, query, settings.rounds, settings.block, settings.warmup));
          }
        } finally {
          await stack.close();
        }
      }
      if (settings.parts.has('rss')) {
        process.stderr.write(`queries: memory, ${settings.rssClients} clients × ${settings.rssSeconds} s…\n`);
        memory = await measureMemory(emulator, { capacity: settings.rssCapacity });
        if (settings.rssCompare) {
          const ungated = `without the execution gate (EXECUTION_CAPACITY=${UNGATED_CAPACITY})`;
          process.stderr.write(`queries: memory ${ungated}…\n`);
          comparisons.push({ key: 'ungated', label: ungated, result: await measureMemory(emulator, { capacity: UNGATED_CAPACITY }) });
          const v8 = "with V8's default heap sizing (no NODE_OPTIONS)";
          process.stderr.write(`queries: memory ${v8}…\n`);
          comparisons.push({ key: 'v8Defaults', label: v8, result: await measureMemory(emulator, { capacity: settings.rssCapacity, nodeOptions: '' }) });
        }
      }
    } finally {
      await emulator.close();
    }
  }
  if (settings.parts.has('large')) {
    process.stderr.write(`queries: large:${settings.largeUsers}…\n`);
    const emulator = await startEmulatorProcess(`large:${settings.largeUsers}`);
    try {
      const stack = await startMeteredStack(emulator);
      try {
        results.push(await measureQuery(stack, LARGE, settings.largeRounds, settings.largeBlock, 1));
      } finally {
        await stack.close();
      }
    } finally {
      await emulator.close();
    }
  }

  // Details.
  if (demoInputs !== null) {
    const n = demoInputs.nested;
    const show = (k: string) => {
      const x = n[k];
      return x === undefined ? '?' : `${x.orgs.join(', ')}; ${x.members} members over ${x.memberOrgs} Orgs`;
    };
    out(
      `Data (demo seed + fixture Org Xenon-Bench with a 1,000-member group): Q1 reads ${show('3/10/20')}. ` +
        `Q5 reads ${show('6/20/40')}. Q2 and Q4 read 100 users over ${demoInputs.hundredOrgs} Orgs. ` +
        'The issue\'s minimums assume 6, 6 and 6.',
    );
  }
  out();
  out('Details (per request; Q3 per page):');
  for (const r of results) {
    const q = r.query;
    const l20 = r.at20.map((s) => s.levels);
    const warmMints = [...r.at0, ...r.at20].reduce((s, x) => s + x.mints, 0);
    // Fields the emulator's log may carry (bytes, rows), beside our own figures for the same execution.
    const ours: Record<string, number> = { bytes: r.bytesAccounted, rows: r.rowsPerRequest * r.accountedRequests };
    const extra = Object.entries(r.logExtra).map(
      ([k, v]) => `${k} ${count(v / r.accountedRequests)}${ours[k] === undefined ? '' : ours[k] === v ? ' (agrees)' : ` (ours ${count(ours[k] / r.accountedRequests)})`}`,
    );
    out(`- ${q.key} ${q.title}`);
    out(
      `    calls ${spread([...r.at0, ...r.at20].map((s) => s.calls))} (${Object.entries(r.endpoints)
        .map(([k, v]) => `${count(v / r.accountedRequests)} ${k}`)
        .join(', ')}); cold token mints ${r.coldMints}, warm ${warmMints}; ` +
        `emulator log ${count(r.logCalls / r.accountedRequests)} calls${r.logCalls === r.meterCallsAccounted ? ' (agrees)' : ` (DISAGREES with ${r.meterCallsAccounted / r.accountedRequests})`}` +
        (extra.length > 0 ? `, its own count: ${extra.join(', ')}` : ', no byte/row fields in its log'),
    );
    out(
      `    levels at ${LATENCY_MS} ms: ${spread(l20)} (mode ${mode(l20)}); bytes ${bytes(mean([...r.at0, ...r.at20].map((s) => s.bytes)))} ` +
        `(${spread([...r.at0, ...r.at20].map((s) => s.bytes))} B), rows ${count(r.rowsPerRequest)}`,
    );
    const a = latencies(r.at0);
    const b = latencies(r.at20);
    out(
      `    0 ms: n ${r.at0.length}, p50 ${ms(a.p50)}, p95 ${ms(a.p95)}, CPU ${ms(r.cpu0.ms / r.cpu0.requests)}/request; ` +
        `${LATENCY_MS} ms: n ${r.at20.length}, p50 ${ms(b.p50)}, p95 ${ms(b.p95)}, CPU ${ms(r.cpu20.ms / r.cpu20.requests)}/request; ` +
        `p50 ${LATENCY_MS} ms − 0 ms = ${ms(b.p50 - a.p50)}`,
    );
  }

  // The README table.
  const header = ['Query', 'Calls (min)', 'Levels (min)', 'Upstream rows, bytes', 'p50 / p95, 0 ms', `p50 / p95, ${LATENCY_MS} ms (floor)`, 'CPU / request'];
  const rows = results.map((r) => {
    const q = r.query;
    const all = [...r.at0, ...r.at20];
    const l20 = r.at20.map((s) => s.levels);
    const a = latencies(r.at0);
    const b = latencies(r.at20);
    const floor = q.minimum.levels === null ? null : q.minimum.levels * LATENCY_MS;
    const callsCell = spread(all.map((s) => s.calls));
    const meanBytes = mean(all.map((s) => s.bytes));
    return [
      q.label,
      `${callsCell} (${q.minimum.calls ?? '—'})${q.unit}`,
      `${spread(l20)} (${q.minimum.levels ?? '—'})${q.unit}`,
      `${count(Math.round(r.rowsPerRequest))}, ${bytes(meanBytes)}${q.key === 'L' ? ` (target < ${bytes(LARGE_BYTES_TARGET)})` : ''}`,
      `${ms(a.p50)} / ${ms(a.p95)}`,
      `${ms(b.p50)} / ${ms(b.p95)} (${floor === null ? '—' : `${floor} ms, ${(b.p50 / floor).toFixed(2)}×`})`,
      ms(r.cpu0.ms / r.cpu0.requests),
    ];
  });
  if (results.length > 0) {
    out();
    out(
      `Canonical queries (issue 8): per request${results.some((r) => r.query.key === 'Q3') ? ' (Q3 per page)' : ''}, warm tokens, in-process execution, ` +
        `${LATENCY_MS} ms added per upstream call in the ${LATENCY_MS} ms column, client pacing off; minimum in parentheses; ` +
        `floor = minimum levels × ${LATENCY_MS} ms; CPU measured at 0 ms. Node ${process.versions.node}, ${cpus().length} cores. MB = 10^6 bytes.`,
    );
    out();
    out(table(header, rows));
  }
  if (memory !== null) {
    const m = memory;
    const ok = m.exchanges.filter((e) => e.outcome === 'ok').length;
    const partial = m.exchanges.filter((e) => e.outcome === 'partial').length;
    const failed = m.exchanges.length - ok - partial;
    const lat = sortedCopy(m.exchanges.map((e) => e.latencyMs));
    out();
    out(
      `Memory: ${m.clients} HTTP clients sending Q1 back to back for ${m.seconds} s (requests in flight at the end are awaited), ${m.latencyMs} ms upstream latency, ` +
        `the adapter's production pacing (90 calls/s by default, which bounds the throughput here), the subgraph alone in a child process (${m.runtime}), RSS sampled every 100 ms in it.`,
    );
    out();
    out(
      table(
        ['', 'value', 'target'],
        [
          ['peak RSS (sampled)', `${bytes(m.peakRss)} (${m.samples} samples, largest gap ${ms(m.maxGapMs)})`, `< ${bytes(RSS_TARGET)} (goal ${bytes(RSS_GOAL)})`],
          ['peak RSS (kernel VmHWM, same window)', m.kernelPeakRss === null ? 'n/a (could not reset /proc/self/clear_refs)' : bytes(m.kernelPeakRss), ''],
          ['RSS idle, after warm-up and GC', bytes(m.idleRss), ''],
          ['peak heap used (sampled)', bytes(m.peakHeapUsed), ''],
          [
            'heap after forced GC: before load → after load',
            m.gcAvailable ? `${bytes(m.idleHeapAfterGc)} → ${bytes(m.heapAfterGc)} (RSS then ${bytes(m.rssAfterGc)})` : 'n/a: --expose-gc not available (heapUsed without GC)',
            '',
          ],
          [
            'requests',
            `${m.exchanges.length} in ${m.spanSeconds.toFixed(1)} s (${(m.exchanges.length / m.spanSeconds).toFixed(1)}/s): ${ok} ok, ${partial} partial, ${failed} failed; ` +
              `p50 ${ms(median(lat))}, p95 ${ms(percentile(lat, 95))}`,
            '',
          ],
          ...comparisons.map((c) => [`the same load ${c.label}, run after`, comparisonSummary(c.result), '']),
        ],
      ),
    );
  }

  // Verdicts.
  out();
  out('Targets (issue 8):');
  for (const r of results) {
    const q = r.query;
    if (!q.callTarget || q.minimum.calls === null) continue;
    const all = [...r.at0, ...r.at20];
    const worst = Math.max(...all.map((s) => s.calls));
    out(`- ${q.key} calls equal to the minimum (${q.minimum.calls}${q.unit}): ${spread(all.map((s) => s.calls))}${q.unit} → ${verdict(worst === q.minimum.calls && Math.min(...all.map((s) => s.calls)) === q.minimum.calls)}`);
  }
  const q1 = results.find((r) => r.query.key === 'Q1');
  if (q1 !== undefined) {
    const p50 = latencies(q1.at20).p50;
    const floor = 2 * LATENCY_MS;
    out(
      `- Q1 median at ${LATENCY_MS} ms within ${Q1_RATIO_TARGET}× of 2 × ${LATENCY_MS} ms (${floor * Q1_RATIO_TARGET} ms): ${ms(p50)} = ${(p50 / floor).toFixed(2)}× → ${verdict(p50 <= floor * Q1_RATIO_TARGET)}` +
        ` (goal ${Q1_RATIO_GOAL}×, ${(floor * Q1_RATIO_GOAL).toFixed(0)} ms: ${verdict(p50 <= floor * Q1_RATIO_GOAL)})`,
    );
  }
  const large = results.find((r) => r.query.key === 'L');
  if (large !== undefined) {
    const worst = Math.max(...[...large.at0, ...large.at20].map((s) => s.bytes));
    out(`- README first query on large:${settings.largeUsers} under ${bytes(LARGE_BYTES_TARGET)} upstream: ${bytes(worst)} (largest of its runs) → ${verdict(worst < LARGE_BYTES_TARGET)}`);
  }
  if (memory !== null) {
    out(
      `- peak RSS at ${memory.clients} clients under ${bytes(RSS_TARGET)}: ${bytes(memory.peakRss)} sampled → ${verdict(memory.peakRss < RSS_TARGET)}` +
        ` (goal ${bytes(RSS_GOAL)}: ${verdict(memory.peakRss < RSS_GOAL)}; kernel high-water mark ${memory.kernelPeakRss === null ? 'n/a' : bytes(memory.kernelPeakRss)})`,
    );
  }
  for (const r of results) {
    if (r.query.minimum.levels === null) continue;
    const l = mode(r.at20.map((s) => s.levels));
    out(`- (figure, not a target) ${r.query.key} levels at the minimum (${r.query.minimum.levels}${r.query.unit}): mode ${l} → ${verdict(l === r.query.minimum.levels)}`);
  }
  recordReport(results, memory, comparisons, { header, rows }, printed);
}

/** One line for a comparison run: its peak RSS, heap and throughput. */
function comparisonSummary(m: MemoryResult): string {
  const lat = sortedCopy(m.exchanges.map((e) => e.latencyMs));
  const ok = m.exchanges.filter((e) => e.outcome === 'ok').length;
  return (
    `peak RSS ${bytes(m.peakRss)}, peak heap used ${bytes(m.peakHeapUsed)}; ${m.exchanges.length} requests in ${m.spanSeconds.toFixed(1)} s ` +
    `(${(m.exchanges.length / m.spanSeconds).toFixed(1)}/s), ${ok} ok; p50 ${ms(median(lat))}, p95 ${ms(percentile(lat, 95))}`
  );
}

/** The suite's figures for the benchmark report: the README table, the memory figure, the verdicts printed above. */
function recordReport(
  results: readonly Result[],
  memory: MemoryResult | null,
  comparisons: readonly MemoryComparison[],
  readme: ReportTable,
  printed: readonly string[],
): void {
  const targets = printed.indexOf('Targets (issue 8):');
  const verdicts = targets === -1 ? [] : printed.slice(targets + 1).filter((l) => l.startsWith('- ')).map((l) => l.slice(2));
  const tables: ReportTable[] = [];
  if (results.length > 0) tables.push({ caption: 'Per request (Q3 per page), in-process execution, client pacing off; minimum in parentheses; floor = minimum levels × 20 ms.', ...readme });
  if (memory !== null) {
    const lat = sortedCopy(memory.exchanges.map((e) => e.latencyMs));
    const ok = memory.exchanges.filter((e) => e.outcome === 'ok').length;
    tables.push({
      caption: `Memory: ${memory.clients} HTTP clients sending Q1 for ${memory.seconds} s at ${memory.latencyMs} ms upstream, production pacing, the subgraph alone in a child process (${memory.runtime}).`,
      header: ['', 'value'],
      rows: [
        ['peak RSS, sampled every 100 ms (kernel high-water mark)', `${bytes(memory.peakRss)} (${memory.kernelPeakRss === null ? 'n/a' : bytes(memory.kernelPeakRss)})`],
        ['RSS idle, after warm-up and GC', bytes(memory.idleRss)],
        ['peak heap used', bytes(memory.peakHeapUsed)],
        ['heap after forced GC: before → after the load', memory.gcAvailable ? `${bytes(memory.idleHeapAfterGc)} → ${bytes(memory.heapAfterGc)}` : 'n/a'],
        ['requests', `${memory.exchanges.length} in ${memory.spanSeconds.toFixed(1)} s, ${ok} ok; p50 ${ms(median(lat))}, p95 ${ms(percentile(lat, 95))}`],
        ...comparisons.map((c) => [`${c.label}, same load, run after`, comparisonSummary(c.result)]),
      ],
    });
  }
  const timed = results.filter((r) => r.at0.length > 0 && r.at20.length > 0);
  record({
    title: 'Canonical queries (issue 8): calls, levels, latency at 0 and 20 ms, CPU, memory',
    description: [
      'Each canonical query of the read path beside the contract minimum (calls and dependent levels), executed in-process against the emulator in its own process, ' +
        `latency with 0 and with ${LATENCY_MS} ms added to every upstream call in alternating blocks, CPU time per request; then peak RSS of the subgraph in its own ` +
        'process under 50 HTTP clients sending Q1 (suites/queries.ts explains each figure).',
    ],
    tables,
    verdicts,
    charts:
      timed.length === 0
        ? []
        : [
            {
              kind: 'bars',
              title: `Canonical queries: median latency at 0 and ${LATENCY_MS} ms upstream (bars, log scale), CPU per request (line)`,
              categories: timed.map((r) => r.query.key),
              series: [
                { name: 'p50 at 0 ms (ms)', values: timed.map((r) => latencies(r.at0).p50) },
                { name: `p50 at ${LATENCY_MS} ms (ms)`, values: timed.map((r) => latencies(r.at20).p50) },
                { name: `floor at ${LATENCY_MS} ms (ms)`, values: timed.map((r) => (r.query.minimum.levels === null ? null : r.query.minimum.levels * LATENCY_MS)) },
              ],
              yLabel: 'latency (ms)',
              yScale: 'log',
              line: { name: 'CPU / request (ms)', values: timed.map((r) => r.cpu0.ms / r.cpu0.requests), yLabel: 'CPU ms / request', joins: timed.map((_r, i) => i) },
            },
          ],
    data: {
      settings,
      queries: results.map((r) => {
        const all = [...r.at0, ...r.at20];
        return {
          key: r.query.key,
          title: r.query.title,
          minimum: r.query.minimum,
          calls: { min: Math.min(...all.map((s) => s.calls)), max: Math.max(...all.map((s) => s.calls)), mean: mean(all.map((s) => s.calls)) },
          levelsMode: mode(r.at20.map((s) => s.levels)),
          bytesMean: mean(all.map((s) => s.bytes)),
          rowsPerRequest: r.rowsPerRequest,
          at0: { samples: r.at0.length, ...latencies(r.at0) },
          at20: { samples: r.at20.length, ...latencies(r.at20) },
          cpuMsPerRequest: r.cpu0.ms / r.cpu0.requests,
          endpoints: r.endpoints,
        };
      }),
      memory:
        memory === null
          ? null
          : {
              clients: memory.clients,
              seconds: memory.seconds,
              latencyMs: memory.latencyMs,
              runtime: memory.runtime,
              peakRss: memory.peakRss,
              kernelPeakRss: memory.kernelPeakRss,
              idleRss: memory.idleRss,
              peakHeapUsed: memory.peakHeapUsed,
              idleHeapAfterGc: memory.idleHeapAfterGc,
              heapAfterGc: memory.heapAfterGc,
              requests: memory.exchanges.length,
              spanSeconds: memory.spanSeconds,
              ...Object.fromEntries(
                comparisons.map((c) => [
                  c.key,
                  { label: c.label, runtime: c.result.runtime, peakRss: c.result.peakRss, peakHeapUsed: c.result.peakHeapUsed, requests: c.result.exchanges.length, spanSeconds: c.result.spanSeconds },
                ]),
              ),
            },
    },
  });
}
