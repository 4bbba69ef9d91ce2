// Benchmark: the emulator must never be the bottleneck of another benchmark. (a) Throughput under autocannon on
// loopback of the calls the subgraph makes (users/search as a 20-row page, by one identifier and by group
// identifiers; groups/search; roles/search; orgs/search; auth/token/full), beside two cheaper calls that show where
// the time goes (the bare HTTP floor of the admin health route, and an authenticated GET of the session user). The
// emulator runs in its own process (the CLI) so it gets a core of its own and the load generator does not share its
// event loop. Beside requests/s, the emulator process's CPU time per request (from /proc): on a shared machine it
// moves far less than requests/s, and its inverse is what one core of the emulator can serve.
// (b) Time to build the 100,000-user seed, in process.
//
// Settings (environment): EMULATOR_BENCH_RUNS (5) runs of EMULATOR_BENCH_SECONDS (3) per call;
// EMULATOR_BENCH_CALLS, comma-separated substrings of the call labels to measure (the HTTP floor always, the seed
// build only without it); EMULATOR_BENCH_BASELINE, the path of another emulator's cli.ts (say, a copy of an earlier
// src/emulator beside a package.json of type module) measured side by side, run by run in alternating order, with
// per-run ratios; EMULATOR_BENCH_CPU_PROF, a directory where every CLI writes a V8 CPU profile (--cpu-prof) on exit.

import { EMULATOR_CLI, startEmulatorCli, type EmulatorCli } from '../support/emulator-cli.js';
import { median } from '../support/load.js';
import { readFileSync } from 'node:fs';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { createState } from '../../../src/emulator/domain/index.js';
import { DEFAULT_FIDELITY } from '../../../src/emulator/options.js';
import { record } from '../support/report.js';

/** The figures of this run, for the report. */
const figures: { calls: { label: string; rps: number; p50: number; p99: number; cpuUs: number; baselineRatio: number | null }[]; seedBuildMs: number | null } = {
  calls: [],
  seedBuildMs: null,
};

interface Histogram {
  average: number;
  p50: number;
  p99: number;
}
interface AutocannonResult {
  requests: Histogram;
  latency: Histogram;
  non2xx: number;
  errors: number;
  timeouts: number;
}
interface AutocannonOptions {
  url: string;
  method: string;
  headers?: Record<string, string>;
  body?: string;
  connections: number;
  duration: number;
}
type Autocannon = (options: AutocannonOptions) => Promise<AutocannonResult>;

// autocannon ships no type declarations; it is loaded through require and typed by the interface above.
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

/** Another emulator CLI (a copy of an earlier src/emulator) measured side by side with this one, run by run. */
const BASELINE_CLI = process.env['EMULATOR_BENCH_BASELINE'];
/** A directory: every CLI runs with --cpu-prof and writes its profile there on exit. */
const PROFILE_DIR = process.env['EMULATOR_BENCH_CPU_PROF'];
/** Comma-separated substrings of call labels to measure (default all). */
const ONLY = process.env['EMULATOR_BENCH_CALLS']?.split(',').filter((s) => s.length > 0);
const RUNS = Number(process.env['EMULATOR_BENCH_RUNS'] ?? 5);
const RUN_SECONDS = Number(process.env['EMULATOR_BENCH_SECONDS'] ?? 3);
const CONNECTIONS = 10;
const SEED_USERS = 100_000;
const SEED_RUNS = 3;

/** One measured call: the request autocannon repeats, built against one running CLI. */
interface Call {
  readonly label: string;
  readonly options: (target: Target) => AutocannonOptions;
}
interface Target {
  readonly cli: EmulatorCli;
  readonly headers: Record<string, string>;
  readonly groupIds: readonly string[];
}

async function prepare(cli: EmulatorCli): Promise<Target> {
  const minted = await fetch(`${cli.url}/api/rest/2.0/auth/token/full`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: cli.username, secret_key: cli.secretKey, org_id: 0, validity_time_in_sec: 86_400 }),
  });
  if (minted.status !== 200) throw new Error(`Minting a token failed: ${minted.status} ${await minted.text()}`);
  const { token } = (await minted.json()) as { token: string };
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const groups = await fetch(`${cli.url}/api/rest/2.0/groups/search`, { method: 'POST', headers, body: JSON.stringify({ record_size: -1 }) });
  const groupIds = ((await groups.json()) as { id: string; system_group: boolean }[]).filter((g) => !g.system_group).map((g) => g.id);
  return { cli, headers, groupIds };
}

const API = '/api/rest/2.0';
const SEARCH_20 = JSON.stringify({ record_offset: 0, record_size: 20, sort_options: { field_name: 'NAME', order: 'ASC' } });

function post(target: Target, path: string, body: string, connections = CONNECTIONS): AutocannonOptions {
  return { url: `${target.cli.url}${API}/${path}`, method: 'POST', headers: target.headers, body, connections, duration: RUN_SECONDS };
}

// The calls the subgraph makes (bodies as its adapter sends them), beside the two floors.
const CALLS: readonly Call[] = [
  { label: 'GET /__emulator/health (HTTP floor)', options: (t) => ({ url: `${t.cli.url}/__emulator/health`, method: 'GET', connections: CONNECTIONS, duration: RUN_SECONDS }) },
  { label: 'GET auth/session/user', options: (t) => ({ url: `${t.cli.url}${API}/auth/session/user`, method: 'GET', headers: t.headers, connections: CONNECTIONS, duration: RUN_SECONDS }) },
  { label: 'POST users/search, 20 rows', options: (t) => post(t, 'users/search', SEARCH_20) },
  {
    // The size of the subgraph's per-Org member reads on the demo seed (60–80 rows, about 100 KiB).
    label: 'POST users/search, 80 rows',
    options: (t) => post(t, 'users/search', JSON.stringify({ record_offset: 0, record_size: 80, sort_options: { field_name: 'NAME', order: 'ASC' } })),
  },
  {
    label: 'POST users/search, 1 user_identifier',
    options: (t) => post(t, 'users/search', JSON.stringify({ user_identifier: t.cli.username, sort_options: { field_name: 'NAME', order: 'ASC' }, record_offset: 0, record_size: 1 })),
  },
  {
    label: 'POST users/search, group_identifiers, 20',
    options: (t) =>
      post(t, 'users/search', JSON.stringify({ group_identifiers: t.groupIds, sort_options: { field_name: 'NAME', order: 'ASC' }, record_offset: 0, record_size: 20 })),
  },
  {
    label: 'POST groups/search, 11 rows',
    options: (t) =>
      post(t, 'groups/search', JSON.stringify({ org_identifiers: ['0'], include_users: false, include_sub_groups: false, sort_options: { field_name: 'NAME', order: 'ASC' }, record_offset: 0, record_size: 11 })),
  },
  { label: 'POST roles/search {}', options: (t) => post(t, 'roles/search', '{}') },
  { label: 'POST orgs/search {}', options: (t) => post(t, 'orgs/search', '{}') },
  {
    label: 'POST auth/token/full',
    options: (t) =>
      ({
        url: `${t.cli.url}${API}/auth/token/full`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: t.cli.username, secret_key: t.cli.secretKey, org_id: 0, validity_time_in_sec: 3600 }),
        connections: CONNECTIONS,
        duration: RUN_SECONDS,
      }),
  },
];

interface Sample {
  rps: number;
  p50: number;
  p99: number;
  /** CPU time of the emulator process per request (user + system), µs; NaN where /proc is not available. */
  cpuUs: number;
}

/** CPU seconds the process has used so far (Linux /proc; NaN elsewhere). Steadier than req/s on a shared machine. */
function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}
const CLOCK_TICKS = 100;

async function once1(options: AutocannonOptions, label: string, pid: number | undefined): Promise<Sample> {
  const cpuBefore = cpuSeconds(pid);
  const result = await autocannon(options);
  const cpu = cpuSeconds(pid) - cpuBefore;
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
    throw new Error(`${label}: ${result.non2xx} non-2xx answers, ${result.errors} errors, ${result.timeouts} timeouts.`);
  }
  const requests = result.requests.average * (options.duration ?? RUN_SECONDS);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, cpuUs: (cpu / requests) * 1e6 };
}

/** Runs one call against every target, alternating the order run by run; returns the samples per target. */
async function measure(call: Call, targets: readonly Target[]): Promise<Sample[][]> {
  for (const target of targets) await autocannon({ ...call.options(target), duration: 1 }); // warm-up: JIT, connection pool
  const samples: Sample[][] = targets.map(() => []);
  for (let i = 0; i < RUNS; i++) {
    const order = i % 2 === 0 ? targets.map((_, k) => k) : targets.map((_, k) => targets.length - 1 - k);
    for (const k of order) samples[k]!.push(await once1(call.options(targets[k]!), call.label, targets[k]!.cli.child.pid));
  }
  return samples;
}

async function throughput(): Promise<void> {
  const args = ['--seed', 'large:1000', '--no-rate-limit'];
  const clis: EmulatorCli[] = [];
  try {
    for (const cli of [EMULATOR_CLI, ...(BASELINE_CLI === undefined ? [] : [BASELINE_CLI])]) clis.push(await startEmulatorCli(args, { cli, nodeArgs: PROFILE_DIR === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', PROFILE_DIR] }));
    const targets = await Promise.all(clis.map(prepare));
    const probe = await fetch(`${clis[0]!.url}${API}/users/search`, { method: 'POST', headers: targets[0]!.headers, body: SEARCH_20 });
    const rows = (await probe.json()) as unknown[];
    if (rows.length !== 20) throw new Error(`users/search returned ${rows.length} rows, expected 20.`);
    const bytes = JSON.stringify(rows).length;

    process.stdout.write(
      `(a) Throughput on loopback: emulator in its own process (seed large:1000, rate limit off), autocannon with ` +
        `${CONNECTIONS} connections, median of ${RUNS} runs of ${RUN_SECONDS} s each; the 20-row users/search answer is ` +
        `${(bytes / 1024).toFixed(1)} KiB\n`,
    );
    const baselineHeader =
      BASELINE_CLI === undefined ? '' : `${'base req/s'.padStart(11)}${'ratio'.padStart(7)}${'base CPU µs'.padStart(12)}${'ratio'.padStart(7)}`;
    process.stdout.write(
      `${'call'.padEnd(44)}${'req/s'.padStart(8)}${'p50 ms'.padStart(8)}${'p99 ms'.padStart(8)}${'vs floor'.padStart(9)}` +
        `${'CPU µs'.padStart(8)}${'req/CPU-s'.padStart(10)}${baselineHeader}\n`,
    );
    let floor = 0;
    for (const call of CALLS) {
      if (ONLY !== undefined && !call.label.startsWith('GET /__emulator') && !ONLY.some((o) => call.label.includes(o))) continue;
      const samples = await measure(call, targets);
      const current = samples[0]!;
      const rps = median(current.map((s) => s.rps));
      if (floor === 0) floor = rps;
      const cpuUs = median(current.map((s) => s.cpuUs));
      let line =
        `${call.label.padEnd(44)}${rps.toFixed(0).padStart(8)}${median(current.map((s) => s.p50)).toFixed(1).padStart(8)}` +
        `${median(current.map((s) => s.p99)).toFixed(1).padStart(8)}${(rps / floor).toFixed(2).padStart(9)}` +
        `${cpuUs.toFixed(0).padStart(8)}${(1e6 / cpuUs).toFixed(0).padStart(10)}`;
      if (samples.length > 1) {
        const base = samples[1]!;
        // The ratio of each run pair (measured back to back), then the median: steadier than a ratio of medians.
        const ratios = current.map((s, i) => s.rps / base[i]!.rps);
        const cpuRatios = current.map((s, i) => base[i]!.cpuUs / s.cpuUs);
        line +=
          `${median(base.map((s) => s.rps)).toFixed(0).padStart(11)}${median(ratios).toFixed(2).padStart(7)}` +
          `${median(base.map((s) => s.cpuUs)).toFixed(0).padStart(12)}${median(cpuRatios).toFixed(2).padStart(7)}`;
      }
      process.stdout.write(`${line}\n`);
      figures.calls.push({
        label: call.label,
        rps,
        p50: median(current.map((s) => s.p50)),
        p99: median(current.map((s) => s.p99)),
        cpuUs,
        baselineRatio: samples.length > 1 ? median(current.map((s, i) => s.rps / samples[1]![i]!.rps)) : null,
      });
    }
  } finally {
    for (const cli of clis) {
      cli.child.kill('SIGTERM');
      await once(cli.child, 'exit');
    }
  }
}

function seedBuild(): void {
  const timings: number[] = [];
  let users = 0;
  for (let i = 0; i < SEED_RUNS; i++) {
    const started = performance.now();
    const state = createState({ large: { users: SEED_USERS } }, { fidelity: { ...DEFAULT_FIDELITY }, clock: { now: () => Date.now() } });
    timings.push(performance.now() - started);
    users = state.users.size;
  }
  figures.seedBuildMs = median(timings);
  process.stdout.write(
    `(b) Seed build: createState({ large: { users: ${SEED_USERS} } }) → ${users} users; median of ${SEED_RUNS}: ` +
      `${median(timings).toFixed(0)} ms (runs: ${timings.map((t) => t.toFixed(0)).join(', ')} ms)\n`,
  );
}

/** Runs both measurements and prints the report. */
export async function run(): Promise<void> {
  await throughput();
  if (ONLY === undefined) seedBuild();
  const baseline = figures.calls.some((c) => c.baselineRatio !== null);
  record({
    title: 'Emulator throughput (loopback, its own process)',
    description: [
      `autocannon with ${CONNECTIONS} connections against the emulator CLI (seed large:1000, rate limit off), median of ${RUNS} runs of ${RUN_SECONDS} s per call; ` +
        'CPU per request is the emulator process\'s CPU time (/proc) ÷ requests, steadier than requests/s on a shared machine.',
    ],
    tables: [
      {
        header: ['call', 'requests/s', 'p50', 'p99', 'emulator CPU / request', ...(baseline ? ['vs baseline'] : [])],
        rows: figures.calls.map((c) => [
          c.label,
          c.rps.toFixed(0),
          `${c.p50.toFixed(1)} ms`,
          `${c.p99.toFixed(1)} ms`,
          `${c.cpuUs.toFixed(0)} µs`,
          ...(baseline ? [c.baselineRatio === null ? '' : `${c.baselineRatio.toFixed(2)}×`] : []),
        ]),
      },
    ],
    verdicts: figures.seedBuildMs === null ? [] : [`building the ${SEED_USERS.toLocaleString('en-US')}-user seed: ${figures.seedBuildMs.toFixed(0)} ms (median of ${SEED_RUNS})`],
    data: figures,
  });
}
