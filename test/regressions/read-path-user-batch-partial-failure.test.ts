// Regression: when several users spread over several Organizations were loaded at once (`nodes`, `_entities`), one
// Organization's failed read failed every user of the batch, including those another Organization had already
// returned. A failure now reaches only the users no Organization turned up, which the failed one may have held.

import { beforeAll, describe, expect, it } from 'vitest';
import type { UserRec } from '../../src/emulator/domain/index.js';
import { fault } from '../../src/emulator/index.js';
import { SPREAD_LOOKUP_MAX_KEYS } from '../../src/loaders/user-lookup.js';
import { toGlobalId } from '../../src/relay/global-id.js';
import { addFixtureOrg, type FixtureOrg } from '../support/fixtures.js';
import { useTestStack } from '../support/harness.js';

// Twelve users over two Organizations are more than a spread batch looks up one by one, so the two Organizations are
// scanned side by side.
const stack = useTestStack({ seed: 'minimal' });
let first: FixtureOrg;
let second: FixtureOrg;

beforeAll(() => {
  first = addFixtureOrg(stack.emulator, 'First-Co', 20);
  second = addFixtureOrg(stack.emulator, 'Second-Co', 20);
});

describe('a batch of users over several Organizations', () => {
  it('fails only the users of the Organization whose read failed', async () => {
    const users: UserRec[] = [...first.users.slice(0, 6), ...second.users.slice(0, 6)];
    expect(users.length).toBeGreaterThan(SPREAD_LOOKUP_MAX_KEYS);
    stack.emulator.use(fault('POST /api/rest/2.0/users/search', { status: 403, times: 1 }));
    const { value: result, records } = await stack.measure(() =>
      stack.execute({
        query: 'query ($ids: [ID!]!) { nodes(ids: $ids) { ... on User { username } } }',
        variables: { ids: users.map((u) => toGlobalId('test', { typename: 'User', guid: u.id })) },
      }),
    );
    // The fault answers before authentication, so the failed call carries no Org: the failed Org is the one with no
    // successful read.
    const searches = records.filter((call) => call.endpoint === 'POST /api/rest/2.0/users/search');
    expect(searches.filter((call) => call.fault !== null)).toHaveLength(1);
    const read = new Set(searches.filter((call) => call.status === 200).map((call) => call.orgId));
    const failed = [first.org.id, second.org.id].filter((id) => !read.has(id));
    expect(failed).toHaveLength(1);
    const lost = users.map((u) => u.orgIds.has(failed[0] as number));
    expect((result.data as { nodes: ({ username: string } | null)[] }).nodes).toEqual(
      users.map((u, i) => (lost[i] ? null : { username: u.name })),
    );
    expect(result.errors?.map((e) => [e.path, e.extensions?.['code']])).toEqual(
      users.flatMap((_, i) => (lost[i] ? [[['nodes', i], 'FORBIDDEN']] : [])),
    );
  });
});
