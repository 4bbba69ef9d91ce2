import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LARGE_SEED_USERS, parseCliArgs, USAGE } from '../../src/emulator/cli.js';
import { send } from './support/http.js';

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
