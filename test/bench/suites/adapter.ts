// Benchmark: what the ThoughtSpot adapter costs, and whether its rate limiter keeps the subgraph clear of 429s.
// (a) Overhead: the same users/search (20 rows of the demo seed's Primary Org) sent by the adapter and by a bare
//     undici.request on an identical pool (same headers, same token, JSON parsed), sequentially and 16 in flight;
//     each run interleaves blocks of both, and the ratio reported is the median over runs. The adapter's own limiter is off here: this measures
//     its per-call machinery (breaker, semaphore, deadline, retry loop, decoding into records), not pacing.
// (b) Pacing: 1,000 calls fired at once against an emulator enforcing ThoughtSpot's documented limit (100 requests/s
//     per client IP, burst 10): with the adapter's defaults, at the documented limit itself, and with no client
//     limiter, counting the 429s the emulator answered.
// The emulator runs in its own process (the CLI), so it has its own event loop, as a real cluster would.

import { startEmulatorCli, stopEmulatorCli, type EmulatorCli } from '../support/emulator-cli.js';
import { median } from '../support/load.js';
import { Pool } from 'undici';
import { createThoughtSpotClient, type ThoughtSpotClient, type ThoughtSpotClientOptions } from '../../../src/thoughtspot/index.js';
import type { UpstreamCallEvent } from '../../../src/thoughtspot/types.js';
import { record } from '../support/report.js';

/** The figures of this run, for the report. */
const figures: {
  overhead: { label: string; rawUs: number; adapterUs: number; ratio: number; ratios: number[] }[];
  bursts: { label: string; seconds: number; rate: number; peakPerSecond: number; upstream429: number; failed: number }[];
} = { overhead: [], bursts: [] };

const SEARCH_PATH = '/api/rest/2.0/users/search';
const SEARCH_BODY = { sort_options: { field_name: 'NAME', order: 'ASC' }, record_offset: 0, record_size: 20 };
const RUNS = 7;
const BLOCKS = 10;
const SEQUENTIAL_CALLS = 1_000;
const CONCURRENT_CALLS = 2_000;
const CONCURRENCY = 16;
const WARMUP_CALLS = 300;
const BURST_CALLS = 1_000;
const PACED_RUNS = 3;


/** Call the emulator's admin route (not rate limited, not logged). */
async function admin(pool: Pool, method: 'GET' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<unknown> {
  const response = await pool.request({
    method,
    path: `/__emulator${path}`,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await response.body.text();
  if (response.statusCode >= 300) throw new Error(`admin ${method} ${path} answered ${response.statusCode}: ${text}`);
  return text === '' ? null : JSON.parse(text);
}

/** Run `total` calls with `concurrency` in flight; returns milliseconds per call. */
async function timeCalls(total: number, concurrency: number, call: () => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next += 1;
        await call();
      }
    }),
  );
  return (performance.now() - started) / total;
}

async function overhead(cli: EmulatorCli): Promise<void> {
  const headers = { accept: 'application/json', 'accept-language': 'en-US', 'user-agent': 'bench', 'content-type': 'application/json' };
  const rawPool = new Pool(cli.url, { connections: CONCURRENCY, pipelining: 1 });
  const minted = await rawPool.request({
    method: 'POST',
    path: '/api/rest/2.0/auth/token/full',
    headers,
    body: JSON.stringify({ username: cli.username, secret_key: cli.secretKey, org_id: 0, validity_time_in_sec: 3600 }),
  });
  const { token } = (await minted.body.json()) as { token: string };
  const rawHeaders = { ...headers, authorization: `Bearer ${token}` };
  const body = JSON.stringify(SEARCH_BODY);
  const raw = async (): Promise<unknown> => {
    const response = await rawPool.request({ method: 'POST', path: SEARCH_PATH, headers: rawHeaders, body });
    if (response.statusCode !== 200) throw new Error(`raw search answered ${response.statusCode}`);
    return response.body.json();
  };

  const client = createThoughtSpotClient({
    baseUrl: cli.url,
    credentials: { username: cli.username, secretKey: cli.secretKey },
    rateLimit: false,
    maxConcurrency: CONCURRENCY,
  });
  const adapted = (): Promise<unknown> => client.searchUsers({ orgId: 0 }, {}, { offset: 0, size: 20 });
  const rows = (await adapted()) as unknown[];
  if (rows.length !== 20) throw new Error(`expected 20 users from the demo seed, got ${rows.length}`);

  try {
    await timeCalls(WARMUP_CALLS, CONCURRENCY, raw);
    await timeCalls(WARMUP_CALLS, CONCURRENCY, adapted);
    for (const [label, total, concurrency] of [
      ['sequential (1 in flight)', SEQUENTIAL_CALLS, 1],
      [`concurrent (${CONCURRENCY} in flight)`, CONCURRENT_CALLS, CONCURRENCY],
    ] as const) {
      const rawTimes: number[] = [];
      const adapterTimes: number[] = [];
      const ratios: number[] = [];
      for (let run = 0; run < RUNS; run += 1) {
        // Interleave small blocks so drift (GC, the other process, CPU frequency) hits both sides alike.
        let rawMs = 0;
        let adapterMs = 0;
        const block = total / BLOCKS;
        for (let index = 0; index < BLOCKS; index += 1) {
          if (index % 2 === 0) {
            rawMs += await timeCalls(block, concurrency, raw);
            adapterMs += await timeCalls(block, concurrency, adapted);
          } else {
            adapterMs += await timeCalls(block, concurrency, adapted);
            rawMs += await timeCalls(block, concurrency, raw);
          }
        }
        rawTimes.push(rawMs / BLOCKS);
        adapterTimes.push(adapterMs / BLOCKS);
        ratios.push(adapterMs / rawMs);
      }
      const rawMedian = median(rawTimes) * 1000;
      const adapterMedian = median(adapterTimes) * 1000;
      process.stdout.write(
        `  ${label.padEnd(26)} raw undici ${rawMedian.toFixed(0).padStart(5)} µs/call   adapter ${adapterMedian.toFixed(0).padStart(5)} µs/call` +
          `   ratio ${median(ratios).toFixed(2)} (runs: ${ratios.map((ratio) => ratio.toFixed(2)).join(' ')})` +
          `   overhead ${(adapterMedian - rawMedian).toFixed(0)} µs\n`,
      );
      figures.overhead.push({ label, rawUs: rawMedian, adapterUs: adapterMedian, ratio: median(ratios), ratios });
    }
  } finally {
    await client.close();
    await rawPool.close();
  }
}

interface BurstResult {
  readonly seconds: number;
  readonly upstream429: number;
  readonly sent: number;
  readonly failed: number;
  readonly peakPerSecond: number;
}

/** Fire BURST_CALLS at once through a client and count what the emulator answered. */
async function burst(cli: EmulatorCli, adminPool: Pool, rateLimit: ThoughtSpotClientOptions['rateLimit'], retries: number): Promise<BurstResult> {
  const events: UpstreamCallEvent[] = [];
  const client: ThoughtSpotClient = createThoughtSpotClient({
    baseUrl: cli.url,
    credentials: { username: cli.username, secretKey: cli.secretKey },
    ...(rateLimit === undefined ? {} : { rateLimit }),
    retry: { maxRetries: retries },
    timeouts: { deadlineMs: 60_000 },
    onUpstreamCall: (event) => events.push(event),
  });
  try {
    // The previous burst may have left the emulator's bucket empty, and the run without retries would take the
    // warm-up's 429 as a failure (it did, once in a while): let the bucket refill first.
    await new Promise((resolve) => setTimeout(resolve, 500));
    await client.getCurrentUser({ orgId: 0 });
    // A fresh bucket on both sides: wait for ThoughtSpot's to refill after the warm-up, then clear the log.
    await new Promise((resolve) => setTimeout(resolve, 500));
    await admin(adminPool, 'DELETE', '/calls');
    const started = performance.now();
    const outcomes = await Promise.allSettled(
      Array.from({ length: BURST_CALLS }, () => client.searchUsers({ orgId: 0 }, {}, { offset: 0, size: 1 })),
    );
    const seconds = (performance.now() - started) / 1000;
    const calls = (await admin(adminPool, 'GET', `/calls?endpoint=${encodeURIComponent(`POST ${SEARCH_PATH}`)}`)) as {
      status: number;
      at: number;
    }[];
    // Busiest one-second window of arrivals, as the emulator's clock saw them.
    const times = calls.map((call) => call.at).sort((a, b) => a - b);
    let peak = 0;
    for (let i = 0, j = 0; j < times.length; j += 1) {
      while ((times[j] as number) - (times[i] as number) >= 1_000) i += 1;
      peak = Math.max(peak, j - i + 1);
    }
    return {
      seconds,
      upstream429: calls.filter((call) => call.status === 429).length,
      sent: calls.length,
      failed: outcomes.filter((outcome) => outcome.status === 'rejected').length,
      peakPerSecond: peak,
    };
  } finally {
    await client.close();
  }
}

async function pacing(cli: EmulatorCli): Promise<void> {
  const adminPool = new Pool(cli.url, { connections: 1 });
  try {
    await admin(adminPool, 'PATCH', '/config', { rateLimit: { enabled: true, requestsPerSecond: 100, burst: 10 } });
    const report = (label: string, result: BurstResult): void => {
      process.stdout.write(
        `  ${label.padEnd(44)} ${String(BURST_CALLS)} calls in ${result.seconds.toFixed(2)} s = ${(BURST_CALLS / result.seconds).toFixed(1)}/s` +
          `   busiest second ${result.peakPerSecond}   sent ${result.sent}   429s ${result.upstream429}   failed ${result.failed}\n`,
      );
      figures.bursts.push({
        label,
        seconds: result.seconds,
        rate: BURST_CALLS / result.seconds,
        peakPerSecond: result.peakPerSecond,
        upstream429: result.upstream429,
        failed: result.failed,
      });
    };
    for (let run = 1; run <= PACED_RUNS; run += 1) {
      report(`defaults (90/s, burst 5), run ${run}`, await burst(cli, adminPool, undefined, 5));
    }
    report('at the documented limit (100/s, burst 10)', await burst(cli, adminPool, { requestsPerSecond: 100, burst: 10 }, 5));
    report('no client limiter, no retries', await burst(cli, adminPool, false, 0));
  } finally {
    await adminPool.close();
  }
}

/** Entry point for `npm run bench -- adapter`. */
export async function run(): Promise<void> {
  const cli = await startEmulatorCli(['--seed', 'demo', '--no-rate-limit']);
  try {
    process.stdout.write('Adapter overhead: users/search, 20 rows, loopback, emulator in its own process\n');
    await overhead(cli);
    process.stdout.write(`\nRate limiter: ${BURST_CALLS} concurrent calls; emulator enforces 100 requests/s, burst 10\n`);
    await pacing(cli);
  } finally {
    await stopEmulatorCli(cli.child);
  }
  record({
    title: 'Adapter overhead and pacing',
    description: [
      `Overhead against raw \`undici.request\` for the same 20-row \`users/search\` (same headers and token, JSON parsed on both sides), interleaved blocks, ` +
        `ratio = median of ${RUNS} runs. Pacing: ${BURST_CALLS} calls fired at once at an emulator enforcing 100 requests/s with a burst of 10.`,
    ],
    tables: [
      {
        header: ['load', 'raw undici', 'adapter', 'ratio (spread)', 'cost per call'],
        rows: figures.overhead.map((o) => [
          o.label,
          `${o.rawUs.toFixed(0)} µs`,
          `${o.adapterUs.toFixed(0)} µs`,
          `${o.ratio.toFixed(2)} (${Math.min(...o.ratios).toFixed(2)}–${Math.max(...o.ratios).toFixed(2)})`,
          `~${(o.adapterUs - o.rawUs).toFixed(0)} µs`,
        ]),
      },
      {
        header: ['client setting', 'time, rate', 'busiest second', '429s', 'failed'],
        rows: figures.bursts.map((b) => [b.label, `${b.seconds.toFixed(2)} s, ${b.rate.toFixed(1)}/s`, String(b.peakPerSecond), String(b.upstream429), String(b.failed)]),
      },
    ],
    data: figures,
  });
}
