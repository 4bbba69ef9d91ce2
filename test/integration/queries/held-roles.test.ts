// Users' roles on a nested query level come from one `heldRoles` batch (loaders/held-roles.ts). When the query asks
// only each role's id and name and the request already read an Organization's whole group list (an unfiltered first
// page that came back short), the roles come from the group rows, which name the roles assigned to each group: no
// `roles/search`. These tests hold that path to the answers the role index gives, and to its calls.

import { describe, expect, it } from 'vitest';
import { GROUP_PAGE_MIN_ROWS } from '../../../src/loaders/groups.js';
import { useTestStack } from '../../support/harness.js';
import { rolesOfUser, userNamed } from '../../support/oracle.js';

const stack = useTestStack({ seed: 'demo' });

/**
 * Every demo Organization, a page of its groups (11 apiece: an unfiltered first page reads at least
 * GROUP_PAGE_MIN_ROWS, so it comes back whole), their members.
 */
const nested = (groups: number, roleFields: string, filter = '') => `{
  organizations(first: 6) { nodes { name groups(first: ${groups}${filter}) { nodes { name
    members(first: 40) { nodes { username roles(first: 20) { nodes { ${roleFields} } } } }
  } } } }
}`;

interface Result {
  organizations: { nodes: { groups: { nodes: { name?: string; members: { nodes: { username: string; roles: { nodes: Record<string, unknown>[] } }[] } }[] } }[] };
}

function membersOf(data: Result): { username: string; roles: Record<string, unknown>[] }[] {
  return data.organizations.nodes.flatMap((org) => org.groups.nodes.flatMap((group) => group.members.nodes.map((m) => ({ username: m.username, roles: m.roles.nodes }))));
}

describe("users' roles on a query level", () => {
  it('come from the group rows already read when only ids and names are asked: no roles/search, the same roles as the index gives', async () => {
    const byRefs = await stack.run<Result>(nested(20, 'id name'));
    expect(byRefs.calls).toEqual({ 'groups/search': 6, 'orgs/search': 1, 'users/search': 6 });
    // Rows read: the six group pages (11 groups each, the whole lists) and the six Organizations' member reads.
    const groupRows = byRefs.records.filter((c) => c.endpoint?.endsWith('groups/search')).reduce((n, c) => n + (c.rows ?? 0), 0);
    expect(groupRows).toBe(66);

    const members = membersOf(byRefs.data);
    expect(members.length).toBeGreaterThan(100);
    for (const member of members) {
      const user = userNamed(stack.emulator.state, member.username);
      expect(member.roles.map((role) => role['name'])).toEqual(rolesOfUser(stack.emulator.state, user).slice(0, 20));
    }

    // Asking for a field a reference does not carry reads the role indexes (one roles/search per Organization), and
    // the ids and names are the same, in the same order.
    const full = await stack.run<Result>(nested(20, 'id name description'));
    expect(full.calls).toEqual({ 'groups/search': 6, 'orgs/search': 1, 'roles/search': 6, 'users/search': 6 });
    const strip = (list: ReturnType<typeof membersOf>) => list.map((m) => ({ username: m.username, roles: m.roles.map((r) => ({ id: r['id'], name: r['name'] })) }));
    expect(strip(membersOf(full.data))).toEqual(strip(members));
  });

  it('come from the whole group list even when the page shows fewer groups than it read', async () => {
    // A page of 5 reads at least GROUP_PAGE_MIN_ROWS rows: the whole list of 11 comes back, and answers for all.
    const { calls, data, records } = await stack.run<Result>(nested(5, 'id name'));
    expect(calls).toEqual({ 'groups/search': 6, 'orgs/search': 1, 'users/search': 6 });
    for (const call of records.filter((c) => c.endpoint?.endsWith('groups/search'))) {
      expect(call.body).toMatchObject({ record_offset: 0, record_size: GROUP_PAGE_MIN_ROWS });
      expect(call.rows).toBe(11);
    }
    for (const org of data.organizations.nodes) expect(org.groups.nodes).toHaveLength(5);
    for (const member of membersOf(data)) {
      const user = userNamed(stack.emulator.state, member.username);
      expect(member.roles.map((role) => role['name'])).toEqual(rolesOfUser(stack.emulator.state, user).slice(0, 20));
    }
  });

  it('read the role index when the group page is filtered', async () => {
    // A filtered page says nothing of the groups its filter left out, whose roles members may hold.
    const { calls, data } = await stack.run<Result>(nested(5, 'id name', ', namePattern: "%"'));
    expect(calls).toEqual({ 'groups/search': 6, 'orgs/search': 1, 'roles/search': 6, 'users/search': 6 });
    for (const member of membersOf(data)) {
      const user = userNamed(stack.emulator.state, member.username);
      expect(member.roles.map((role) => role['name'])).toEqual(rolesOfUser(stack.emulator.state, user).slice(0, 20));
    }
  });
});
