import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { once } from 'node:events';
import { Agent, request } from 'node:http';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_LARGE_SEED_USERS, parseCliArgs, USAGE } from '../../src/emulator/cli.js';
import { send } from './support/http.js';
import { isAlive, portIsFree } from '../support/processes.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = join(ROOT, 'src', 'emulator', 'cli.ts');

/** Runs the CLI in a child process until it exits, or until `until` matches its output (then sends SIGTERM). */
async function runCli(args: string[], until?: RegExp, whileRunning?: (output: string) => Promise<void>) {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  if (until) {
    await new Promise<void>((resolve, reject) => {
      const check = () => {
        if (until.test(stdout)) resolve();
      };
      child.stdout.on('data', check);
      void exited.then(([code]) => reject(new Error(`CLI exited with ${code} before printing ${until}:\n${stdout}\n${stderr}`)));
    });
    try {
      await whileRunning?.(stdout);
    } finally {
      child.kill('SIGTERM');
    }
  }
  const [code] = await exited;
  return { code, stdout, stderr };
}

describe('emulator CLI argument parsing', () => {
  it('defaults to the demo seed on 127.0.0.1:4010', () => {
    expect(parseCliArgs([])).toEqual({
      seed: 'demo',
      host: '127.0.0.1',
      port: 4010,
      adminPrefix: '/__emulator',
      latencyMs: 0,
      fidelity: {},
      rateLimit: {},
    });
  });

  it('maps flags to seed, rate limit and fidelity options', () => {
    expect(
      parseCliArgs([
        '--seed', 'large:2500', '--port=0', '--rate-limit', '20:5', '--retry-after', '--error-shape', 'A',
        '--latency', '15', '--no-rbac', '--permission-errors-as-500', '--max-record-size', '500', '--secret-key', 'k',
      ]),
    ).toMatchObject({
      seed: { large: { users: 2500 } },
      port: 0,
      latencyMs: 15,
      rateLimit: { enabled: true, requestsPerSecond: 20, burst: 5, retryAfterHeader: true },
      fidelity: { errorShape: 'A', rbacEnabled: false, permissionErrorsAs500: true, maxRecordSize: 500, secretKey: 'k' },
    });
    expect(parseCliArgs(['--seed', 'large', '--no-rate-limit'])).toMatchObject({
      seed: { large: { users: DEFAULT_LARGE_SEED_USERS } },
      rateLimit: { enabled: false },
    });
  });

  it('names the flag and the accepted values for bad input', () => {
    expect(() => parseCliArgs(['--seed', 'huge'])).toThrow('--seed expects one of demo, minimal, large or large:N, but got: "huge".');
    expect(() => parseCliArgs(['--error-shape', 'C'])).toThrow('--error-shape expects one of A, B, but got: "C".');
    expect(() => parseCliArgs(['--port', '70000'])).toThrow('--port expects a port number from 0 to 65535, but got: "70000".');
    expect(() => parseCliArgs(['--rate-limit', 'fast'])).toThrow(
      '--rate-limit expects RPS or RPS:BURST (e.g. 100:10), with RPS > 0, but got: "fast".',
    );
    expect(() => parseCliArgs(['--latency'])).toThrow('--latency needs a value.');
    expect(() => parseCliArgs(['--no-rate-limit', '--rate-limit', '5'])).toThrow('--no-rate-limit and --rate-limit cannot be combined.');
    expect(() => parseCliArgs(['--no-orgs=yes'])).toThrow('--no-orgs takes no value, but got: "yes".');
    expect(() => parseCliArgs(['--verbose'])).toThrow(/^Unknown option --verbose: expected one of --seed, --port, /);
  });
});

describe('emulator CLI process', () => {
  it('prints usage for --help and exits 0', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(0);
    expect(stdout).toBe(USAGE);
    expect(stdout).toContain('--seed demo|minimal|large[:N]');
  });

  it('exits 2 with a message naming the bad flag', async () => {
    const { code, stdout, stderr } = await runCli(['--error-shape', 'Z']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe('thoughtspot-emulator: --error-shape expects one of A, B, but got: "Z".\nRun with --help for usage.\n');
  });

  it('starts, prints the URL, credentials and a working curl example, and stops on SIGTERM', async () => {
    let minted = 0;
    const { code, stdout } = await runCli(['--seed', 'minimal', '--port', '0'], /Press Ctrl\+C to stop\./, async (output) => {
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+) \(seed minimal\)/.exec(output)?.[1];
      expect(url).toBeDefined();
      // The curl example's body, sent as printed, mints a token.
      const body = /-d '(\{.*\})'/.exec(output)?.[1];
      const result = await send(url!, 'POST', '/api/rest/2.0/auth/token/full', { body: body! });
      expect(result.status).toBe(200);
      minted += 1;
    });
    expect(minted).toBe(1);
    expect(stdout).toMatch(/^ {2}Username {6}\S+$/m);
    expect(stdout).toMatch(/^ {2}Password {6}\S+$/m);
    expect(stdout).toMatch(/^ {2}Secret key {4}\S+$/m);
    expect(stdout).toContain('Rate limit    100 requests/s per client IP, burst 10');
    expect(stdout).toContain('Received SIGTERM, shutting down.');
    expect(code).toBe(0);
  });
});

/** A CLI process started in its own process group, once it has printed its banner. */
interface ServingCli {
  readonly child: ChildProcessByStdio<null, Readable, Readable>;
  readonly url: string;
  readonly port: number;
  readonly exited: Promise<[number | null, NodeJS.Signals | null]>;
  output(): { stdout: string; stderr: string };
}

/**
 * Starts `node --import tsx cli.ts` as the leader of a new process group (`detached`), so a test can tell whether
 * anything of it survives: `kill(-pid, 0)` reaches every process left in the group, helpers such as esbuild's
 * service included.
 */
async function startServing(args: string[]): Promise<ServingCli> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  await new Promise<void>((resolve, reject) => {
    const check = () => {
      if (/Press Ctrl\+C to stop\./.test(stdout)) resolve();
    };
    child.stdout.on('data', check);
    void exited.then(([code]) => reject(new Error(`CLI exited with ${code} before serving:\n${stdout}\n${stderr}`)));
  });
  const url = /listening on (http:\/\/127\.0\.0\.1:(\d+)) /.exec(stdout);
  if (url === null) throw new Error(`Expected the banner to name the URL, but got:\n${stdout}`);
  return { child, url: url[1]!, port: Number(url[2]), exited, output: () => ({ stdout, stderr }) };
}

/** One HTTP request through `agent`; resolves with the status once the body has been read. */
function get(agent: Agent, url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    })
      .on('error', reject)
      .end();
  });
}

describe('emulator CLI shutdown', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'closes kept-alive and in-flight connections on %s, exits 0 and leaves nothing holding the port',
    async (signal) => {
      const cli = await startServing(['--seed', 'minimal', '--port', '0', '--no-rate-limit']);
      const pid = cli.child.pid!;
      const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 });
      try {
        // An idle kept-alive connection: server.close() alone would wait for it to time out.
        expect(await get(keepAlive, `${cli.url}/__emulator/health`)).toBe(200);
        const idle = Object.values(keepAlive.freeSockets).flat();
        expect(idle).toHaveLength(1);
        const idleClosed = once(idle[0]!, 'close');
        // An in-flight request that never gets an answer: server.close() alone would wait for it forever.
        const installed = await send(cli.url, 'POST', '/__emulator/faults', { body: { route: 'POST /users/search', hang: true } });
        expect(installed.status).toBe(201);
        const hanging = send(cli.url, 'POST', '/api/rest/2.0/users/search', { body: {} });
        const hangingOutcome = hanging.then(
          (result) => `answered ${result.status}`,
          () => 'connection closed',
        );
        await vi.waitFor(async () => {
          const calls = (await send(cli.url, 'GET', '/__emulator/calls')).body as { endpoint: string | null }[];
          expect(calls.map((c) => c.endpoint)).toContain('POST /api/rest/2.0/users/search');
        });

        cli.child.kill(signal);
        const [code, killedBy] = await cli.exited;
        expect({ code, killedBy, stderr: cli.output().stderr }).toEqual({ code: 0, killedBy: null, stderr: '' });
        expect(cli.output().stdout).toContain(`Received ${signal}, shutting down.`);
        expect(await hangingOutcome).toBe('connection closed');
        await idleClosed;
        expect(await portIsFree(cli.port)).toBe(true);
        // Helpers the process started (tsx's esbuild service) end when their parent does, not necessarily before
        // the parent's exit event: wait for the group to empty rather than expect it at once.
        await vi.waitFor(() => expect(isAlive(-pid)).toBe(false), { timeout: 10_000, interval: 50 });
      } finally {
        keepAlive.destroy();
        if (isAlive(-pid)) process.kill(-pid, 'SIGKILL');
      }
    },
  );
});
