import { describe, expect, it } from 'vitest';
import { loadMembers, type MemberKey } from '../../../src/loaders/members.js';
import { groupMembers } from '../../../src/loaders/membership.js';
import type { PageRequest, ThoughtSpotClient, UserRecord, UserSearch } from '../../../src/thoughtspot/index.js';

// A directory of one Org: `crowd` has 50 members whose names sort first, `a` and `b` 5 each, `empty` none; `lone`
// belongs to no group. Rows carry only what the partition reads.
function user(name: string, groups: string[]): UserRecord {
  return { id: `id-${name}`, name, groups: groups.map((id) => ({ id, name: id })), inheritedGroups: [] } as unknown as UserRecord;
}
const USERS: UserRecord[] = [
  ...Array.from({ length: 50 }, (_, i) => user(`a-crowd-${String(i).padStart(2, '0')}`, ['crowd'])),
  ...Array.from({ length: 5 }, (_, i) => user(`m-a-${i}`, ['a'])),
  ...Array.from({ length: 5 }, (_, i) => user(`n-b-${i}`, ['b'])),
  user('z-lone', []),
];

interface Call {
  readonly groups: readonly string[] | undefined;
  readonly page: PageRequest;
  readonly rows: number;
}

function fakeClient(calls: Call[], fail = false): ThoughtSpotClient {
  return {
    searchUsers: (_scope: unknown, query: UserSearch, page: PageRequest) => {
      if (fail) return Promise.reject(new Error('upstream down'));
      const ids = query.groupIdentifiers;
      const matching = ids === undefined ? USERS : USERS.filter((u) => u.groups.some((g) => ids.includes(g.id)));
      const rows = page.size === -1 ? matching.slice(page.offset) : matching.slice(page.offset, page.offset + page.size);
      calls.push({ groups: ids, page, rows: rows.length });
      return Promise.resolve(rows);
    },
  } as unknown as ThoughtSpotClient;
}

const ALL = { id: 'all', name: 'All', systemGroup: true };
const key = (group: { id: string; name?: string; systemGroup?: boolean }, size: number, offset = 0): MemberKey => ({
  ...groupMembers({ systemGroup: false, ...group }, null),
  orgId: 7,
  filter: {},
  sort: { field: 'NAME', order: 'ASC' },
  page: { offset, size },
});
const names = (result: UserRecord[] | Error | undefined): string[] => (Array.isArray(result) ? result.map((u) => u.name) : []);
const noPrime = (): void => undefined;

describe('loadMembers', () => {
  it('reads the lists of a level as one union within the sum of their windows, and a short answer completes them all', async () => {
    const calls: Call[] = [];
    const result = await loadMembers(fakeClient(calls), [key({ id: 'a' }, 6), key({ id: 'b' }, 6)], noPrime);
    // 10 rows answer a budget of 6 + 6: the union is complete, so every list is served from it, to its end.
    expect(calls).toEqual([{ groups: ['a', 'b'], page: { offset: 0, size: 12 }, rows: 10 }]);
    expect(names(result[0])).toEqual(['m-a-0', 'm-a-1', 'm-a-2', 'm-a-3', 'm-a-4']);
    expect(names(result[1])).toEqual(['n-b-0', 'n-b-1', 'n-b-2', 'n-b-3', 'n-b-4']);
  });

  it('serves a list from a union cut short when its window is inside the prefix, and reads the others again', async () => {
    const calls: Call[] = [];
    const result = await loadMembers(fakeClient(calls), [key({ id: 'a' }, 3), key({ id: 'b' }, 4)], noPrime);
    // 7 rows of the 10: a's first 3 are among them; b has 2 of its 4 there, so b alone reads its window.
    expect(calls).toEqual([
      { groups: ['a', 'b'], page: { offset: 0, size: 7 }, rows: 7 },
      { groups: ['b'], page: { offset: 0, size: 4 }, rows: 4 },
    ]);
    expect(names(result[0])).toEqual(['m-a-0', 'm-a-1', 'm-a-2']);
    expect(names(result[1])).toEqual(['n-b-0', 'n-b-1', 'n-b-2', 'n-b-3']);
  });

  it('pages a list whose window starts past its first row on its own: a union would read every row before it', async () => {
    const calls: Call[] = [];
    const result = await loadMembers(fakeClient(calls), [key({ id: 'crowd' }, 2, 40), key({ id: 'a' }, 2), key({ id: 'b' }, 2)], noPrime);
    expect(calls).toEqual(
      expect.arrayContaining([
        { groups: ['crowd'], page: { offset: 40, size: 2 }, rows: 2 },
        { groups: ['a', 'b'], page: { offset: 0, size: 4 }, rows: 4 },
      ]),
    );
    expect(names(result[0])).toEqual(['a-crowd-40', 'a-crowd-41']);
  });

  it('reads a list the budget cut short again on its own, paged, and returns one result per key in key order', async () => {
    const calls: Call[] = [];
    const result = await loadMembers(fakeClient(calls), [key({ id: 'a' }, 4), key({ id: 'crowd' }, 4), key({ id: 'empty' }, 4)], noPrime);
    expect(result).toHaveLength(3);
    expect(calls[0]).toEqual({ groups: ['a', 'crowd', 'empty'], page: { offset: 0, size: 12 }, rows: 12 });
    // The crowd filled the prefix: a and the empty group are read alone; the crowd is served from the prefix.
    expect(calls.slice(1).map((c) => c.groups)).toEqual(expect.arrayContaining([['a'], ['empty']]));
    expect(calls).toHaveLength(3);
    expect(names(result[0])).toEqual(['m-a-0', 'm-a-1', 'm-a-2', 'm-a-3']);
    expect(names(result[1])).toHaveLength(4);
    expect(names(result[2])).toEqual([]);
    expect(calls.reduce((sum, c) => sum + c.rows, 0)).toBeLessThanOrEqual(2 * 12);
  });

  it('never puts All in a group filter: a level holding it reads a bounded prefix of the Org list', async () => {
    const calls: Call[] = [];
    const result = await loadMembers(fakeClient(calls), [key(ALL, 2), key({ id: 'crowd' }, 2), key({ id: 'b' }, 2)], noPrime);
    expect(calls[0]).toEqual({ groups: undefined, page: { offset: 0, size: 6 }, rows: 6 });
    // The prefix served All and the crowd; b, crowded out, is read alone (a second union of one list).
    expect(calls.slice(1)).toEqual([{ groups: ['b'], page: { offset: 0, size: 2 }, rows: 2 }]);
    expect(names(result[0])).toEqual(['a-crowd-00', 'a-crowd-01']);
    expect(names(result[2])).toEqual(['n-b-0', 'n-b-1']);
  });

  it('reads a lone All list alone, with no filter, and a list that needs its whole length alone', async () => {
    const calls: Call[] = [];
    const result = await loadMembers(fakeClient(calls), [key(ALL, 2, 60)], noPrime);
    expect(calls).toEqual([{ groups: undefined, page: { offset: 60, size: 2 }, rows: 1 }]);
    expect(names(result[0])).toEqual(['z-lone']);
    const whole: Call[] = [];
    await loadMembers(fakeClient(whole), [key({ id: 'a' }, -1), key({ id: 'b' }, 2)], noPrime);
    expect(whole).toEqual(expect.arrayContaining([{ groups: ['a'], page: { offset: 0, size: -1 }, rows: 5 }]));
  });

  it('gives every key of a failed read the failure, as an Error value, without throwing', async () => {
    const result = await loadMembers(fakeClient([], true), [key({ id: 'a' }, 2), key({ id: 'b' }, 2)], noPrime);
    expect(result.map((r) => (r instanceof Error ? r.message : 'rows'))).toEqual(['upstream down', 'upstream down']);
  });
});
