// The store's contract: one suite that every backend must pass, run by sqlite.test.ts and postgres.test.ts against
// their own isolated database. It speaks only the public interface (src/store/index.ts), so whatever it proves
// holds for the rest of src whichever backend is configured.
//
// Isolation: each test file gives the suite its own database (a temporary SQLite file, a uniquely named PostgreSQL
// schema) and removes it afterwards. Inside a file the tests share that database, so every test names its rows
// with a fresh random suffix (`unique`) and reads through filters on them, never counting whole tables.

import { randomUUID } from 'node:crypto';
import { inspect } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  openStore,
  StoreConflictError,
  StoreNotFoundError,
  StoreUnavailableError,
  StoreValidationError,
  StoreVersionConflictError,
  type AuditEvent,
  type AuditEventInput,
  type AuditFilter,
  type ConnectionCreateInput,
  type IdempotencyClaimInput,
  type OpenStoreOptions,
  type Store,
  type StoreBackend,
} from '../../../src/store/index.js';

/** What a test file hands the contract: how to reach its database, and how to look inside one. */
export interface ContractTarget {
  readonly backend: StoreBackend;
  /** Options opening the file's own database; every call names the same one. */
  database(): OpenStoreOptions;
  /** Options for a database nobody has opened yet (a new file, a new schema); the test file removes it afterwards. */
  emptyDatabase(): OpenStoreOptions;
  /** The versions recorded in a database's schema_migrations table, read without the store. */
  migrationVersions(options: OpenStoreOptions): Promise<number[]>;
}

/** Every test and hook gets this long: the suite waits on a database that may share the machine with other runs. */
export const STORE_TEST_TIMEOUT_MS = 30_000;

/** A manually moved clock for the tests about expiry. */
interface ManualClock {
  readonly now: () => Date;
  advance(ms: number): void;
}

function manualClock(start: Date): ManualClock {
  let time = start.getTime();
  return {
    now: () => new Date(time),
    advance: (ms) => {
      time += ms;
    },
  };
}

/** A name no other test (or other copy of this suite) uses: lower-case, so it is also a valid connection id. */
const unique = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;

/** Everything a caught error shows when logged: message, stack, cause chain and own fields. */
const everythingShown = (error: unknown): string => `${inspect(error, { depth: 8 })}\n${JSON.stringify(error)}\n${String((error as Error).stack)}`;

/** The error a promise rejects with (fails the test when it resolves). */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the promise to reject, but it resolved');
}

/** Runs the contract against `target`. */
export function describeStoreContract(target: ContractTarget): void {
  describe(`store contract (${target.backend})`, { timeout: STORE_TEST_TIMEOUT_MS }, () => {
    let store: Store;
    const opened: Store[] = [];
    const open = async (options: OpenStoreOptions): Promise<Store> => {
      const next = await openStore(options);
      opened.push(next);
      return next;
    };

    // A database that cannot be opened fails every test of the contract, each with the reason. Thrown from
    // beforeAll, the error would fail the file but leave its tests reported as skipped, and CI must never read an
    // unreachable database as tests skipped.
    let openError: unknown;
    beforeAll(async () => {
      try {
        store = await open(target.database());
      } catch (error) {
        openError = error;
      }
    }, STORE_TEST_TIMEOUT_MS);
    beforeEach(() => {
      if (openError !== undefined) throw openError;
    });

    afterAll(async () => {
      await Promise.all(opened.map((each) => each.close()));
    }, STORE_TEST_TIMEOUT_MS);

    const connectionInput = (overrides: Partial<ConnectionCreateInput> = {}): ConnectionCreateInput => ({
      id: unique('conn'),
      name: 'Production cluster',
      baseUrl: 'https://analytics.example.com',
      username: 'svc-directory',
      secretKind: 'SECRET_KEY',
      secret: { keyId: 'key-2031-01', ciphertext: `ciphertext-${randomUUID()}` },
      createdBy: 'alice',
      ...overrides,
    });

    it('reports which backend it runs on and answers a ping', async () => {
      expect(store.backend).toBe(target.backend);
      await expect(store.ping()).resolves.toBeUndefined();
    });

    describe('connections', () => {
      it('creates a connection at version 1 and reads it back by id and in the list', async () => {
        const input = connectionInput({ defaultOrgName: 'Tenant A' });
        const before = Date.now();
        const created = await store.connections.create(input);
        expect(created).toEqual({
          id: input.id,
          name: 'Production cluster',
          baseUrl: 'https://analytics.example.com',
          username: 'svc-directory',
          secretKind: 'SECRET_KEY',
          secret: input.secret,
          defaultOrgName: 'Tenant A',
          version: 1,
          createdAt: expect.any(Date),
          createdBy: 'alice',
          updatedAt: created.createdAt,
          updatedBy: 'alice',
          healthCheck: null,
        });
        expect(created.createdAt.getTime()).toBeGreaterThanOrEqual(before);
        expect(await store.connections.get(input.id)).toEqual(created);
        expect((await store.connections.list()).filter((each) => each.id === input.id)).toEqual([created]);
      });

      it('lists connections ordered by id', async () => {
        const prefix = unique('order');
        for (const suffix of ['b', 'c', 'a']) await store.connections.create(connectionInput({ id: `${prefix}-${suffix}` }));
        const ids = (await store.connections.list()).map((each) => each.id).filter((id) => id.startsWith(prefix));
        expect(ids).toEqual([`${prefix}-a`, `${prefix}-b`, `${prefix}-c`]);
      });

      it('refuses a duplicate id with StoreConflictError and keeps the first connection', async () => {
        const first = await store.connections.create(connectionInput());
        const error = await rejection(
          store.connections.create(connectionInput({ id: first.id, name: 'Impostor', secret: { keyId: 'k', ciphertext: 'other-ciphertext' } })),
        );
        expect(error).toBeInstanceOf(StoreConflictError);
        expect(error).toMatchObject({ code: 'STORE_ERR_CONFLICT', entity: 'Connection', key: first.id });
        expect(error.message).toBe(`Connection "${first.id}" already exists.`);
        expect(everythingShown(error)).not.toContain('other-ciphertext');
        expect(await store.connections.get(first.id)).toEqual(first);
      });

      it('validates the id and says what one looks like', async () => {
        for (const id of ['Prod', '', 'a'.repeat(65), 'with_underscore', 'sp ace']) {
          const error = await rejection(store.connections.create(connectionInput({ id })));
          expect(error).toBeInstanceOf(StoreValidationError);
          expect(error).toMatchObject({ code: 'STORE_ERR_INVALID', field: 'id' });
          expect(error.message).toBe(`id must be 1 to 64 characters of a-z, 0-9 and "-", but got: ${JSON.stringify(id)}.`);
        }
        expect(await store.connections.create(connectionInput({ id: `x${'-'.repeat(62)}${randomUUID().slice(0, 1)}` }))).toMatchObject({ version: 1 });
        expect(await store.connections.get('Not A Valid Id')).toBeNull();
      });

      it('refuses a base URL with credentials without echoing it, and never echoes the secret', async () => {
        const url = await rejection(store.connections.create(connectionInput({ baseUrl: 'https://svc:hunter2-pw@analytics.example.com' })));
        expect(url).toBeInstanceOf(StoreValidationError);
        expect(url.message).toBe('baseUrl must not carry credentials; put them in the encrypted secret.');
        expect(everythingShown(url)).not.toContain('hunter2-pw');

        const secret = await rejection(
          store.connections.create(connectionInput({ secret: { keyId: '', ciphertext: 'ciphertext-never-echoed' } })),
        );
        expect(secret).toBeInstanceOf(StoreValidationError);
        expect(secret).toMatchObject({ field: 'secret' });
        expect(everythingShown(secret)).not.toContain('ciphertext-never-echoed');
      });

      it('updates only the given fields, bumps the version and stamps who updated', async () => {
        const created = await store.connections.create(connectionInput({ defaultOrgName: 'Tenant A' }));
        const secret = { keyId: 'key-2031-02', ciphertext: 'rotated-ciphertext' };
        const updated = await store.connections.update(
          created.id,
          { name: 'Renamed', secret, secretKind: 'PASSWORD', defaultOrgName: null },
          { updatedBy: 'bob' },
        );
        expect(updated).toEqual({
          ...created,
          name: 'Renamed',
          secret,
          secretKind: 'PASSWORD',
          defaultOrgName: null,
          version: 2,
          updatedAt: expect.any(Date),
          updatedBy: 'bob',
        });
        expect(updated.updatedAt.getTime()).toBeGreaterThanOrEqual(created.updatedAt.getTime());
        expect(await store.connections.get(created.id)).toEqual(updated);
      });

      it('applies an optimistic update only at the expected version', async () => {
        const created = await store.connections.create(connectionInput());
        const second = await store.connections.update(created.id, { name: 'Second' }, { updatedBy: 'bob', expectedVersion: 1 });
        expect(second.version).toBe(2);

        const stale = await rejection(store.connections.update(created.id, { name: 'Lost' }, { updatedBy: 'carol', expectedVersion: 1 }));
        expect(stale).toBeInstanceOf(StoreVersionConflictError);
        expect(stale).toMatchObject({ code: 'STORE_ERR_STALE', expectedVersion: 1, actualVersion: 2 });
        expect(stale.message).toBe(`Connection "${created.id}" is at version 2, but the update expected version 1.`);
        expect(await store.connections.get(created.id)).toEqual(second);

        expect(await store.connections.update(created.id, { name: 'Third' }, { updatedBy: 'carol', expectedVersion: 2 })).toMatchObject({
          name: 'Third',
          version: 3,
        });
      });

      it('reports an update of a missing connection as StoreNotFoundError', async () => {
        const id = unique('missing');
        for (const options of [{ updatedBy: 'bob' }, { updatedBy: 'bob', expectedVersion: 1 }]) {
          const error = await rejection(store.connections.update(id, { name: 'Nope' }, options));
          expect(error).toBeInstanceOf(StoreNotFoundError);
          expect(error).toMatchObject({ code: 'STORE_ERR_NOT_FOUND', entity: 'Connection', key: id });
          expect(error.message).toBe(`Connection "${id}" does not exist.`);
        }
        expect(await store.connections.get(id)).toBeNull();
      });

      it('records a health check without changing the version or updatedAt', async () => {
        const created = await store.connections.create(connectionInput());
        const checkedAt = new Date('2031-03-04T05:06:07.089Z');
        const checked = await store.connections.recordHealthCheck(created.id, {
          status: 'UNHEALTHY',
          checkedAt,
          message: 'ThoughtSpot answered 503.',
        });
        expect(checked).toEqual({ ...created, healthCheck: { status: 'UNHEALTHY', checkedAt, message: 'ThoughtSpot answered 503.' } });
        const healthy = await store.connections.recordHealthCheck(created.id, { status: 'HEALTHY', checkedAt, message: null });
        expect(healthy.healthCheck).toEqual({ status: 'HEALTHY', checkedAt, message: null });
        expect(healthy.version).toBe(1);

        const missing = await rejection(store.connections.recordHealthCheck(unique('missing'), { status: 'HEALTHY', checkedAt, message: null }));
        expect(missing).toBeInstanceOf(StoreNotFoundError);
      });

      it('deletes a connection once', async () => {
        const created = await store.connections.create(connectionInput());
        expect(await store.connections.delete(created.id)).toBe(true);
        expect(await store.connections.get(created.id)).toBeNull();
        expect(await store.connections.delete(created.id)).toBe(false);
        expect(await store.connections.delete('Not A Valid Id')).toBe(false);
        // The id is free again.
        expect(await store.connections.create(connectionInput({ id: created.id }))).toMatchObject({ id: created.id, version: 1 });
      });
    });

    describe('audit log', () => {
      const event = (overrides: Partial<AuditEventInput> = {}): AuditEventInput => ({
        actor: 'alice',
        operation: 'userCreate',
        target: { type: 'User', id: 'guid-1' },
        input: { name: 'dana', email: 'dana@example.com' },
        connectionId: 'prod',
        organization: { id: 7, name: 'Tenant A' },
        outcome: 'SUCCESS',
        ...overrides,
      });

      /** Every page of `filter`, `size` at a time; checks each page's size and pageInfo on the way. */
      async function walk(filter: AuditFilter, size: number): Promise<AuditEvent[]> {
        const seen: AuditEvent[] = [];
        let after: string | null = null;
        for (let pages = 0; pages < 1_000; pages += 1) {
          const page = await store.audit.list(filter, { first: size, after });
          seen.push(...page.edges.map((edge) => edge.node));
          expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)?.cursor ?? null);
          if (!page.pageInfo.hasNextPage) return seen;
          expect(page.edges).toHaveLength(size);
          after = page.pageInfo.endCursor;
        }
        throw new Error('the walk did not end');
      }

      it('appends an event and reads it back with its JSON input intact', async () => {
        const actor = unique('actor');
        const input = { name: 'dana', nested: { list: [1, 'two', null, true] }, numeric: '42', odd: 'nul\u0000 and ünïcode ✓' };
        const before = Date.now();
        const appended = await store.audit.append(
          event({ actor, input, outcome: 'FAILURE', errorCode: 'TS_ERR_CONFLICT', requestId: 'req-1', organization: null, connectionId: null }),
        );
        expect(appended).toEqual({
          id: expect.stringMatching(/^[0-9a-f-]{36}$/),
          at: expect.any(Date),
          actor,
          operation: 'userCreate',
          target: { type: 'User', id: 'guid-1' },
          input,
          connectionId: null,
          organization: null,
          outcome: 'FAILURE',
          errorCode: 'TS_ERR_CONFLICT',
          requestId: 'req-1',
        });
        expect(appended.at.getTime()).toBeGreaterThanOrEqual(before);
        const page = await store.audit.list({ actor });
        expect(page.edges.map((edge) => edge.node)).toEqual([appended]);
        expect(page.pageInfo).toEqual({ hasNextPage: false, endCursor: page.edges[0]?.cursor });
      });

      it('pages through 50 filtered events newest first, with no duplicate or gap, ties on time included', async () => {
        const actor = unique('pager');
        const base = Date.parse('2031-01-01T00:00:00.000Z');
        const wanted = new Set<string>();
        // Ten events share each millisecond, so every page boundary falls inside a tie; noise that the filter
        // excludes (another operation, another actor) shares the same instants.
        for (let index = 0; index < 50; index += 1) {
          const at = new Date(base + Math.floor(index / 10) * 1_000);
          wanted.add((await store.audit.append(event({ actor, at, input: { index } }))).id);
          await store.audit.append(event({ actor, at, operation: 'userDelete' }));
          await store.audit.append(event({ actor: `${actor}-other`, at }));
        }
        const filter = { actor, operation: 'userCreate' };
        const bySeven = await walk(filter, 7);
        const ids = bySeven.map((each) => each.id);
        expect(new Set(ids).size).toBe(50);
        expect(new Set(ids)).toEqual(wanted);
        const times = bySeven.map((each) => each.at.getTime());
        expect(times).toEqual([...times].sort((a, b) => b - a));
        // The order is total and stable: any page size walks the same sequence.
        expect((await walk(filter, 1)).map((each) => each.id)).toEqual(ids);
        expect((await walk(filter, 50)).map((each) => each.id)).toEqual(ids);
        expect((await walk(filter, 100)).map((each) => each.id)).toEqual(ids);
      });

      it('continues a walk where it left off when events are appended meanwhile', async () => {
        const actor = unique('live');
        const base = Date.parse('2031-02-01T00:00:00.000Z');
        const older: string[] = [];
        for (let index = 0; index < 10; index += 1) {
          older.push((await store.audit.append(event({ actor, at: new Date(base + index) }))).id);
        }
        const first = await store.audit.list({ actor }, { first: 4 });
        // Newer events land before the cursor's position and must not appear; an older one lands after it and must.
        await store.audit.append(event({ actor, at: new Date(base + 1_000) }));
        const oldest = await store.audit.append(event({ actor, at: new Date(base - 1_000) }));
        const rest = await store.audit.list({ actor }, { first: 100, after: first.pageInfo.endCursor });
        expect(first.edges.map((edge) => edge.node.id)).toEqual(older.slice(6).reverse());
        expect(rest.edges.map((edge) => edge.node.id)).toEqual([...older.slice(0, 6).reverse(), oldest.id]);
        expect(rest.pageInfo.hasNextPage).toBe(false);
      });

      it('filters by operation, connection, organization, outcome and time range', async () => {
        const actor = unique('filters');
        const at = (ms: number): Date => new Date(Date.parse('2031-03-01T00:00:00.000Z') + ms);
        const a = await store.audit.append(event({ actor, at: at(0), operation: 'groupCreate', connectionId: 'east' }));
        const b = await store.audit.append(event({ actor, at: at(1), organization: { id: 8, name: 'Tenant B' }, outcome: 'DENIED', errorCode: 'FORBIDDEN' }));
        const c = await store.audit.append(event({ actor, at: at(2), organization: null }));
        const d = await store.audit.append(event({ actor, at: at(3), outcome: 'FAILURE' }));
        const ids = async (filter: Omit<AuditFilter, 'actor'>): Promise<string[]> =>
          (await store.audit.list({ actor, ...filter })).edges.map((edge) => edge.node.id);

        expect(await ids({})).toEqual([d.id, c.id, b.id, a.id]);
        expect(await ids({ operation: 'groupCreate' })).toEqual([a.id]);
        expect(await ids({ connectionId: 'east' })).toEqual([a.id]);
        expect(await ids({ organizationName: 'Tenant B' })).toEqual([b.id]);
        expect(await ids({ organizationName: ['Tenant B', 'Tenant A'] })).toEqual([d.id, b.id, a.id]);
        expect(await ids({ organizationName: [] })).toEqual([]);
        expect(await ids({ outcome: 'DENIED' })).toEqual([b.id]);
        // `since` is inclusive and `until` exclusive, so adjacent ranges split a log without overlap.
        expect(await ids({ since: at(1), until: at(3) })).toEqual([c.id, b.id]);
        expect(await ids({ since: at(3) })).toEqual([d.id]);
        expect(await ids({ until: at(1) })).toEqual([a.id]);
        expect(await ids({ outcome: 'SUCCESS', since: at(1) })).toEqual([c.id]);
      });

      it('answers an empty page for a filter that matches nothing', async () => {
        expect(await store.audit.list({ actor: unique('nobody') })).toEqual({ edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
      });

      it('rejects page sizes out of range and cursors that are forged or from another filter', async () => {
        const actor = unique('cursor');
        await store.audit.append(event({ actor }));
        await store.audit.append(event({ actor }));
        for (const first of [-1, 101, 1.5]) {
          const error = await rejection(store.audit.list({ actor }, { first }));
          expect(error).toBeInstanceOf(StoreValidationError);
          expect(error.message).toBe(`first must be an integer from 0 to 100, but got: ${first}.`);
        }
        const page = await store.audit.list({ actor }, { first: 1 });
        const cursor = page.pageInfo.endCursor ?? '';

        const other = await rejection(store.audit.list({ actor, outcome: 'SUCCESS' }, { first: 1, after: cursor }));
        expect(other).toBeInstanceOf(StoreValidationError);
        expect(other).toMatchObject({ field: 'after' });
        expect(other.message).toBe('after is a cursor from this list under another filter; start again without after.');

        const forged = [
          'not a cursor',
          `${cursor}=`,
          Buffer.from('a1:1:x:y').toString('base64url'),
          Buffer.from(`a1:-5:${randomUUID()}:abc`).toString('base64url'),
        ];
        for (const after of forged) {
          const error = await rejection(store.audit.list({ actor }, { first: 1, after }));
          expect(error).toBeInstanceOf(StoreValidationError);
          // Long values are echoed cut short, so only the start is compared.
          expect(error.message.startsWith(`after must be a cursor returned by this list, but got: ${JSON.stringify(after).slice(0, 40)}`)).toBe(true);
        }
      });
    });

    describe('idempotency records', () => {
      const claimInput = (overrides: Partial<IdempotencyClaimInput> = {}): IdempotencyClaimInput => ({
        actor: 'alice',
        connectionId: 'prod',
        operation: 'userCreate',
        key: unique('key'),
        fingerprint: 'a'.repeat(64),
        ...overrides,
      });

      it('claims a key once, then reports it in progress, mismatched, or completed for replay', async () => {
        const input = claimInput();
        const claim = await store.idempotency.claim(input);
        expect(claim).toEqual({
          outcome: 'CLAIMED',
          record: {
            actor: 'alice',
            connectionId: 'prod',
            operation: 'userCreate',
            key: input.key,
            fingerprint: input.fingerprint,
            status: 'PENDING',
            result: null,
            createdAt: expect.any(Date),
            expiresAt: new Date(claim.record.createdAt.getTime() + 24 * 60 * 60 * 1000),
          },
        });
        expect(await store.idempotency.claim(input)).toEqual({ outcome: 'IN_PROGRESS', record: claim.record });
        expect(await store.idempotency.claim({ ...input, fingerprint: 'b'.repeat(64) })).toEqual({ outcome: 'MISMATCH', record: claim.record });

        const result = { user: { id: 'guid-9', name: 'dana' }, userErrors: [] };
        const done = await store.idempotency.complete(claim.record, result);
        expect(done).toEqual({ ...claim.record, status: 'DONE', result });
        expect(await store.idempotency.claim(input)).toEqual({ outcome: 'COMPLETED', record: done });
        expect(await store.idempotency.claim({ ...input, fingerprint: 'b'.repeat(64) })).toEqual({ outcome: 'MISMATCH', record: done });
      });

      it('gives exactly one of 20 concurrent claims of one key the claim, across two store instances', async () => {
        const other = await open(target.database());
        const input = claimInput();
        const claims = await Promise.all(
          Array.from({ length: 20 }, (_, index) => (index % 2 === 0 ? store : other).idempotency.claim(input)),
        );
        const winners = claims.filter((claim) => claim.outcome === 'CLAIMED');
        expect(winners).toHaveLength(1);
        expect(claims.filter((claim) => claim.outcome === 'IN_PROGRESS')).toHaveLength(19);
        for (const claim of claims) expect(claim.record).toEqual(winners[0]?.record);
      });

      it('scopes a key by actor, connection and operation', async () => {
        const input = claimInput();
        const claims = await Promise.all([
          store.idempotency.claim(input),
          store.idempotency.claim({ ...input, actor: 'bob' }),
          store.idempotency.claim({ ...input, connectionId: 'west' }),
          store.idempotency.claim({ ...input, connectionId: null }),
          store.idempotency.claim({ ...input, operation: 'userUpdate' }),
        ]);
        expect(claims.map((claim) => claim.outcome)).toEqual(['CLAIMED', 'CLAIMED', 'CLAIMED', 'CLAIMED', 'CLAIMED']);
        expect(claims[3]?.record.connectionId).toBeNull();
      });

      it('releases a pending claim so the key can be claimed again, and only a pending one', async () => {
        const input = claimInput();
        const first = await store.idempotency.claim(input);
        expect(await store.idempotency.release(first.record)).toBe(true);
        expect(await store.idempotency.release(first.record)).toBe(false);
        const completeReleased = await rejection(store.idempotency.complete(first.record, { ok: true }));
        expect(completeReleased).toBeInstanceOf(StoreNotFoundError);
        expect(completeReleased.message).toBe(`No pending idempotency claim holds key ${JSON.stringify(input.key)}.`);

        const second = await store.idempotency.claim(input);
        expect(second.outcome).toBe('CLAIMED');
        await store.idempotency.complete(second.record, { ok: true });
        expect(await store.idempotency.release(second.record)).toBe(false);
        expect(await rejection(store.idempotency.complete(second.record, { ok: false }))).toBeInstanceOf(StoreNotFoundError);
        expect((await store.idempotency.claim(input)).outcome).toBe('COMPLETED');
      });

      it('lets an expired record be claimed anew, and its old claimant can no longer complete it', async () => {
        const clock = manualClock(new Date('2031-04-01T00:00:00.000Z'));
        const timed = await open({ ...target.database(), now: clock.now });
        const input = claimInput({ ttlMs: 1_000 });
        const stale = await timed.idempotency.claim(input);
        expect(stale.record.expiresAt).toEqual(new Date('2031-04-01T00:00:01.000Z'));
        clock.advance(999);
        expect((await timed.idempotency.claim(input)).outcome).toBe('IN_PROGRESS');
        clock.advance(1);
        const fresh = await timed.idempotency.claim({ ...input, fingerprint: 'c'.repeat(64) });
        expect(fresh.outcome).toBe('CLAIMED');
        expect(fresh.record.createdAt).toEqual(new Date('2031-04-01T00:00:01.000Z'));
        expect(await rejection(timed.idempotency.complete(stale.record, { late: true }))).toBeInstanceOf(StoreNotFoundError);
        expect(await timed.idempotency.release(stale.record)).toBe(false);
        expect(await timed.idempotency.complete(fresh.record, { ok: true })).toMatchObject({ status: 'DONE', fingerprint: 'c'.repeat(64) });
      });

      it('purges expired records, pending and done, and keeps live ones', async () => {
        // Far in the future, so every record other tests left behind has expired by then; only counts of this
        // test's own records are asserted.
        const clock = manualClock(new Date('2040-01-01T00:00:00.000Z'));
        const timed = await open({ ...target.database(), now: clock.now });
        const done = await timed.idempotency.claim(claimInput({ ttlMs: 1_000 }));
        await timed.idempotency.complete(done.record, { ok: true });
        const pending = claimInput({ ttlMs: 1_000 });
        await timed.idempotency.claim(pending);
        const live = claimInput({ ttlMs: 60_000 });
        await timed.idempotency.claim(live);
        clock.advance(1_000);
        expect(await timed.idempotency.purgeExpired()).toBeGreaterThanOrEqual(2);
        expect(await timed.idempotency.purgeExpired()).toBe(0);
        expect((await timed.idempotency.claim(live)).outcome).toBe('IN_PROGRESS');
        expect((await timed.idempotency.claim(pending)).outcome).toBe('CLAIMED');
      });

      it('validates keys and TTLs', async () => {
        const empty = await rejection(store.idempotency.claim(claimInput({ key: '' })));
        expect(empty).toBeInstanceOf(StoreValidationError);
        expect(empty.message).toBe('key must be a non-blank string of at most 255 characters, but got: "".');
        const ttl = await rejection(store.idempotency.claim(claimInput({ ttlMs: 0 })));
        expect(ttl.message).toBe('ttlMs must be an integer from 1 to 2592000000, but got: 0.');
        const result = await store.idempotency.claim(claimInput());
        const cyclic: Record<string, unknown> = {};
        cyclic['self'] = cyclic;
        expect(await rejection(store.idempotency.complete(result.record, cyclic))).toBeInstanceOf(StoreValidationError);
      });
    });

    describe('provisioning runs', () => {
      const runInput = (organizationName: string, startedAt?: Date) => ({
        actor: 'alice',
        connectionId: 'prod',
        organization: { id: null, name: organizationName },
        blueprintFingerprint: 'f'.repeat(64),
        ...(startedAt === undefined ? {} : { startedAt }),
      });

      it('starts a run, records progress, and finishes it once', async () => {
        const org = unique('tenant');
        const run = await store.runs.create(runInput(org));
        expect(run).toEqual({
          id: expect.stringMatching(/^[0-9a-f-]{36}$/),
          actor: 'alice',
          connectionId: 'prod',
          organization: { id: null, name: org },
          blueprintFingerprint: 'f'.repeat(64),
          status: 'RUNNING',
          changes: [],
          startedAt: expect.any(Date),
          finishedAt: null,
        });
        expect(await store.runs.get(run.id)).toEqual(run);

        const plan = [{ kind: 'orgCreate', name: org, result: null }];
        const progressed = await store.runs.update(run.id, { changes: plan, organizationId: 42 });
        expect(progressed).toEqual({ ...run, changes: plan, organization: { id: 42, name: org } });
        expect(await store.runs.update(run.id, {})).toEqual(progressed);

        const results = [{ kind: 'orgCreate', name: org, result: 'CREATED' }];
        const finished = await store.runs.update(run.id, { status: 'SUCCEEDED', changes: results });
        expect(finished).toMatchObject({ status: 'SUCCEEDED', changes: results, finishedAt: expect.any(Date) });
        expect(finished.finishedAt!.getTime()).toBeGreaterThanOrEqual(run.startedAt.getTime());
        expect(await store.runs.get(run.id)).toEqual(finished);

        const again = await rejection(store.runs.update(run.id, { status: 'FAILED' }));
        expect(again).toBeInstanceOf(StoreConflictError);
        expect(again.message).toBe(`ProvisioningRun "${run.id}" has already finished (SUCCEEDED) and cannot change.`);
        expect(await store.runs.get(run.id)).toEqual(finished);
      });

      it('reports a missing run as null on read and StoreNotFoundError on update', async () => {
        expect(await store.runs.get(randomUUID())).toBeNull();
        expect(await store.runs.get('not-a-run-id')).toBeNull();
        const error = await rejection(store.runs.update(randomUUID(), { status: 'FAILED' }));
        expect(error).toBeInstanceOf(StoreNotFoundError);
        expect(error).toMatchObject({ entity: 'ProvisioningRun' });
      });

      it('lists the recent runs of an Organization newest first', async () => {
        const org = unique('tenant');
        const base = Date.parse('2031-05-01T00:00:00.000Z');
        const runs = [];
        for (let index = 0; index < 5; index += 1) runs.push(await store.runs.create(runInput(org, new Date(base + index * 1_000))));
        await store.runs.create(runInput(unique('other-tenant'), new Date(base + 10_000)));
        const ids = runs.map((run) => run.id).reverse();
        expect((await store.runs.listRecent({ organizationName: org })).map((run) => run.id)).toEqual(ids);
        expect((await store.runs.listRecent({ organizationName: org, limit: 2 })).map((run) => run.id)).toEqual(ids.slice(0, 2));
        expect(await store.runs.listRecent({ organizationName: org, connectionId: 'elsewhere' })).toEqual([]);
        expect((await store.runs.listRecent({ organizationName: org, connectionId: 'prod' })).map((run) => run.id)).toEqual(ids);
      });
    });

    describe('lifecycle', () => {
      it('applies migrations once: a second open finds them applied and the data in place', async () => {
        const database = target.emptyDatabase();
        const logged: unknown[] = [];
        const logger = { info: (message: string, fields?: unknown) => logged.push({ message, fields }), warn: () => undefined };
        const first = await open({ ...database, logger });
        expect(logged).toEqual([{ message: 'store: applied migrations', fields: { backend: target.backend, migrations: ['001_init'] } }]);
        const created = await first.connections.create(connectionInput());
        await first.close();
        const second = await open({ ...database, logger });
        expect(logged).toHaveLength(1);
        expect(await second.connections.get(created.id)).toEqual(created);
        expect(await target.migrationVersions(database)).toEqual([1]);
      });

      it('lets several processes open an empty database at once', async () => {
        const database = target.emptyDatabase();
        const stores = await Promise.all([open(database), open(database), open(database)]);
        const created = await stores[0]!.connections.create(connectionInput());
        expect(await stores[2]!.connections.get(created.id)).toEqual(created);
        expect(await target.migrationVersions(database)).toEqual([1]);
      });

      it('closes idempotently, and a closed store fails with StoreUnavailableError', async () => {
        const closing = await open(target.database());
        await closing.close();
        await closing.close();
        const error = await rejection(closing.connections.list());
        expect(error).toBeInstanceOf(StoreUnavailableError);
        expect(error).toMatchObject({ code: 'STORE_ERR_UNAVAILABLE' });
        expect(await rejection(closing.ping())).toBeInstanceOf(StoreUnavailableError);
      });
    });
  });
}
