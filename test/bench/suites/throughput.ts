// Throughput and latency over HTTP (`npm run bench -- throughput`): the nested canonical query Q1 (suites/queries.ts:
// organizations(first:3) → groups(first:10) → members(first:20) → roles(first:10), 13 upstream calls) sent by 1, 10
// and 50 closed-loop HTTP clients, with 0 and 20 ms added to every upstream call.
//
// Processes: the emulator in one child (support/emulator-process.ts: demo seed, rate limit off, latency set over IPC),
// the subgraph in another (measure.ts `startSubgraphProcess`: src transpiled to JavaScript and run by plain node, as
// the image runs dist/, NODE_ENV=production, its own keep-alive pool), and the load driver here (load.ts's undici
// client, bearer tokens minted with the test JWT settings the child is configured with). Each configuration gets a
// fresh subgraph process, so its peak RSS is its own and not what an earlier, busier configuration left behind.
//
// The subgraph runs with client-side pacing off (THOUGHTSPOT_RATE_LIMIT_RPS=0): with production pacing (90 calls/s)
// every configuration would measure the pacing, about 90 ÷ 13 ≈ 6.9 Q1/s per replica whatever the concurrency, and
// not the subgraph. The mixed-load suite runs with production pacing and ThoughtSpot's limit; THROUGHPUT_PACED=1 adds
// the concurrencies again at the largest latency with production pacing (windows and warm-up of
// THROUGHPUT_PACED_SECONDS, 20: a request waits its turn behind the others' calls).
//
// One configuration is one continuous closed loop: THROUGHPUT_WARMUP_SECONDS (3) of warm-up (JIT, tokens minted,
// sockets open, the queues at their steady depth), then THROUGHPUT_ROUNDS (3) consecutive windows of
// THROUGHPUT_SECONDS (5), then the clients stop and the requests in flight are awaited (not counted). A request
// belongs to the window it completes in: requests/s is completions ÷ window, p50 and p99 are over the window's
// completions (nearest rank), errors are answers that were not a clean 200 with data and no errors. Reported: the
// median over the windows (and the range of requests/s), the subgraph's peak RSS over all windows (sampled every
// 100 ms in the child, beside the kernel's high-water mark), its idle RSS (after one request and a forced GC, before
// the load), and the subgraph's CPU time per request (from /proc, all its threads). The machine is a shared 2-core
// box holding the subgraph, the emulator and the driver: at 0 ms latency the three compete for the cores, so those
// figures are a floor. Other settings: THROUGHPUT_CONCURRENCY (1,10,50), THROUGHPUT_LATENCIES_MS (0,20),
// THROUGHPUT_RUNTIME (compiled, or tsx).

import { createGraphQLClient, envInteger, median, ms, percentile, sortedCopy, table, type Exchange } from '../support/load.js';
import { startEmulatorProcess, startSubgraphProcess, subgraphNodeOptions, type EmulatorProcess } from '../support/measure.js';
import { cpuMsOf } from '../support/proc.js';
import { record, type ReportTable } from '../support/report.js';

/** The same text as Q1 of suites/queries.ts. */
const Q1 =
  'query Nested { organizations(first: 3) { nodes { name groups(first: 10) { nodes { name ' +
  'members(first: 20) { nodes { username roles(first: 10) { nodes { name } } } } } } } } }';
const Q1_CALLS = 13; // on the demo seed, as the queries suite measures it
const MB = 1_000_000;

function envList(name: string, fallback: readonly number[]): number[] {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return [...fallback];
  const values = raw.split(',').map((v) => v.trim());
  if (values.some((v) => !/^\d+$/.test(v))) throw new Error(`${name} must be a comma-separated list of integers, but got: ${JSON.stringify(raw)}.`);
  return values.map(Number);
}

const settings = {
  seconds: envInteger('THROUGHPUT_SECONDS', 5),
  rounds: envInteger('THROUGHPUT_ROUNDS', 3),
  warmupSeconds: envInteger('THROUGHPUT_WARMUP_SECONDS', 3, 0),
  concurrencies: envList('THROUGHPUT_CONCURRENCY', [1, 10, 50]),
  latencies: envList('THROUGHPUT_LATENCIES_MS', [0, 20]),
  paced: process.env['THROUGHPUT_PACED'] === '1',
  pacedSeconds: envInteger('THROUGHPUT_PACED_SECONDS', 20),
  runtime: process.env['THROUGHPUT_RUNTIME'] === 'tsx' ? ('tsx' as const) : ('compiled' as const),
};

interface Config {
  readonly concurrency: number;
  readonly latencyMs: number;
  readonly pacing: 'off' | 'production';
  readonly seconds: number;
}

interface Window {
  readonly requests: number;
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
}

interface ConfigResult {
  readonly config: Config;
  readonly windows: readonly Window[];
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
  readonly requests: number;
  readonly peakRss: number;
  readonly kernelPeakRss: number | null;
  readonly rssIdle: number;
  readonly cpuMsPerRequest: number | null;
  readonly errorSamples: readonly string[];
}

const sleep = (delay: number) => new Promise<void>((resolve) => setTimeout(resolve, delay));

async function measure(emulator: EmulatorProcess, config: Config): Promise<ConfigResult> {
  await emulator.setLatency(config.latencyMs);
  const subgraph = await startSubgraphProcess(emulator, {
    runtime: settings.runtime,
    ...(config.pacing === 'off' ? { env: { THOUGHTSPOT_RATE_LIMIT_RPS: '0' } } : {}),
  });
  const client = createGraphQLClient(subgraph.url, config.concurrency, 60_000);
  try {
    const probe = await client.send('probe', Q1);
    if (probe.outcome !== 'ok') throw new Error(`Q1 over HTTP did not answer cleanly: ${probe.transportError ?? JSON.stringify(probe.errors).slice(0, 300)}`);
    // The baseline: RSS after one request and a forced collection, before any load.
    const idle = await subgraph.gc();

    const exchanges: { readonly endedAt: number; readonly exchange: Exchange }[] = [];
    const started = performance.now();
    // With production pacing a request waits behind the others' calls (50 × 13 calls ÷ 90/s ≈ 7 s): the warm-up lasts
    // a window at least, so the windows see the steady state rather than the first wave.
    const warmupSeconds = config.pacing === 'production' ? Math.max(settings.warmupSeconds, config.seconds) : settings.warmupSeconds;
    const measureFrom = started + warmupSeconds * 1000;
    const stopAt = measureFrom + settings.rounds * config.seconds * 1000;
    const loop = Promise.all(
      Array.from({ length: config.concurrency }, async () => {
        while (performance.now() < stopAt) {
          const exchange = await client.send('q1', Q1);
          exchanges.push({ endedAt: performance.now(), exchange });
        }
      }),
    );
    // At the end of the warm-up: a fresh memory window and the CPU clock; the load keeps running meanwhile.
    await sleep(Math.max(0, measureFrom - performance.now()));
    await subgraph.reset();
    const cpuBefore = cpuMsOf(subgraph.pid);
    const countBefore = exchanges.filter((e) => e.endedAt < measureFrom).length;
    await sleep(Math.max(0, stopAt - performance.now()));
    const cpuAfter = cpuMsOf(subgraph.pid);
    const countAfter = exchanges.length;
    const memory = await subgraph.stats();
    await loop;

    const windows: Window[] = [];
    for (let round = 0; round < settings.rounds; round++) {
      const from = measureFrom + round * config.seconds * 1000;
      const to = from + config.seconds * 1000;
      const mine = exchanges.filter((e) => e.endedAt >= from && e.endedAt < to).map((e) => e.exchange);
      const latencies = sortedCopy(mine.map((e) => e.latencyMs));
      windows.push({
        requests: mine.length,
        rps: mine.length / config.seconds,
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        errors: mine.filter((e) => e.outcome !== 'ok').length,
      });
    }
    const measured = exchanges.filter((e) => e.endedAt >= measureFrom && e.endedAt < stopAt).map((e) => e.exchange);
    const requestsInCpuWindow = countAfter - countBefore;
    const failures = exchanges.map((e) => e.exchange).filter((e) => e.outcome !== 'ok');
    return {
      config,
      windows,
      rps: median(windows.map((w) => w.rps)),
      p50: median(windows.map((w) => w.p50)),
      p99: median(windows.map((w) => w.p99)),
      errors: failures.length,
      requests: measured.length,
      peakRss: memory.peakRss,
      kernelPeakRss: memory.kernelPeakRss,
      rssIdle: idle.memory.rss,
      cpuMsPerRequest: cpuBefore === null || cpuAfter === null || requestsInCpuWindow <= 0 ? null : (cpuAfter - cpuBefore) / requestsInCpuWindow,
      errorSamples: failures.slice(0, 3).map((e) => e.transportError ?? `HTTP ${e.status}: ${JSON.stringify(e.errors).slice(0, 200)}`),
    };
  } finally {
    await client.close();
    await subgraph.close();
  }
}

function mb(bytes: number | null): string {
  return bytes === null || !Number.isFinite(bytes) ? 'n/a' : `${(bytes / MB).toFixed(0)} MB`;
}

function range(values: readonly number[]): string {
  if (values.length < 2) return '';
  return ` (${Math.min(...values).toFixed(1)}–${Math.max(...values).toFixed(1)})`;
}

export async function run(): Promise<void> {
  const configs: Config[] = [];
  for (const latencyMs of settings.latencies) for (const concurrency of settings.concurrencies) configs.push({ concurrency, latencyMs, pacing: 'off', seconds: settings.seconds });
  if (settings.paced) {
    const latencyMs = Math.max(...settings.latencies);
    for (const concurrency of settings.concurrencies) configs.push({ concurrency, latencyMs, pacing: 'production', seconds: settings.pacedSeconds });
  }
  process.stdout.write(
    `Q1 over HTTP, closed loop; per configuration a fresh subgraph child (${settings.runtime}, NODE_ENV=production, NODE_OPTIONS=${subgraphNodeOptions() || '(none)'}), ${settings.warmupSeconds} s warm-up, ` +
      `${settings.rounds} windows of ${settings.seconds} s, median over windows; emulator child (demo seed, rate limit off). Node ${process.versions.node}.\n`,
  );
  const results: ConfigResult[] = [];
  const emulator = await startEmulatorProcess('demo');
  try {
    for (const config of configs) {
      process.stderr.write(`throughput: ${config.concurrency} clients, ${config.latencyMs} ms, pacing ${config.pacing}…\n`);
      const result = await measure(emulator, config);
      results.push(result);
      process.stdout.write(
        `  ${String(config.concurrency).padStart(2)} clients, ${String(config.latencyMs).padStart(2)} ms, pacing ${config.pacing}: ${result.rps.toFixed(1)} req/s, ` +
          `p50 ${ms(result.p50)}, p99 ${ms(result.p99)}, ${result.errors} errors, peak RSS ${mb(result.peakRss)}; windows: ` +
          `${result.windows.map((w) => `${w.requests} req ${ms(w.p50)}/${ms(w.p99)}`).join(', ')}\n`,
      );
    }
  } finally {
    await emulator.close();
  }

  const label = (c: Config) => `${c.concurrency} client${c.concurrency === 1 ? '' : 's'}, ${c.latencyMs} ms${c.pacing === 'production' ? ', production pacing' : ''}`;
  const main: ReportTable = {
    header: ['clients', 'upstream latency', 'pacing', 'requests/s (range)', 'p50', 'p99', 'errors', 'requests measured', 'subgraph CPU / request', 'peak RSS (kernel HWM)', 'idle RSS (1 request, GC)'],
    rows: results.map((r) => [
      String(r.config.concurrency),
      `${r.config.latencyMs} ms`,
      r.config.pacing === 'off' ? 'off' : '90/s (default)',
      `${r.rps.toFixed(1)}${range(r.windows.map((w) => w.rps))}`,
      ms(r.p50),
      ms(r.p99),
      String(r.errors),
      String(r.requests),
      r.cpuMsPerRequest === null ? 'n/a' : ms(r.cpuMsPerRequest),
      `${mb(r.peakRss)} (${mb(r.kernelPeakRss)})`,
      mb(r.rssIdle),
    ]),
  };
  process.stdout.write(`\n${table(main.header, main.rows)}\n`);
  const totalErrors = results.reduce((n, r) => n + r.errors, 0);
  const verdicts = [
    `errors over every configuration (warm-up and drain included): ${totalErrors}${totalErrors === 0 ? ' → none' : ` → NOT clean: ${results.flatMap((r) => r.errorSamples).slice(0, 3).join('; ')}`}`,
    ...results
      .filter((r) => r.config.pacing === 'off' && r.config.concurrency === 50)
      .map((r) => `peak RSS at ${r.config.concurrency} clients, ${r.config.latencyMs} ms: ${mb(r.peakRss)} (issue 8 target < 200 MB: ${r.peakRss < 200 * MB ? 'met' : 'NOT MET'})`),
  ];
  for (const v of verdicts) process.stdout.write(`${v}\n`);

  const offResults = results.filter((r) => r.config.pacing === 'off');
  record({
    title: 'Throughput and latency: Q1 over HTTP at 1, 10 and 50 clients, 0 and 20 ms upstream',
    description: [
      `Q1 (\`organizations(first:3) → groups(first:10) → members(first:20) → roles(first:10)\`, ${Q1_CALLS} upstream calls) sent back to back by N HTTP clients ` +
        'to the subgraph in its own process (src transpiled to JavaScript, plain node, `NODE_ENV=production`, a fresh process per configuration), ' +
        'against the emulator in another (demo seed, rate limit off, the latency added to every call). Client-side pacing is off so the figures are the subgraph\'s, ' +
        `not ThoughtSpot's rate limit (with the default 90 calls/s one replica serves at most about ${(90 / Q1_CALLS).toFixed(1)} Q1/s; see mixed-load for production pacing).`,
      `Per configuration: ${settings.warmupSeconds} s warm-up, then ${settings.rounds} consecutive windows of ${settings.seconds} s under the same load; requests/s, p50 and p99 are ` +
        'medians over the windows (range of requests/s in parentheses); a request counts in the window it completes in. Peak RSS: sampled every 100 ms in the subgraph ' +
        'over all windows (kernel high-water mark beside it). CPU per request: the subgraph process\'s CPU time (all threads, /proc) over the windows ÷ requests. ' +
        'Subgraph, emulator and load driver share the 2 cores, so 0 ms figures are CPU-bound on the whole box.',
    ],
    tables: [main],
    verdicts,
    charts: [
      {
        kind: 'bars',
        title: 'Q1 over HTTP: p50 / p99 latency (bars, log scale) and throughput (line)',
        categories: offResults.map((r) => `${r.config.concurrency} client${r.config.concurrency === 1 ? '' : 's'}\n${r.config.latencyMs} ms upstream`),
        series: [
          { name: 'p50 (ms)', values: offResults.map((r) => r.p50) },
          { name: 'p99 (ms)', values: offResults.map((r) => r.p99) },
        ],
        yLabel: 'latency (ms)',
        yScale: 'log',
        line: { name: 'requests/s', values: offResults.map((r) => r.rps), yLabel: 'requests/s', joins: offResults.map((r) => r.config.latencyMs) },
      },
      {
        kind: 'bars',
        title: 'Subgraph peak RSS per configuration (Q1 over HTTP)',
        categories: results.map((r) => label(r.config).replace(', ', '\n')),
        series: [
          { name: 'idle RSS after 1 request + GC (MB)', values: results.map((r) => r.rssIdle / MB) },
          { name: 'peak RSS, sampled (MB)', values: results.map((r) => r.peakRss / MB) },
        ],
        yLabel: 'MB (10^6 bytes)',
      },
    ],
    data: {
      settings,
      query: Q1,
      results: results.map((r) => ({ ...r, errorSamples: r.errorSamples })),
    },
  });
}
