// Durability of the operational store (issue "Callers, tenants and connections"): a server killed outright (SIGKILL,
// no shutdown) right after an audited write has that write's audit event and its effect in its store when it starts
// again, on both backends: an SQLite file, and PostgreSQL (127.0.0.1:5432, database `test`, in a schema of this
// test's own so a second copy of the suite beside it shares nothing).

import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const DATABASE_URL = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const children: ChildProcess[] = [];
const cleanups: (() => Promise<void>)[] = [];

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const cleanup of cleanups) await cleanup();
});

/** Starts `src/main.ts` on the embedded emulator with `store` env; resolves to its URL once it listens. */
async function startServer(store: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? root,
      PORT: '0',
      HOST: '127.0.0.1',
      EMULATOR_SEED: 'minimal',
      LOG_LEVEL: 'warn',
      SECRETS_KEY: KEY,
      ...store,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let text = '';
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    errors += chunk.toString('utf8');
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const match = /ready at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(text);
      if (match?.[1] !== undefined) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`The server exited (${String(code)}) before listening: ${errors}`)));
  });
  return { child, url };
}

async function graphql(url: string, query: string): Promise<{ data?: Record<string, unknown>; errors?: unknown[] }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  return (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
}

const KEY = randomBytes(32).toString('base64');

/** Writes, kills the server with SIGKILL, starts it again on the same store, and reads the write back. */
async function writeKillRestart(store: Record<string, string>): Promise<void> {
  const id = `durable-${randomBytes(4).toString('hex')}`;
  const first = await startServer(store);
  const created = await graphql(
    first.url,
    `mutation { thoughtSpotConnectionCreate(input: { id: "${id}", name: "Durable", baseUrl: "https://durable.example", username: "svc", password: "durable-password" }) { connection { id } userErrors { code } } }`,
  );
  expect(created).toEqual({ data: { thoughtSpotConnectionCreate: { connection: { id }, userErrors: [] } } });
  const exited = once(first.child, 'exit');
  first.child.kill('SIGKILL');
  await exited;

  const second = await startServer(store);
  const read = await graphql(
    second.url,
    `{ thoughtSpotConnections { id } auditEvents(operation: "thoughtSpotConnectionCreate") { nodes { actor targetId outcome input } } }`,
  );
  expect(read.errors).toBeUndefined();
  expect((read.data?.['thoughtSpotConnections'] as { id: string }[]).map((c) => c.id)).toContain(id);
  const events = (read.data?.['auditEvents'] as { nodes: { actor: string; targetId: string; outcome: string; input: string }[] }).nodes;
  const event = events.find((e) => e.targetId === id);
  expect(event).toMatchObject({ actor: 'local', outcome: 'SUCCESS' });
  expect(event?.input).not.toContain('durable-password');
  second.child.kill('SIGTERM');
  await once(second.child, 'exit');
}

describe('a write survives a SIGKILL', () => {
  it('on the SQLite file', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'directory-store-'));
    cleanups.push(() => Promise.resolve(rmSync(directory, { recursive: true, force: true })));
    await writeKillRestart({ STORE_PATH: join(directory, 'store.db') });
  }, 60_000);

  it('on PostgreSQL', async () => {
    const schema = `durability_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    cleanups.push(async () => {
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    });
    const url = new URL(DATABASE_URL);
    url.searchParams.set('options', `-c search_path=${schema}`);
    await writeKillRestart({ DATABASE_URL: url.href });
  }, 60_000);
});
