import { beforeAll, describe, expect, it } from 'vitest';
import type { GroupRec, UserRec } from '../../../src/emulator/domain/index.js';
import { toGlobalId } from '../../../src/relay/global-id.js';
import { addFixtureOrg, addLargeGroup, FIXTURE_EPOCH_MS, type FixtureOrg } from '../../support/fixtures.js';
import { executeData } from '../../support/graphql.js';
import { useTestStack } from '../../support/harness.js';
import { membersOf } from '../../support/oracle.js';

const stack = useTestStack({ seed: 'minimal' });
let fixture: FixtureOrg;
let big: GroupRec;
const BIG = 205;
// A walk one row at a time is 2 × 205 sequential requests: seconds on an idle machine, many more on a busy one. Its
// budget is generous because only a hang should fail it; the stack refuses what it still tries after its end.
const WALK_TIMEOUT_MS = 180_000;

beforeAll(() => {
  fixture = addFixtureOrg(stack.emulator);
  big = addLargeGroup(stack.emulator, fixture.org, 'Big-Group', BIG);
});

const groupId = (group: GroupRec): string => toGlobalId('test', { typename: 'Group', orgId: group.orgId, guid: group.id });

interface Page {
  nodes: { username: string }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

async function page(args: Record<string, unknown>, group: GroupRec = big): Promise<Page> {
  const data = await executeData<{ group: { members: Page } }>(stack.app, {
    query: `query ($id: ID!, $first: Int, $last: Int, $after: String, $before: String) { group(id: $id) {
      members(first: $first, last: $last, after: $after, before: $before) {
        nodes { username } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      } } }`,
    variables: { id: groupId(group), ...args },
  });
  return data.group.members;
}

async function walkForward(size: number): Promise<string[]> {
  const seen: string[] = [];
  let after: string | null = null;
  for (let guard = 0; guard < 1000; guard++) {
    const p: Page = await page({ first: size, after });
    seen.push(...p.nodes.map((n) => n.username));
    if (!p.pageInfo.hasNextPage) return seen;
    after = p.pageInfo.endCursor;
  }
  throw new Error('walk did not end');
}

async function walkBackward(size: number): Promise<string[]> {
  const seen: string[] = [];
  let before: string | null = null;
  for (let guard = 0; guard < 1000; guard++) {
    const p: Page = await page({ last: size, before });
    seen.unshift(...p.nodes.map((n) => n.username));
    if (!p.pageInfo.hasPreviousPage) return seen;
    before = p.pageInfo.startCursor;
  }
  throw new Error('walk did not end');
}

describe('walking Group.members with cursors', () => {
  for (const size of [1, 20, 100]) {
    it(`visits every member exactly once, in order, forward and backward, ${size} at a time`, { timeout: WALK_TIMEOUT_MS }, async () => {
      const expected = membersOf(stack.emulator.state, big);
      expect(expected).toHaveLength(BIG);
      expect(await walkForward(size)).toEqual(expected);
      expect(await walkBackward(size)).toEqual(expected);
    });
  }

  it('reads one extra row per forward page and no more (record_size = first + 1 at the cursor offset)', async () => {
    const { records } = await stack.measure(async () => {
      const first = await page({ first: 20 });
      await page({ first: 20, after: first.pageInfo.endCursor });
    });
    // The two pages are read one after the other, so their searches arrive in order.
    const searches = records.filter((c) => c.endpoint?.endsWith('users/search'));
    expect(searches.map((c) => c.body)).toEqual([
      expect.objectContaining({ record_offset: 0, record_size: 21 }),
      expect.objectContaining({ record_offset: 20, record_size: 21 }),
    ]);
  });

  it('states what a cursor guarantees when the list changes between pages: it keeps its position, not its row', async () => {
    const state = stack.emulator.state;
    const expected = membersOf(state, big);
    const first = await page({ first: 20 });
    expect(first.nodes.map((n) => n.username)).toEqual(expected.slice(0, 20));

    // A member added before the cursor's position pushes every row one place down: the next page starts one row
    // earlier and repeats the previous page's last row. Nothing is skipped.
    const early = state.insertUser({ name: 'big-group.a-early', displayName: 'Early', at: FIXTURE_EPOCH_MS });
    state.addUserToOrg(early, fixture.org.id);
    state.addGroupMember(big, early);
    let removed: UserRec | undefined;
    try {
      const second = await page({ first: 20, after: first.pageInfo.endCursor });
      expect(second.nodes[0]?.username).toBe(expected[19]);
      expect(second.nodes.map((n) => n.username)).toEqual(expected.slice(19, 39));

      // A member removed before the cursor's position pulls every row one place up: the next page skips one row.
      removed = state.users.get([...big.userIds].find((id) => state.users.get(id)?.name === expected[5]) ?? '');
      if (removed === undefined) throw new Error('fixture member missing');
      state.removeGroupMember(big, removed);
      const third = await page({ first: 20, after: second.pageInfo.endCursor });
      expect(third.nodes.map((n) => n.username)).toEqual(expected.slice(40, 60));
      expect(third.nodes.map((n) => n.username)).not.toContain(expected[39]);

      // Within one page no row ever appears twice, whatever changed.
      for (const p of [first, second, third]) expect(new Set(p.nodes.map((n) => n.username)).size).toBe(p.nodes.length);
    } finally {
      // The group is shared by the file's tests: put it back even when an expectation failed.
      state.removeGroupMember(big, early);
      if (removed !== undefined) state.addGroupMember(big, removed);
    }
  });
});

describe('cursor validation', () => {
  async function errorsOf(query: string, variables: Record<string, unknown>): Promise<[string, unknown][]> {
    const result = await stack.execute({ query, variables });
    return (result.errors ?? []).map((e) => [e.message, e.extensions?.['code']]);
  }

  it('rejects a cursor from the same list under another filter as stale', async () => {
    const first = await page({ first: 5 });
    expect(
      await errorsOf('query ($id: ID!, $after: String) { group(id: $id) { members(first: 5, after: $after, accountStatus: ACTIVE) { nodes { username } } } }', {
        id: groupId(big),
        after: first.pageInfo.endCursor,
      }),
    ).toEqual([
      ['Argument "after" is a cursor from another list, or from this list with different filter or ordering arguments; start again without "after".', 'BAD_USER_INPUT'],
    ]);
  });

  it("rejects another group's cursor, and a forged one", async () => {
    const other = await page({ first: 5 }, fixture.groups.get('G-00') as GroupRec);
    const stale = await errorsOf('query ($id: ID!, $c: String) { group(id: $id) { members(last: 2, before: $c) { nodes { username } } } }', {
      id: groupId(big),
      c: other.pageInfo.endCursor,
    });
    expect(stale[0]?.[0]).toContain('is a cursor from another list');
    expect(
      await errorsOf('query ($id: ID!) { group(id: $id) { members(after: "Y3Vyc29yOjE") { nodes { username } } } }', { id: groupId(big) }),
    ).toEqual([['Argument "after" must be a cursor returned by this connection, but got: "Y3Vyc29yOjE".', 'BAD_USER_INPUT']]);
  });

  it('rejects page sizes outside 0…100 and first with last, naming the argument', async () => {
    const query = 'query ($id: ID!, $first: Int, $last: Int) { group(id: $id) { members(first: $first, last: $last) { nodes { username } } } }';
    expect(await errorsOf(query, { id: groupId(big), first: 500 })).toEqual([
      ['Argument "first" must be an integer between 0 and 100, but got: 500.', 'BAD_USER_INPUT'],
    ]);
    expect(await errorsOf(query, { id: groupId(big), first: 1, last: 1 })).toEqual([
      ['Passing both "first" and "last" to paginate the "members" connection is not supported.', 'BAD_USER_INPUT'],
    ]);
  });
});
