import { beforeAll, describe, expect, it } from 'vitest';
import type { UserRec } from '../../../src/emulator/domain/index.js';
import type { CallRecord } from '../../../src/emulator/index.js';
import { MAX_MISS_LOOKUPS, SCAN_CUT_LOOKUPS, SCAN_MIN_ROWS, SCAN_ROWS_PER_KEY, SPREAD_LOOKUP_MAX_KEYS } from '../../../src/loaders/user-lookup.js';
import { toGlobalId } from '../../../src/relay/global-id.js';
import { addFixtureOrg, type FixtureOrg } from '../../support/fixtures.js';
import { useTestStack } from '../../support/harness.js';
import { groupsOfUser, listedUsers, userNamed } from '../../support/oracle.js';

// Small settings, so that a 60-user Org takes several scan pages: batches of up to 4 users per Org are looked up
// one identifier search each; larger ones scan 10 rows a page.
const LOOKUP_MAX_KEYS = 4;
const PAGE = 10;

const stack = useTestStack({
  seed: 'minimal',
  env: { THOUGHTSPOT_USER_LOOKUP_MAX_KEYS: String(LOOKUP_MAX_KEYS), THOUGHTSPOT_USER_SCAN_PAGE_SIZE: String(PAGE) },
});
let first: FixtureOrg;
let second: FixtureOrg;
/** Larger than any row budget the tests below give a scan. */
let large: FixtureOrg;

beforeAll(() => {
  first = addFixtureOrg(stack.emulator, 'First-Co', 60);
  second = addFixtureOrg(stack.emulator, 'Second-Co', 60);
  large = addFixtureOrg(stack.emulator, 'Large-Co', 400);
});

const uid = (user: UserRec): string => toGlobalId('test', { typename: 'User', guid: user.id });
const unknownId = (i: number): string => toGlobalId('test', { typename: 'User', guid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}` });

/** The fixture users at these positions of their Org's user list as users/search pages it (NAME ascending). */
function atPositions(fixture: FixtureOrg, positions: readonly number[]): UserRec[] {
  const listed = listedUsers(stack.emulator.state, fixture.org.id);
  return positions.map((p) => userNamed(stack.emulator.state, listed[p] as string));
}

/**
 * Runs `nodes(ids:)` for users and returns the usernames (null for a miss), the upstream calls and the users/search
 * calls. Identifier searches run in parallel and arrive in any order; the pages of one Org's scan arrive in order.
 */
async function nodes(ids: readonly string[], selection = 'username'): Promise<{ names: (string | null)[]; data: { nodes: ({ username: string } | null)[] }; calls: Record<string, number>; searches: CallRecord[] }> {
  const { data, calls, records } = await stack.run<{ nodes: ({ username: string } | null)[] }>(
    `query ($ids: [ID!]!) { nodes(ids: $ids) { ... on User { ${selection} } } }`,
    { ids },
  );
  return {
    names: data.nodes.map((node) => node?.username ?? null),
    data,
    calls,
    searches: records.filter((call) => call.endpoint === 'POST /api/rest/2.0/users/search'),
  };
}

/** The identifier each users/search looked up, sorted (they run in parallel, so arrival order means nothing). */
const identifiers = (searches: readonly CallRecord[]): string[] =>
  searches.map((call) => (call.body as { user_identifier?: string }).user_identifier ?? '').sort();

const page = (offset: number) => ({ record_offset: offset, record_size: PAGE, sort_options: { field_name: 'NAME', order: 'ASC' } });

describe('batched user lookups', () => {
  it('look a small batch up with one identifier search per user', async () => {
    const users = atPositions(first, [5, 33, 58]);
    const { names, calls, searches } = await nodes(users.map(uid));
    expect(names).toEqual(users.map((u) => u.name));
    expect(calls).toEqual({ 'orgs/search': 1, 'users/search': 3 });
    expect(identifiers(searches)).toEqual(users.map((u) => u.id).sort());
    for (const call of searches) expect(call.body).toMatchObject({ record_offset: 0, record_size: 1 });
    expect(searches.every((call) => call.orgId === first.org.id)).toBe(true);
  });

  it('look a small batch spread over Organizations up where each user lives: one orgs/search per user to find it', async () => {
    const users = [...atPositions(first, [1, 40]), ...atPositions(second, [2, 50])];
    const { names, calls, searches } = await nodes(users.map(uid));
    expect(names).toEqual(users.map((u) => u.name));
    expect(calls).toEqual({ 'orgs/search': 1 + users.length, 'users/search': users.length });
    const inOrg = (orgId: number) => identifiers(searches.filter((call) => call.orgId === orgId));
    expect(inOrg(first.org.id)).toEqual(users.filter((u) => u.orgIds.has(first.org.id)).map((u) => u.id).sort());
    expect(inOrg(second.org.id)).toEqual(users.filter((u) => u.orgIds.has(second.org.id)).map((u) => u.id).sort());
  });

  it('scan a large batch page by page and stop at the page where the last wanted user turns up', async () => {
    const users = atPositions(first, [0, 3, 9, 12, 17]);
    const { names, data, calls, searches } = await nodes(users.map(uid), 'username groups { nodes { name } }');
    expect(names).toEqual(users.map((u) => u.name));
    // Two pages of 10 of a 60-user list. Every row read primes the loaders, and rows name their groups, so the
    // users' group names need no further read.
    expect(searches.map((call) => call.body)).toEqual([page(0), page(10)]);
    expect(calls).toEqual({ 'orgs/search': 1, 'users/search': 2 });
    const groups = (data.nodes as unknown as { groups: { nodes: { name: string }[] } }[]).map((n) => n.groups.nodes.map((g) => g.name));
    expect(groups).toEqual(users.map((u) => groupsOfUser(stack.emulator.state, u, 'DIRECT')));
  });

  it('scan every Organization of a large batch spread over several side by side, until all have turned up', async () => {
    const users = [...atPositions(first, [0, 4, 8, 12, 14]), ...atPositions(second, [1, 3, 5, 7, 9, 21])];
    expect(users.length).toBeGreaterThan(SPREAD_LOOKUP_MAX_KEYS);
    const { names, calls, searches } = await nodes(users.map(uid));
    expect(names).toEqual(users.map((u) => u.name));
    const byOrg = (orgId: number) => searches.filter((call) => call.orgId === orgId).map((call) => call.body);
    // Nothing says which user is in which Org, so both Orgs are read at once, page after page, until the last user
    // (position 21 of Second-Co) has turned up: exactly three pages there. First-Co, which might have held that
    // user, reads on meanwhile, in order, and stops when it has turned up; how many pages that is depends on which
    // answer comes back first, but never more than its whole list (six full pages and the empty one that ends it).
    expect(byOrg(second.org.id)).toEqual([page(0), page(10), page(20)]);
    const firstPages = byOrg(first.org.id);
    expect(firstPages).toEqual(firstPages.map((_, i) => page(i * PAGE)));
    expect(firstPages.length).toBeGreaterThanOrEqual(1);
    expect(firstPages.length).toBeLessThanOrEqual(7);
    expect(calls).toEqual({ 'orgs/search': 1, 'users/search': 3 + firstPages.length });
  });

  it('scan a large Organization no further than the row budget, then look up the few users still missing', async () => {
    const users = atPositions(large, [0, 5, 150, 220, 290, 390]);
    const budget = Math.max(SCAN_MIN_ROWS, SCAN_ROWS_PER_KEY * users.length);
    expect(budget).toBeLessThan(150);
    const { names, calls, searches } = await nodes(users.map(uid), 'username groups { nodes { name } }');
    expect(names).toEqual(users.map((u) => u.name));
    const pages = searches.filter((call) => !('user_identifier' in (call.body as object)));
    expect(pages.map((call) => call.body)).toEqual(Array.from({ length: budget / PAGE }, (_, i) => page(i * PAGE)));
    // The four users past the budget are searched one by one, in the Org that lists them; rows read stay within
    // the budget plus one row per user looked up.
    expect(identifiers(searches.filter((call) => 'user_identifier' in (call.body as object)))).toEqual(users.slice(2).map((u) => u.id).sort());
    expect(searches.every((call) => call.orgId === large.org.id)).toBe(true);
    expect(searches.reduce((sum, call) => sum + (call.rows ?? 0), 0)).toBe(budget + 4);
    expect(calls).toEqual({ 'orgs/search': 1, 'users/search': budget / PAGE + 4 });
  });

  it('read on past the row budget while more users are missing than are worth a call each', async () => {
    const positions = Array.from({ length: SCAN_CUT_LOOKUPS + 1 }, (_, i) => 340 + 2 * i);
    const users = atPositions(large, positions);
    const budget = Math.max(SCAN_MIN_ROWS, SCAN_ROWS_PER_KEY * users.length);
    expect(budget).toBeLessThanOrEqual(340);
    const { names, calls, searches } = await nodes(users.map(uid));
    expect(names).toEqual(users.map((u) => u.name));
    // Nothing turns up within the budget, so the scan reads on, page by page, until few enough are missing: the page
    // at 340 holds five of them, leaving SCAN_CUT_LOOKUPS − 4, which are then searched one by one.
    const pages = searches.filter((call) => !('user_identifier' in (call.body as object)));
    expect(pages.map((call) => call.body)).toEqual(Array.from({ length: 35 }, (_, i) => page(i * PAGE)));
    const lookedUp = users.filter((_, i) => (positions[i] as number) >= 350);
    expect(lookedUp).toHaveLength(SCAN_CUT_LOOKUPS - 4);
    expect(identifiers(searches.filter((call) => 'user_identifier' in (call.body as object)))).toEqual(lookedUp.map((u) => u.id).sort());
    expect(calls).toEqual({ 'orgs/search': 1, 'users/search': 35 + lookedUp.length });
  });

  it('resolve unknown users to null: one orgs/search when none exists', async () => {
    const ids = Array.from({ length: 8 }, (_, i) => unknownId(i));
    const { names, calls } = await nodes(ids);
    expect(names).toEqual(ids.map(() => null));
    expect(calls).toEqual({ 'orgs/search': 1 });
  });

  it('resolve unknown users to null in a small batch with one identifier search each', async () => {
    const users = atPositions(first, [10, 20]);
    const { names, calls } = await nodes([uid(users[0] as UserRec), unknownId(100), uid(users[1] as UserRec), unknownId(101)]);
    expect(names).toEqual([users[0]?.name, null, users[1]?.name, null]);
    expect(calls).toEqual({ 'orgs/search': 1, 'users/search': 4 });
  });

  it('resolve unknown users to null in a large batch after one full scan and a bounded number of identifier searches', async () => {
    const users = atPositions(first, [2, 6]);
    const unknown = Array.from({ length: MAX_MISS_LOOKUPS + 5 }, (_, i) => unknownId(200 + i));
    const { names, calls, searches } = await nodes([...users.map(uid), ...unknown]);
    expect(names).toEqual([...users.map((u) => u.name), ...unknown.map(() => null)]);
    // The whole list (6 full pages and the empty 7th that ends it), then the first MAX_MISS_LOOKUPS misses are
    // searched by identifier, as hidden users would have to be; the other misses cost nothing.
    const listed = listedUsers(stack.emulator.state, first.org.id).length;
    const pages = Math.floor(listed / PAGE) + 1;
    expect(searches.filter((call) => !('user_identifier' in (call.body as object))).map((call) => call.body)).toEqual(
      Array.from({ length: pages }, (_, i) => page(i * PAGE)),
    );
    expect(calls).toEqual({ 'orgs/search': 1, 'users/search': pages + MAX_MISS_LOOKUPS });
  });
});
