// Regression: a forged cursor pointing at ThoughtSpot's largest record_offset (int32 max) was accepted, and the page
// after it asked ThoughtSpot for record_offset 2^31, which it refuses: the client got INTERNAL_SERVER_ERROR instead
// of the BAD_USER_INPUT every other forged cursor gets.

import { beforeAll, describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, scopeTag } from '../../src/relay/cursor.js';
import { toGlobalId } from '../../src/relay/global-id.js';
import { addFixtureOrg, type FixtureOrg } from '../support/fixtures.js';
import { executeData } from '../support/graphql.js';
import { useTestStack } from '../support/harness.js';

const stack = useTestStack({ seed: 'minimal' });
let fixture: FixtureOrg;

beforeAll(() => {
  fixture = addFixtureOrg(stack.emulator);
});

const MEMBERS = `query ($id: ID!, $after: String) { group(id: $id) { members(first: 5, after: $after) {
  nodes { username } pageInfo { endCursor } } } }`;

describe('cursor offsets', () => {
  it('rejects a cursor at the int32 limit as BAD_USER_INPUT, and still accepts the one below it', async () => {
    const group = fixture.groups.get('G-00');
    if (group === undefined) throw new Error('fixture group missing');
    const id = toGlobalId('test', { typename: 'Group', orgId: group.orgId, guid: group.id });
    // The scope tag of this list, taken from a cursor the API issued for it.
    const issued = await executeData<{ group: { members: { pageInfo: { endCursor: string } } } }>(stack.app, {
      query: MEMBERS,
      variables: { id, after: null },
    });
    const tag = Buffer.from(issued.group.members.pageInfo.endCursor, 'base64url').toString('utf8').split(':')[2] as string;

    const atLimit = encodeCursor(2_147_483_647, tag);
    const result = await stack.execute({ query: MEMBERS, variables: { id, after: atLimit } });
    expect(result.errors?.map((e) => [e.message, e.extensions?.['code'], e.extensions?.['argumentName']])).toEqual([
      [`Argument "after" must be a cursor returned by this connection, but got: ${JSON.stringify(atLimit)}.`, 'BAD_USER_INPUT', 'after'],
    ]);

    const below = await executeData<{ group: { members: { nodes: unknown[] } } }>(stack.app, {
      query: MEMBERS,
      variables: { id, after: encodeCursor(2_147_483_646, tag) },
    });
    expect(below.group.members.nodes).toEqual([]);
  });

  it('decodes offsets up to one below the int32 limit', () => {
    const tag = scopeTag({ coordinate: 'Group.members', parent: 'g', args: {} });
    expect(decodeCursor(encodeCursor(2_147_483_646, tag), tag, 'before')).toBe(2_147_483_646);
    expect(() => decodeCursor(encodeCursor(2_147_483_647, tag), tag, 'before')).toThrow(
      `Argument "before" must be a cursor returned by this connection, but got: ${JSON.stringify(encodeCursor(2_147_483_647, tag))}.`,
    );
  });
});
