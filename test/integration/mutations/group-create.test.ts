// `groupCreate`, the pattern every provisioning mutation follows (resolvers/shared/mutations.ts): scope, tenancy,
// user errors from ThoughtSpot's refusals, read-your-writes, idempotency and the audit event.

import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FormattedExecutionResult } from 'graphql';
import type { Caller, Scope } from '../../../src/auth/index.js';
import { toGlobalId } from '../../../src/relay/global-id.js';
import { addFixtureOrg, type FixtureOrg } from '../../support/fixtures.js';
import { executeSingle } from '../../support/graphql.js';
import { useTestStack } from '../../support/harness.js';

const stack = useTestStack({ seed: 'minimal' });
let mine: FixtureOrg;
let theirs: FixtureOrg;

beforeAll(() => {
  mine = addFixtureOrg(stack.emulator, 'Create-Mine', 4);
  theirs = addFixtureOrg(stack.emulator, 'Create-Theirs', 4);
});

const caller = (scopes: readonly Scope[], orgs: Caller['orgs'] = new Set(['Create-Mine'])): Caller => ({
  subject: `writer-${randomBytes(3).toString('hex')}`,
  scopes: new Set(scopes),
  orgs,
  connectionId: null,
});
const orgId = (f: FixtureOrg): string => toGlobalId('test', { typename: 'Organization', orgId: f.org.id });

const CREATE = `mutation ($input: GroupCreateInput!) {
  groupCreate(input: $input) {
    group { name displayName organization { name } members { totalCount } }
    userErrors { field message code }
  }
}`;

async function create(as: Caller, input: Record<string, unknown>): Promise<FormattedExecutionResult> {
  return (await stack.measure(() => executeSingle(stack.app, { query: CREATE, variables: { input } }, { caller: as })))
    .value;
}

function groupsNamed(f: FixtureOrg, name: string): number {
  return [...f.org.groups.values()].filter((group) => group.name === name).length;
}

describe('groupCreate', () => {
  it('creates the group and answers with it as it now reads (read your writes)', async () => {
    const result = await create(caller(['directory:write']), { organizationId: orgId(mine), name: 'Analysts-EU', description: 'EU analysts' });
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      groupCreate: { group: { name: 'Analysts-EU', displayName: 'Analysts-EU', organization: { name: 'Create-Mine' }, members: { totalCount: 0 } }, userErrors: [] },
    });
    expect(groupsNamed(mine, 'Analysts-EU')).toBe(1);
  });

  it('reports a taken name as ALREADY_EXISTS, and a blank one as INVALID without writing (the Org is read for the audit event)', async () => {
    const taken = await create(caller(['directory:write']), { organizationId: orgId(mine), name: 'G-01' });
    expect(taken.data).toEqual({ groupCreate: { group: null, userErrors: [{ field: ['input', 'name'], message: expect.any(String), code: 'ALREADY_EXISTS' }] } });
    const { calls, value } = await stack.measure(() =>
      executeSingle(stack.app, { query: CREATE, variables: { input: { organizationId: orgId(mine), name: '   ' } } }, { caller: caller(['directory:write']) }),
    );
    expect(value.data).toMatchObject({ groupCreate: { group: null, userErrors: [{ code: 'INVALID' }] } });
    expect(calls).toEqual({ 'orgs/search': 1 });
  });

  it('treats an Organization outside the caller’s grant exactly as one that does not exist, and writes nothing', async () => {
    const outside = await create(caller(['directory:write']), { organizationId: orgId(theirs), name: 'Intruders' });
    const missing = await create(caller(['directory:write']), {
      organizationId: toGlobalId('test', { typename: 'Organization', orgId: 987_654_321 }),
      name: 'Intruders',
    });
    expect(outside).toEqual(missing);
    expect(outside.data).toEqual({
      groupCreate: { group: null, userErrors: [{ field: ['input', 'organizationId'], message: 'No Organization with this ID exists.', code: 'NOT_FOUND' }] },
    });
    expect(groupsNamed(theirs, 'Intruders')).toBe(0);
  });

  it('needs directory:write', async () => {
    const result = await create(caller(['directory:read']), { organizationId: orgId(mine), name: 'Readers-Only' });
    expect(result.errors?.map((error) => error.extensions?.['code'])).toEqual(['FORBIDDEN']);
    expect(groupsNamed(mine, 'Readers-Only')).toBe(0);
  });

  it('replays a retry with the same idempotency key without calling ThoughtSpot, and refuses the key with another input', async () => {
    const writer = caller(['directory:write']);
    const input = { organizationId: orgId(mine), name: 'Once-Only', idempotencyKey: 'signup-42' };
    const first = await create(writer, input);
    const { value: again, calls } = await stack.measure(() => executeSingle(stack.app, { query: CREATE, variables: { input } }, { caller: writer }));
    expect(again).toEqual(first);
    expect(calls['groups/create']).toBeUndefined();
    expect(groupsNamed(mine, 'Once-Only')).toBe(1);
    const other = await create(writer, { ...input, name: 'Twice' });
    expect(other.data).toMatchObject({ groupCreate: { group: null, userErrors: [{ field: ['input', 'idempotencyKey'], code: 'IDEMPOTENCY_KEY_REUSED' }] } });
    expect(groupsNamed(mine, 'Twice')).toBe(0);
    // Keys are the caller's own: another caller's same key is another key.
    const someoneElse = await create(caller(['directory:write']), { ...input, name: 'Someone-Elses' });
    expect(someoneElse.data).toMatchObject({ groupCreate: { group: { name: 'Someone-Elses' }, userErrors: [] } });
  });

  it('leaves one audit event per call, with the outcome', async () => {
    const writer = caller(['directory:write']);
    await create(writer, { organizationId: orgId(mine), name: 'Audited' });
    await create(writer, { organizationId: orgId(mine), name: 'Audited' });
    const events = await stack.app.store.audit.list({ actor: writer.subject });
    expect(events.edges.map((edge) => [edge.node.operation, edge.node.outcome, edge.node.errorCode, edge.node.organization?.name])).toEqual([
      ['groupCreate', 'FAILURE', 'ALREADY_EXISTS', 'Create-Mine'],
      ['groupCreate', 'SUCCESS', null, 'Create-Mine'],
    ]);
  });
});
