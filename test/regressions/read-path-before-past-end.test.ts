// Regression: `last`/`before` with a cursor that a shrinking list has left past its end read the range before the
// cursor, found nothing there, and answered an empty page with hasPreviousPage true and no startCursor: a backward
// walk could not go on. The same request with totalCount selected (which reads the whole list) answered the last
// rows before the new end instead, so the page depended on whether totalCount was selected.

import { beforeAll, describe, expect, it } from 'vitest';
import type { GroupRec, UserRec } from '../../src/emulator/domain/index.js';
import { toGlobalId } from '../../src/relay/global-id.js';
import { addFixtureOrg, addLargeGroup } from '../support/fixtures.js';
import { executeData } from '../support/graphql.js';
import { useTestStack } from '../support/harness.js';
import { membersOf } from '../support/oracle.js';

const stack = useTestStack({ seed: 'minimal' });
let group: GroupRec;

beforeAll(() => {
  const fixture = addFixtureOrg(stack.emulator);
  group = addLargeGroup(stack.emulator, fixture.org, 'Shrinking', 30);
});

interface Page {
  totalCount?: number;
  nodes: { username: string }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

async function members(args: { first?: number; last?: number; before?: string | null }, withTotal = false): Promise<Page> {
  const data = await executeData<{ group: { members: Page } }>(stack.app, {
    query: `query ($id: ID!, $first: Int, $last: Int, $before: String) { group(id: $id) {
      members(first: $first, last: $last, before: $before) {
        ${withTotal ? 'totalCount' : ''} nodes { username } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      } } }`,
    variables: { id: toGlobalId('test', { typename: 'Group', orgId: group.orgId, guid: group.id }), ...args },
  });
  return data.group.members;
}

describe('a before cursor past the end of a list that shrank', () => {
  it('serves the last rows before the new end, the same with or without totalCount, and lets a backward walk finish', async () => {
    const state = stack.emulator.state;
    const tail = await members({ last: 5 });
    const before = tail.pageInfo.startCursor;
    expect(before).not.toBeNull();

    // 28 of the 30 members leave: the cursor (offset 25) is now past the end of a 2-row list.
    const leaving = [...group.userIds].map((id) => state.users.get(id) as UserRec).slice(0, 28);
    for (const user of leaving) state.removeGroupMember(group, user);
    try {
      const remaining = membersOf(state, group);
      expect(remaining).toHaveLength(2);

      const plain = await members({ last: 5, before });
      const counted = await members({ last: 5, before }, true);
      expect(plain.nodes.map((n) => n.username)).toEqual(remaining);
      expect(plain.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: false });
      expect(plain.pageInfo.startCursor).not.toBeNull();
      expect(counted.totalCount).toBe(2);
      const { totalCount: _total, ...rest } = counted;
      expect(rest).toEqual(plain);

      // Forward up to the same cursor: the rows that are left, and nothing after them.
      const forward = await members({ first: 5, before });
      expect(forward.nodes.map((n) => n.username)).toEqual(remaining);
      expect(forward.pageInfo.hasNextPage).toBe(false);
    } finally {
      for (const user of leaving) state.addGroupMember(group, user);
    }
  });
});
