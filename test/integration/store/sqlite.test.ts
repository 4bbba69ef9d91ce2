// The store contract against the embedded SQLite backend, plus what only that backend has: a file it creates, WAL,
// and in-memory databases. The file's databases live in a temporary directory removed at the end, so copies of the
// suite running side by side never share one.

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createClient } from '@libsql/client';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore, StoreValidationError, type OpenStoreOptions } from '../../../src/store/index.js';
import { describeStoreContract } from './contract.js';

const dir = mkdtempSync(join(tmpdir(), 'store-contract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let databases = 0;

/** Runs `sql` on the file behind `options` with a client of its own, bypassing the store. */
async function rawQuery(options: OpenStoreOptions, sql: string): Promise<Record<string, unknown>[]> {
  const client = createClient({ url: pathToFileURL(options.sqlitePath ?? '').href });
  try {
    return (await client.execute(sql)).rows.map((row) => ({ ...row }));
  } finally {
    client.close();
  }
}

describeStoreContract({
  backend: 'sqlite',
  database: () => ({ sqlitePath: join(dir, 'contract', 'store.db') }),
  emptyDatabase: () => ({ sqlitePath: join(dir, `empty-${(databases += 1)}`, 'store.db') }),
  migrationVersions: async (options) =>
    (await rawQuery(options, 'SELECT version FROM schema_migrations ORDER BY version')).map((row) => Number(row['version'])),
});

describe('sqlite backend', () => {
  it('creates missing directories and keeps the file in WAL mode', async () => {
    const sqlitePath = join(dir, 'deep', 'er', 'store.db');
    const store = await openStore({ sqlitePath });
    try {
      expect(existsSync(sqlitePath)).toBe(true);
      expect(await rawQuery({ sqlitePath }, 'PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
    } finally {
      await store.close();
    }
  });

  it('keeps an in-memory database private to its store', async () => {
    const [one, two] = await Promise.all([openStore({ sqlitePath: ':memory:' }), openStore({ sqlitePath: ':memory:' })]);
    try {
      await one.runs.create({ actor: 'a', connectionId: 'prod', organization: { id: 1, name: 'Only here' }, blueprintFingerprint: 'f' });
      expect(await one.runs.listRecent({ organizationName: 'Only here' })).toHaveLength(1);
      expect(await two.runs.listRecent({ organizationName: 'Only here' })).toEqual([]);
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });

  it('refuses a PostgreSQL schema without a databaseUrl', async () => {
    const error = await openStore({ sqlitePath: ':memory:', schema: 'test' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreValidationError);
    expect((error as Error).message).toBe('schema applies to PostgreSQL only, but was given without a databaseUrl.');
  });
});
