import { beforeAll, describe, expect, it } from 'vitest';
import { addFixtureOrg } from '../../support/fixtures.js';
import { useTestStack } from '../../support/harness.js';

const stack = useTestStack({ seed: 'minimal' });

beforeAll(() => {
  addFixtureOrg(stack.emulator);
});

const THREE_LEVELS = `query ($groups: Int!, $members: Int!, $roles: Int!) {
  organizationByName(name: "Fixture-Co") {
    groups(first: $groups, namePattern: "G-%") { nodes { name
      members(first: $members, membership: ALL) { nodes { username
        roles(first: $roles) { nodes { name } }
        groups(first: $roles) { nodes { name } }
      } }
      subGroups(first: $roles) { nodes { name } }
    } }
  }
}`;

interface Result {
  organizationByName: { groups: { nodes: { members: { nodes: { roles: { nodes: unknown[] } }[] } }[] } };
}

describe('upstream calls of a nested query', () => {
  it('do not change when every page size doubles (they grow with depth and Org scopes, not with nodes)', async () => {
    const counts: Record<string, number>[] = [];
    const nodes: number[] = [];
    const indexRows: number[] = [];
    for (const sizes of [
      { groups: 2, members: 3, roles: 1 },
      { groups: 4, members: 6, roles: 2 },
      { groups: 8, members: 12, roles: 4 },
    ]) {
      const { data, calls, records } = await stack.run<Result>(THREE_LEVELS, sizes);
      counts.push(calls);
      const groups = data.organizationByName.groups.nodes;
      const members = groups.flatMap((g) => g.members.nodes);
      nodes.push(groups.length + members.length + members.reduce((n, m) => n + m.roles.nodes.length, 0));
      // Rows are a cost like calls. Whole-Org reads (the Org, its group and role indexes: record_size -1 or
      // unpaged) hold the same rows whatever the page sizes; paged reads hold at most each page and its probe row:
      // the groups' page, then every member list's window once in the level's union read and once more at most in
      // its own paged read when the union's budget cut it short.
      const paged = records.filter((c) => ((c.body as { record_size?: number } | null)?.record_size ?? -1) > 0);
      const whole = records.filter((c) => !paged.includes(c));
      indexRows.push(whole.reduce((sum, c) => sum + (c.rows ?? 0), 0));
      const pagedRows = paged.reduce((sum, c) => sum + (c.rows ?? 0), 0);
      expect(pagedRows).toBeLessThanOrEqual(sizes.groups + 1 + 2 * groups.length * (sizes.members + 1));
    }
    expect(new Set(indexRows).size).toBe(1);
    expect(nodes[1]).toBeGreaterThan(nodes[0] as number);
    expect(nodes[2]).toBeGreaterThan(nodes[1] as number);
    // orgs/search (the Org by name), groups/search twice (the paged level, the Org's group index for the sub-group
    // closure and the users' groups), users/search (every member list of the level). No roles/search: the query
    // asks only the roles' names, and the group index already names the roles of every group of the Org.
    const expected = { 'groups/search': 2, 'orgs/search': 1, 'users/search': 1 };
    expect(counts).toEqual([expected, expected, expected]);
  });
});
