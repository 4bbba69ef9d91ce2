// Regression: the member lists of one query level were read as one `users/search` over the union of their groups
// with `record_size: -1`, and the `All` group joined that union, so a level that listed `All` beside other groups read
// every user of the Organization to answer a few rows per group (on a 20,000-user Org, 30,002 rows for 75 members).
// Now `All` never joins a group filter (a level holding it reads a bounded prefix of the Org's own list), every read
// holds at most the lists' windows added up, and a list the budget cut short (a large group crowding it out of the
// prefix) is read again without the lists that crowded it out.

import { beforeAll, describe, expect, it } from 'vitest';
import type { GroupRec } from '../../src/emulator/domain/index.js';
import { addFixtureOrg, addLargeGroup, type FixtureOrg } from '../support/fixtures.js';
import { useTestStack } from '../support/harness.js';
import { groupNamed, membersOf } from '../support/oracle.js';

const stack = useTestStack({ seed: 'minimal' });
let fixture: FixtureOrg;
let crowd: GroupRec;

beforeAll(() => {
  fixture = addFixtureOrg(stack.emulator, 'Fixture-Co', 60);
  // Its members' usernames sort before every fixture user's, so they fill the union's prefix.
  crowd = addLargeGroup(stack.emulator, fixture.org, 'Aardvark', 500);
});

interface Result {
  organizationByName: { groups: { nodes: { name: string; members: { nodes: { username: string }[] } }[] } };
}

describe('member lists of a level that holds All and a large group', () => {
  it('read each page plus its probe row, never the whole Organization', async () => {
    const { data, calls, records } = await stack.run<Result>(
      `{ organizationByName(name: "Fixture-Co") { groups(first: 20) { nodes { name members(first: 3) { nodes { username } } } } } }`,
    );
    const groups = data.organizationByName.groups.nodes;
    const names = groups.map((group) => group.name);
    expect(names).toEqual(expect.arrayContaining(['All', 'Aardvark', 'G-00', 'G-07']));
    for (const group of groups) {
      const rec = group.name === crowd.name ? crowd : groupNamed(fixture.org, group.name);
      expect(group.members.nodes.map((u) => u.username)).toEqual(membersOf(stack.emulator.state, rec).slice(0, 3));
    }

    const searches = records.filter((c) => c.endpoint?.endsWith('users/search'));
    const bodies = searches.map((c) => c.body as { group_identifiers?: string[]; record_size: number });
    const lists = groups.length;
    // No read is unbounded, and All joins no group filter: the level reads the prefix of the Org's own list, as much
    // as the windows add up to (3 rows and a probe row each), and that serves All and the Aardvark list.
    expect(bodies.every((body) => body.record_size > 0)).toBe(true);
    expect(bodies.some((body) => body.group_identifiers?.includes(fixture.org.allGroupId) ?? false)).toBe(false);
    expect(bodies.filter((body) => body.group_identifiers === undefined)).toEqual([expect.objectContaining({ record_size: lists * 4 })]);
    // The lists the Aardvark rows crowded out are read as one union of their groups (the same budget rule), and only
    // those it cannot complete alone: here the empty Administrator group (a union cut short cannot tell an empty list
    // from a crowded-out one). Each read at most holds the windows it serves.
    expect(calls['users/search']).toBe(3);
    const rows = searches.reduce((sum, c) => sum + (c.rows ?? 0), 0);
    expect(rows).toBeLessThanOrEqual(3 * lists * 4);
  });
});
