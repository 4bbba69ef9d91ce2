// Fairness figure (`npm run bench -- fairness`; FAIRNESS_ROUNDS / FAIRNESS_SAMPLES for a quick run).
//
// How much one client running the most expensive query the default limits admit slows down another client's cheap
// query. The subgraph serves HTTP on 127.0.0.1 in front of the emulator (demo seed: 6 Organizations), with the
// adapter's default pacing (90 requests/s, burst 5, 16 in flight), the emulator enforcing ThoughtSpot's documented
// limit (100/s, burst 10) and adding 20 ms to every call.
//
// - Cheap query: `organizationByName(name:) { name }`, one `orgs/search`.
// - Expensive query: `organizations(first: 100)` with 49 aliased `groups`/`users` lists under it, page sizes 100
//   down to 52 so no two are the same read: 50 lists (QUERY_MAX_LISTS), about 3.7 × 10^5 nodes (QUERY_MAX_NODES
//   is 5 × 10^5), depth 5. Each inner list costs one call per Organization, so about 1 + 49 × 6 = 295 calls, more
//   than REQUEST_MAX_UPSTREAM_CALLS (250): the run-time budget ends it, which is as expensive as a request can be.
//   The suite checks that one more list is refused (QUERY_TOO_COMPLEX) and prints the cost the server measures.
//
// Each round (FAIRNESS_ROUNDS, 6) measures the cheap query (a) alone and (b) while a second client runs the expensive
// query back to back, FAIRNESS_SAMPLES (25) sequential samples each, 50 ms apart (a block also ends after
// FAIRNESS_BLOCK_SECONDS, 30), alternating which block comes first; medians, p95 and the ratio (b)/(a) are over all
// rounds, measured side by side in one process. Without fair sharing, a cheap call would queue behind up to ~250
// expensive calls at 90/s (about 3 s); with request-by-request turns it waits about one turn of the concurrency cap
// and one of the rate limiter (~11 ms each at 90/s).

import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { parse, type OperationDefinitionNode } from 'graphql';
import { measureOperation } from '../../../src/plugins/query-cost.js';
import {
  createGraphQLClient,
  emulatorWindow,
  envInteger,
  formatCounts,
  increment,
  median,
  ms,
  percentile,
  requestLimits,
  sortedCopy,
  startLoadStack,
  table,
  type Exchange,
} from '../support/load.js';
import { record } from '../support/report.js';

const LATENCY_MS = 20;
const GAP_MS = 50;
/** How long the expensive client runs before the cheap samples start, so its calls are already queued. */
const HEAD_START_MS = 500;
const ORG_PAGE = 100;
const INNER_LISTS = 49;

/** The expensive query with `inner` lists under `organizations`, and its cost by the README's formula. */
function expensiveQuery(inner: number): { query: string; lists: number; nodes: number; depth: number } {
  const fields: string[] = [];
  let pageSum = 0;
  for (let i = 0; i < inner; i++) {
    const first = 100 - i;
    pageSum += first;
    fields.push(i % 2 === 0 ? `g${i}: groups(first: ${first}) { nodes { name } }` : `u${i}: users(first: ${first}) { nodes { username } }`);
  }
  return {
    query: `query Expensive { organizations(first: ${ORG_PAGE}) { nodes { name\n  ${fields.join('\n  ')}\n} } }`,
    lists: 1 + inner,
    nodes: ORG_PAGE + ORG_PAGE * pageSum,
    // organizations › nodes › gN › nodes › name
    depth: 5,
  };
}

const sleep = (msDelay: number) => new Promise<void>((resolve) => setTimeout(resolve, msDelay));
const codesOf = (e: Exchange) => e.errors.map((err) => String(err.extensions?.['code'] ?? 'NO_CODE'));

export async function run(): Promise<void> {
  const rounds = envInteger('FAIRNESS_ROUNDS', 6);
  const samples = envInteger('FAIRNESS_SAMPLES', 25);
  const blockSeconds = envInteger('FAIRNESS_BLOCK_SECONDS', 30);
  const stack = await startLoadStack({ seed: 'demo', latencyMs: LATENCY_MS });
  const limits = requestLimits(stack.config);
  // Two sockets: the cheap client's and the expensive client's requests never wait for each other on the client side.
  const client = createGraphQLClient(stack.url, 4, limits.deadlineMs + 15_000);
  try {
    const orgName = [...stack.emulator.state.orgs.values()].find((o) => o.id !== 0)?.name ?? 'Primary';
    const cheap = `query Cheap { organizationByName(name: ${JSON.stringify(orgName)}) { name } }`;
    const expensive = expensiveQuery(INNER_LISTS);
    const tooMuch = expensiveQuery(INNER_LISTS + 1);
    const document = parse(expensive.query);
    const measured = measureOperation(stack.app.schema, document, document.definitions[0] as OperationDefinitionNode);
    const rate = stack.config.upstream.rateLimit;

    process.stdout.write(
      [
        `Fairness: cheap query alone vs. next to the most expensive admitted query, over HTTP on 127.0.0.1, emulator (${stack.emulator.mode === 'process' ? 'CLI in its own process' : 'in this process'}, demo seed, ${stack.emulator.state.orgs.size} Orgs) +${LATENCY_MS} ms a call, Node ${process.versions.node}`,
        `adapter pacing ${rate === null ? 'off' : `${rate.requestsPerSecond}/s burst ${rate.burst}`}; emulator limit ${stack.emulator.rateLimit.enabled ? `${stack.emulator.rateLimit.requestsPerSecond}/s burst ${stack.emulator.rateLimit.burst}` : 'off'}; ` +
          `REQUEST_DEADLINE_MS ${limits.deadlineMs}, REQUEST_MAX_UPSTREAM_CALLS ${limits.maxUpstreamCalls} (${limits.wired ? 'from the app config' : 'NOT in the app config yet: documented defaults assumed'})`,
        `cheap: ${cheap}`,
        `expensive: organizations(first: ${ORG_PAGE}) { nodes { name + ${INNER_LISTS} aliased groups/users lists, first: 100…${100 - INNER_LISTS + 1} } }`,
        `  cost by the README formula: lists ${expensive.lists}, nodes ${expensive.nodes}, depth ${expensive.depth}; measured by src/plugins/query-cost.ts: lists ${measured.lists}, nodes ${measured.nodes}, depth ${measured.depth}`,
        '',
      ].join('\n'),
    );

    // The same query with one list more must be refused before any upstream call.
    const refused = await client.send('too-much', tooMuch.query);
    const refusal = refused.errors[0]?.extensions;
    process.stdout.write(
      `  one list more (lists ${tooMuch.lists}, nodes ${tooMuch.nodes}): HTTP ${refused.status}, ${refusal === undefined ? 'NOT REFUSED' : `${String(refusal['code'])} (measure ${String(refusal['measure'])}, value ${String(refusal['value'])}, limit ${String(refusal['limit'])})`}\n`,
    );

    // Warm-up: a token per Org, sockets open, JIT warm.
    for (let i = 0; i < 5; i++) await client.send('warmup', cheap);
    const warm = await client.send('warmup-expensive', expensive.query);
    process.stdout.write(`  warm-up expensive run: ${ms(warm.latencyMs)}, ${stack.requestLog.get(warm.requestId)?.upstreamCalls ?? '?'} upstream calls, ${formatCounts(countCodes([warm]))}\n\n`);

    // The event loop this process shares between the subgraph and both clients: a stall there delays the cheap
    // query whatever the queues do (the expensive query's answers are parsed and resolved on it), so its delay is
    // reported for both blocks, next to the tail. One histogram per block: a re-enabled histogram would count the
    // time it was off as one long delay.
    const aloneDelays: IntervalHistogram[] = [];
    const loadedDelays: IntervalHistogram[] = [];
    const alone: number[] = [];
    const loaded: number[] = [];
    const expensiveRuns: Exchange[] = [];
    const cheapFailures: Exchange[] = [];
    const loadedWindows: [number, number][] = [];
    const roundRows: string[][] = [];

    // A block also ends after FAIRNESS_BLOCK_SECONDS, so an unfair subgraph (seconds per cheap query) cannot make
    // the run drag on.
    const sample = async (into: number[], delays: IntervalHistogram[]): Promise<number[]> => {
      const mine: number[] = [];
      const delay = monitorEventLoopDelay({ resolution: 5 });
      delay.enable();
      const until = performance.now() + blockSeconds * 1_000;
      for (let i = 0; i < samples && performance.now() < until; i++) {
        const e = await client.send('cheap', cheap);
        if (e.outcome !== 'ok') cheapFailures.push(e);
        into.push(e.latencyMs);
        mine.push(e.latencyMs);
        await sleep(GAP_MS);
      }
      delay.disable();
      delays.push(delay);
      return mine;
    };
    const underLoad = async (): Promise<number[]> => {
      let stop = false;
      const loop = (async () => {
        while (!stop) expensiveRuns.push(await client.send('expensive', expensive.query));
      })();
      const from = Date.now();
      await sleep(HEAD_START_MS);
      const mine = await sample(loaded, loadedDelays);
      loadedWindows.push([from + HEAD_START_MS, Date.now()]);
      stop = true;
      await loop;
      return mine;
    };

    const measuredFrom = Date.now();
    for (let round = 1; round <= rounds; round++) {
      let a: number[];
      let b: number[];
      if (round % 2 === 1) {
        a = await sample(alone, aloneDelays);
        b = await underLoad();
      } else {
        b = await underLoad();
        a = await sample(alone, aloneDelays);
      }
      roundRows.push([
        String(round),
        round % 2 === 1 ? 'a, b' : 'b, a',
        ms(median(a)),
        ms(percentile(sortedCopy(a), 95)),
        ms(median(b)),
        ms(percentile(sortedCopy(b), 95)),
        `${(median(b) / median(a)).toFixed(2)}×`,
      ]);
    }

    const a = sortedCopy(alone);
    const b = sortedCopy(loaded);
    const expensiveCalls = sortedCopy(expensiveRuns.flatMap((e) => {
      const entry = stack.requestLog.get(e.requestId);
      return entry === undefined ? [] : [entry.upstreamCalls];
    }));
    const expensiveLatency = sortedCopy(expensiveRuns.map((e) => e.latencyMs));
    const byEndpoint = stack.requestLog.get(expensiveRuns[0]?.requestId ?? '')?.upstreamByEndpoint ?? {};
    const records = await stack.emulator.calls();
    const during = loadedWindows.map(([from, to]) => emulatorWindow(records, from, to));
    const loadedCalls = during.reduce((n, w) => n + w.calls, 0);
    const loadedSpan = during.reduce((n, w) => n + w.spanSeconds, 0);
    const all = emulatorWindow(records, records[0]?.at ?? 0, records.at(-1)?.at ?? 0);
    // Where the 429s fell: warm-up (before the rounds), the (b) sampling windows, or elsewhere in the rounds (the (a)
    // blocks, and the expensive client's head start and wind-down around each (b) window).
    const limited = records.filter((r) => r.fault === 'rate-limit');
    const inLoaded = limited.filter((r) => loadedWindows.some(([from, to]) => r.at >= from && r.at <= to)).length;
    const inWarmUp = limited.filter((r) => r.at < measuredFrom).length;

    process.stdout.write(
      [
        table(['round', 'order', '(a) alone median', '(a) p95', '(b) loaded median', '(b) p95', '(b)/(a) median'], roundRows),
        '',
        table(
          ['cheap query', 'samples', 'median', 'p95', 'max'],
          [
            ['(a) alone', String(a.length), ms(median(a)), ms(percentile(a, 95)), ms(a.at(-1) ?? Number.NaN)],
            ['(b) next to the expensive query', String(b.length), ms(median(b)), ms(percentile(b, 95)), ms(b.at(-1) ?? Number.NaN)],
            ['ratio (b)/(a)', '', `${(median(b) / median(a)).toFixed(2)}×`, `${(percentile(b, 95) / percentile(a, 95)).toFixed(2)}×`, ''],
          ],
        ),
        `cheap queries not ok: ${cheapFailures.length}${cheapFailures.length > 0 ? ` (${formatCounts(countCodes(cheapFailures))})` : ''}`,
        `event-loop delay of this process (subgraph + both clients), median over blocks of each block's p99 / max over blocks: (a) ${loopDelay(aloneDelays)}, (b) ${loopDelay(loadedDelays)}`,
        '',
        `Expensive query: ${expensiveRuns.length} runs during (b); latency median ${ms(median(expensiveLatency))}, max ${ms(expensiveLatency.at(-1) ?? Number.NaN)}`,
        `  upstream calls per run (request log, token mints and retries included): median ${median(expensiveCalls)}, min ${expensiveCalls[0] ?? 'n/a'}, max ${expensiveCalls.at(-1) ?? 'n/a'}; first run by endpoint: ${JSON.stringify(byEndpoint)}`,
        `  outcomes: ${formatCounts(countOutcomes(expensiveRuns))}; error codes (requests carrying them): ${formatCounts(countCodes(expensiveRuns))}`,
        `Emulator during (b): ${loadedCalls} calls in ${loadedSpan.toFixed(1)} s (${(loadedCalls / Math.max(0.001, loadedSpan)).toFixed(1)}/s), ${during.reduce((n, w) => n + w.rateLimited, 0)} answered 429; whole run: ${all.calls} calls, ${all.rateLimited} × 429 (${inWarmUp} in the warm-up, ${inLoaded} in (b) windows, ${all.rateLimited - inWarmUp - inLoaded} elsewhere), most in any 100 ms: ${all.per100msMax}`,
        '',
      ].join('\n'),
    );
    const ratio = median(b) / median(a);
    record({
      title: 'Fairness: a cheap query beside the most expensive admitted query',
      description: [
        `The latency of \`organizationByName\` (one upstream call) alone, and while another client runs the most expensive query the default limits admit ` +
          `(${expensive.lists} lists, ${expensive.nodes.toLocaleString('en-US')} nodes, its whole ${limits.maxUpstreamCalls}-call budget), with production pacing, ` +
          `the emulator enforcing 100/s (burst 10) and adding ${LATENCY_MS} ms to every call; ${rounds} rounds of ${samples} samples, blocks alternating order.`,
      ],
      tables: [
        {
          header: ['cheap query', 'samples', 'median', 'p95', 'max'],
          rows: [
            ['alone', String(a.length), ms(median(a)), ms(percentile(a, 95)), ms(a.at(-1) ?? Number.NaN)],
            ['beside the expensive query', String(b.length), ms(median(b)), ms(percentile(b, 95)), ms(b.at(-1) ?? Number.NaN)],
            ['ratio', '', `${ratio.toFixed(2)}×`, `${(percentile(b, 95) / percentile(a, 95)).toFixed(2)}×`, ''],
          ],
        },
        { caption: 'Per round:', header: ['round', 'order', '(a) alone median', '(a) p95', '(b) loaded median', '(b) p95', '(b)/(a) median'], rows: roundRows },
      ],
      verdicts: [
        `cheap queries not ok: ${cheapFailures.length}`,
        `expensive query: ${expensiveRuns.length} runs, upstream calls per run median ${median(expensiveCalls)} (budget ${limits.maxUpstreamCalls}); emulator 429s during the loaded windows: ${during.reduce((n, w) => n + w.rateLimited, 0)}`,
      ],
      data: {
        alone: { samples: a.length, medianMs: median(a), p95Ms: percentile(a, 95) },
        loaded: { samples: b.length, medianMs: median(b), p95Ms: percentile(b, 95) },
        ratio,
        cheapFailures: cheapFailures.length,
        expensiveRuns: expensiveRuns.length,
        expensiveCallsMedian: median(expensiveCalls),
      },
    });
  } finally {
    await client.close();
    await stack.close();
  }
}

function loopDelay(blocks: readonly IntervalHistogram[]): string {
  const p99 = median(blocks.map((h) => h.percentile(99) / 1e6));
  const max = Math.max(...blocks.map((h) => h.max / 1e6));
  return `p99 ${ms(p99)} / max ${ms(max)}`;
}

function countCodes(exchanges: readonly Exchange[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of exchanges) {
    const codes = new Set(codesOf(e));
    if (codes.size === 0 && e.outcome === 'failed') codes.add(e.transportError ?? `HTTP ${e.status}`);
    for (const code of codes) increment(counts, code);
  }
  return counts;
}

function countOutcomes(exchanges: readonly Exchange[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of exchanges) increment(counts, e.outcome);
  return counts;
}
