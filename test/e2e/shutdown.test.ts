import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
let child: ChildProcess | undefined;

afterAll(() => {
  // Only if a failed assertion left it running: the test itself ends it with SIGTERM.
  if (child !== undefined && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** Collects a stream into a string and resolves when `pattern` appears in it. */
function watch(stream: NodeJS.ReadableStream): { text: () => string; waitFor: (pattern: RegExp) => Promise<RegExpMatchArray> } {
  let text = '';
  const waiters: { pattern: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    text += chunk;
    for (const waiter of [...waiters]) {
      const match = text.match(waiter.pattern);
      if (match) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(match);
      }
    }
  });
  return {
    text: () => text,
    waitFor: (pattern) =>
      new Promise((resolve) => {
        const match = text.match(pattern);
        if (match) resolve(match);
        else waiters.push({ pattern, resolve });
      }),
  };
}

describe('npm start (src/main.ts)', () => {
  it('starts the embedded emulator, prints its URL and a first query, and drains in-flight requests on SIGTERM', async () => {
    // `node --import tsx` is what `npm start` (tsx src/main.ts) runs, in one process, so the signal reaches main.ts.
    child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: root,
      env: { PATH: process.env['PATH'] ?? '', PORT: '0', HOST: '127.0.0.1', EMULATOR_SEED: 'minimal', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stdout = watch(child.stdout as NodeJS.ReadableStream);
    const stderr = watch(child.stderr as NodeJS.ReadableStream);
    const exited = once(child, 'exit');

    const [, url] = await stdout.waitFor(/ready at (http:\/\/127\.0\.0\.1:\d+\/)/);
    await stdout.waitFor(/query FirstLook \{[\s\S]*\n\}\n/);
    expect(stdout.text()).toContain('Directory: an embedded ThoughtSpot emulator (seed: minimal;');
    const [, emulatorUrl] = await stderr.waitFor(/"message":"embedded ThoughtSpot emulator started","url":"(http:\/\/127\.0\.0\.1:\d+)"/);

    const health = await fetch(new URL('health', url));
    expect(health.status).toBe(200);

    // Slow the directory down, start a query, then ask the process to stop while the query is in flight.
    const patched = await fetch(`${emulatorUrl}/__emulator/config`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ latencyMs: 400 }),
    });
    expect(patched.status).toBe(200);
    const inFlight = fetch(url as string, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ organizations { nodes { name } } }' }),
    });
    // Wait (bounded) until the query has reached the directory, so it is provably in flight when the signal lands.
    for (let attempt = 0; attempt < 250; attempt++) {
      const calls = (await (await fetch(`${emulatorUrl}/__emulator/calls`)).json()) as unknown;
      if (JSON.stringify(calls).includes('orgs/search')) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    child.kill('SIGTERM');

    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { organizations: { nodes: [{ name: 'Primary' }] } } });
    const [code, signal] = (await exited) as [number | null, NodeJS.Signals | null];
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(stdout.text()).toContain('SIGTERM received, draining requests…');
    expect(stdout.text()).toContain('Stopped.');
    await expect(fetch(new URL('health', url))).rejects.toThrow();
  }, 60_000);

  it('exits with a configuration error listing every problem', async () => {
    const bad = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: root,
      env: { PATH: process.env['PATH'] ?? '', PORT: 'eighty', THOUGHTSPOT_URL: 'https://acme.thoughtspot.cloud' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stderr = watch(bad.stderr as NodeJS.ReadableStream);
    const [code] = (await once(bad, 'exit')) as [number | null];
    expect(code).toBe(78);
    expect(stderr.text()).toBe(
      [
        'Invalid configuration:',
        '- PORT must be an integer from 0 to 65535, but got: "eighty".',
        '- THOUGHTSPOT_USERNAME must be set when THOUGHTSPOT_URL is set, but got: nothing.',
        '- Exactly one of THOUGHTSPOT_SECRET_KEY and THOUGHTSPOT_PASSWORD must be set when THOUGHTSPOT_URL is set, but got: neither.',
        '',
      ].join('\n'),
    );
  }, 60_000);
});
