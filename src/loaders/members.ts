// Internal to src/loaders: member lists (`Group.members`, `Role.users`), the reads where rows pile up fastest.
//
// `users/search` selects users by group or role through OR-ed array filters, so every member list of one query level
// (one Org, one filter, one order) can share one call: the union of their filters, partitioned locally by the rules
// of membership.ts. A union is only worth it while it stays small, so every read here has a row budget:
// - a lone list, a list that needs its whole length (`totalCount`), and a list whose window starts past its first
//   row (an `after` cursor) page upstream on their own filter: offsets are then ThoughtSpot's, and a union would have
//   to read every row before the window;
// - lists read together read at most what their windows add up to, in their shared order, from offset 0. A list whose window is complete inside that prefix is served from it (a short answer is
//   the whole union, so it completes every list); a list the budget cut short, because other lists' members crowded
//   it out of the prefix, is read again without them;
// - a list that matches every user of the Org (`All`, a role assigned to `All`) never joins a group or role filter,
//   which it would turn into the whole Org. Its members are the Org's own list, so a level that holds one reads the
//   prefix of the Org's list instead: on a small Org that one call completes every list of the level; on a large one
//   it serves `All` and whichever lists it reaches, and the rest are read as a union of their filters, then alone.

import type { PageRequest, SortOptions, UserRecord, UserSearch } from '../thoughtspot/index.js';
import { isMember, type MemberRule } from './membership.js';
import { toError } from './align.js';
import type { Prime } from './user-lookup.js';
import type { DirectoryReads } from './tenancy.js';

/** The filters `users/search` evaluates, besides the identifier and the group/role arrays used for batching. */
export type UserFilter = Omit<UserSearch, 'identifier' | 'sort' | 'groupIdentifiers' | 'roleIdentifiers'>;

/**
 * One member list of Org `orgId`: who belongs is `rule` (membership.ts `groupMembers`, `roleHolders`), which part
 * of it to return is `page` (`size` -1: all of it).
 */
export interface MemberKey extends MemberRule {
  readonly orgId: number;
  readonly filter: UserFilter;
  readonly sort: SortOptions;
  readonly page: PageRequest;
}

/** The `members` batch function for one bucket (one Org, one `via`, one filter, one order). */
export async function loadMembers(client: DirectoryReads, keys: readonly MemberKey[], prime: Prime): Promise<(UserRecord[] | Error)[]> {
  const first = keys[0];
  if (first === undefined) return [];
  const search = async (ids: readonly string[] | null, page: PageRequest): Promise<UserRecord[]> => {
    const narrow = ids === null ? {} : first.via === 'groups' ? { groupIdentifiers: ids } : { roleIdentifiers: ids };
    const rows = await client.searchUsers({ orgId: first.orgId }, { ...first.filter, ...narrow, sort: first.sort }, page);
    prime(first.orgId, rows);
    return rows;
  };
  const alone = (key: MemberKey): Promise<UserRecord[] | Error> =>
    search(key.everyone ? null : key.ids, key.page).catch(toError);

  // Lists read together; `everyone` only on the first round, so a list cut short is read at most twice more.
  const together = async (lists: readonly MemberKey[]): Promise<(UserRecord[] | Error)[]> => {
    const [only] = lists;
    if (lists.length === 1 && only !== undefined) return [await alone(only)];
    const everyone = lists.some((key) => key.everyone);
    const budget = lists.reduce((sum, key) => sum + key.page.size, 0);
    let rows: UserRecord[];
    try {
      rows = await search(everyone ? null : [...new Set(lists.flatMap((key) => key.ids))].sort(), { offset: 0, size: budget });
    } catch (error) {
      return lists.map(() => toError(error));
    }
    const complete = rows.length < budget;
    const served = lists.map((key): UserRecord[] | null => {
      const mine = rows.filter((row) => isMember(row, key));
      return complete || mine.length >= key.page.size ? mine.slice(0, key.page.size) : null;
    });
    const short = lists.filter((_key, n) => served[n] === null);
    // An `everyone` list is never short: every row of the Org's prefix is one of its members.
    const again = short.length === 0 ? [] : everyone ? await together(short) : await Promise.all(short.map(alone));
    let next = 0;
    return served.map((value) => value ?? (again[next++] as UserRecord[] | Error));
  };

  const results = new Array<UserRecord[] | Error | Promise<UserRecord[] | Error>>(keys.length);
  const pooled: number[] = [];
  keys.forEach((key, i) => {
    if (key.page.size === 0 || (!key.everyone && key.ids.length === 0)) results[i] = [];
    else if (key.page.size === -1 || key.page.offset > 0) results[i] = alone(key);
    else pooled.push(i);
  });
  if (pooled.length > 0) {
    const served = await together(pooled.map((i) => keys[i] as MemberKey));
    pooled.forEach((position, n) => {
      results[position] = served[n] as UserRecord[] | Error;
    });
  }
  return Promise.all(results);
}
