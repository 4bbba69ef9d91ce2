// Benchmark: the emulator must never be the bottleneck of another benchmark. (a) Throughput of a 20-row
// users/search under autocannon on loopback, beside two cheaper calls that show where the time goes (the bare HTTP
// floor of the admin health route, and an authenticated GET of the session user); the emulator runs in its own
// process (the CLI) so it gets a core of its own and the load generator does not share its event loop.
// (b) Time to build the 100,000-user seed, in process.

import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createState } from '../../../src/emulator/domain/index.js';
import { DEFAULT_FIDELITY } from '../../../src/emulator/options.js';

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

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const CLI = join(ROOT, 'src', 'emulator', 'cli.ts');
const RUNS = 5;
const RUN_SECONDS = 3;
const CONNECTIONS = 10;
const SEED_USERS = 100_000;
const SEED_RUNS = 3;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Starts the CLI on a free port and reads the URL and secret key from its banner. */
async function startCli(args: readonly string[]): Promise<{ child: ChildProcess; url: string; username: string; secretKey: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--port', '0', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout!.setEncoding('utf8');
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: string) => {
      output += chunk;
      if (output.includes('Press Ctrl+C to stop.')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`The emulator CLI exited with ${code} before it was ready:\n${output}`)));
  });
  await ready;
  const field = (label: string) => {
    const match = new RegExp(`^\\s+${label}\\s+(\\S+)`, 'm').exec(output);
    if (!match) throw new Error(`No "${label}" line in the CLI banner:\n${output}`);
    return match[1]!;
  };
  const url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
  if (!url) throw new Error(`No URL in the CLI banner:\n${output}`);
  return { child, url, username: field('Username'), secretKey: field('Secret key') };
}

async function measure(label: string, options: AutocannonOptions): Promise<{ label: string; rps: number; p50: number; p99: number }> {
  await autocannon({ ...options, duration: 1 }); // warm-up: JIT, connection pool
  const rps: number[] = [];
  const p50: number[] = [];
  const p99: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const result = await autocannon(options);
    if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
      throw new Error(`${label}: ${result.non2xx} non-2xx answers, ${result.errors} errors, ${result.timeouts} timeouts.`);
    }
    rps.push(result.requests.average);
    p50.push(result.latency.p50);
    p99.push(result.latency.p99);
  }
  return { label, rps: median(rps), p50: median(p50), p99: median(p99) };
}

async function throughput(): Promise<void> {
  const { child, url, username, secretKey } = await startCli(['--seed', 'large:1000', '--no-rate-limit']);
  try {
    const minted = await fetch(`${url}/api/rest/2.0/auth/token/full`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, secret_key: secretKey, org_id: 0, validity_time_in_sec: 86_400 }),
    });
    if (minted.status !== 200) throw new Error(`Minting a token failed: ${minted.status} ${await minted.text()}`);
    const { token } = (await minted.json()) as { token: string };
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const searchBody = JSON.stringify({ record_offset: 0, record_size: 20, sort_options: { field_name: 'NAME', order: 'ASC' } });

    const probe = await fetch(`${url}/api/rest/2.0/users/search`, { method: 'POST', headers, body: searchBody });
    const rows = (await probe.json()) as unknown[];
    if (rows.length !== 20) throw new Error(`users/search returned ${rows.length} rows, expected 20.`);
    const bytes = JSON.stringify(rows).length;

    const common = { connections: CONNECTIONS, duration: RUN_SECONDS };
    const results = [
      await measure('GET /__emulator/health (HTTP floor)', { ...common, url: `${url}/__emulator/health`, method: 'GET' }),
      await measure('GET auth/session/user', { ...common, url: `${url}/api/rest/2.0/auth/session/user`, method: 'GET', headers }),
      await measure(`POST users/search, 20 rows (${(bytes / 1024).toFixed(1)} KiB)`, {
        ...common,
        url: `${url}/api/rest/2.0/users/search`,
        method: 'POST',
        headers,
        body: searchBody,
      }),
    ];
    const floor = results[0]!.rps;
    process.stdout.write(
      `(a) Throughput on loopback: emulator in its own process (seed large:1000, rate limit off), autocannon with ` +
        `${CONNECTIONS} connections, median of ${RUNS} runs of ${RUN_SECONDS} s each\n`,
    );
    process.stdout.write(`${'call'.padEnd(48)}${'req/s'.padStart(10)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'vs floor'.padStart(10)}\n`);
    for (const r of results) {
      process.stdout.write(
        `${r.label.padEnd(48)}${r.rps.toFixed(0).padStart(10)}${r.p50.toFixed(1).padStart(9)}${r.p99.toFixed(1).padStart(9)}` +
          `${(r.rps / floor).toFixed(2).padStart(10)}\n`,
      );
    }
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
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
  process.stdout.write(
    `(b) Seed build: createState({ large: { users: ${SEED_USERS} } }) → ${users} users; median of ${SEED_RUNS}: ` +
      `${median(timings).toFixed(0)} ms (runs: ${timings.map((t) => t.toFixed(0)).join(', ')} ms)\n`,
  );
}

/** Runs both measurements and prints the report. */
export async function run(): Promise<void> {
  await throughput();
  seedBuild();
}
