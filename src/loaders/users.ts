// Internal to src/loaders: user reads, where batching matters most (DESIGN.md §5).
//
// ThoughtSpot's `users/search` answers in the token's Org only (CONTRACT.md §3) and has exactly one way to name
// users: a single `user_identifier`. Its array filters select users by *group* and *role*, OR-ed
// (`group_identifiers`, `role_identifiers`). The loaders below turn that into calls that grow with the number of Orgs
// a query touches and its depth, never with the number of users on a page:
//
// - `members`: every `Group.members` / `Role.users` list of one query level becomes one `users/search` per Org,
//   with the array filter holding every group (or role) of the level; the rows are then partitioned locally by
//   each row's own group lists. A level with a single list pages upstream (`record_offset`/`record_size`) instead.
// - `userInOrg`: a user as seen from one Org (groups, inherited groups and privileges in a user row are the token
//   Org's view). One key → one `user_identifier` search; several keys → one read of the Org's whole user list,
//   indexed by id and name, because there is no batch-get. Every row any loader reads primes it.
// - `userByKey`: a user by id or username, cluster-wide. Users are cluster principals but only visible from an
//   Org they belong to, so `orgs/search` with `user_identifiers` (one call for the whole batch) says which Orgs to
//   look in, and `userInOrg` looks.
// - `userSearch`: one filtered, paged `users/search` per key (Org user lists, root lists, e-mail lookups).

import DataLoader from 'dataloader';
import type { PageRequest, SortOptions, ThoughtSpotClient, UserRecord, UserSearch } from '../thoughtspot/index.js';
import { RecordNotFoundError, alignToKeys, bucketBy, canonicalKey, settleBuckets } from './align.js';
import { PRIMARY_ORG_ID, toError } from './orgs.js';

/**
 * With more keys than this for one Org, `userInOrg` reads the Org's whole user list instead of searching each key:
 * one call instead of N, at the price of a larger answer. One means "batch as soon as there are two".
 */
export const USER_SCAN_ABOVE_KEYS = 1;

/**
 * A scan does not list hidden users (system principals; ThoughtSpot leaves them out of listings), so keys a scan
 * missed are searched one by one, but at most this many per batch: a burst of bogus IDs must not turn into a burst
 * of upstream calls. Keys beyond the cap are reported as not found.
 */
export const MAX_MISS_LOOKUPS = 10;

/** A user named by GUID or by username. */
export interface UserRef {
  readonly by: 'id' | 'name';
  readonly value: string;
}

/** A user as seen from one Org. */
export interface UserInOrgKey extends UserRef {
  readonly orgId: number;
}

/** The filters `users/search` evaluates, besides the identifier and the group/role arrays used for batching. */
export type UserFilter = Omit<UserSearch, 'identifier' | 'sort' | 'groupIdentifiers' | 'roleIdentifiers'>;

/** One paged `users/search` in one Org. */
export interface UserSearchKey {
  readonly orgId: number;
  readonly query: Omit<UserSearch, 'identifier' | 'sort'>;
  readonly sort: SortOptions;
  readonly page: PageRequest;
}

/**
 * One member list: the users of Org `orgId` that `users/search` selects with `via` = `ids`, and that belong to the
 * list according to `match`. For `Group.members(membership: DIRECT)` that is `via: groups`, `ids = match = [group]`;
 * for `ALL`, the group's sub-group closure; for `Role.users`, `via: roles`, `ids = [role]` and `match` = the groups
 * holding the role, compared with each row's inherited groups.
 */
export interface MemberKey {
  readonly orgId: number;
  readonly via: 'groups' | 'roles';
  /** The upstream array filter's values for this list (group or role GUIDs). */
  readonly ids: readonly string[];
  /** Group GUIDs that make a row a member of this list. */
  readonly match: readonly string[];
  /** Compare `match` with the row's direct groups, or with its direct and inherited groups. */
  readonly matchOn: 'direct' | 'inherited';
  /** The list includes the Org's implicit `All` group: every user of the Org is a member. */
  readonly everyone: boolean;
  readonly filter: UserFilter;
  readonly sort: SortOptions;
  /** Which part of the list to return (`size` -1: all of it). */
  readonly page: PageRequest;
}

/** One Org's whole user list (as `users/search` lists it: hidden users are left out), indexed. */
export interface OrgUserDirectory {
  readonly orgId: number;
  readonly byId: ReadonlyMap<string, UserRecord>;
}

/** User loaders of one request. */
export interface UserLoaders {
  readonly userInOrg: DataLoader<UserInOrgKey, UserRecord, string>;
  readonly userByKey: DataLoader<UserRef, UserRecord, string>;
  readonly userSearch: DataLoader<UserSearchKey, UserRecord[], string>;
  readonly members: DataLoader<MemberKey, UserRecord[], string>;
  /** Org id → every user of the Org. One call per Org per request; only batched lookups use it. */
  readonly orgUsers: DataLoader<number, OrgUserDirectory>;
}

/** @internal Creates the user loaders for one request. */
export function createUserLoaders(client: ThoughtSpotClient): UserLoaders {
  const prime = (orgId: number, rows: readonly UserRecord[]): void => {
    for (const row of rows) {
      userInOrg.prime({ orgId, by: 'id', value: row.id }, row);
      userInOrg.prime({ orgId, by: 'name', value: row.name }, row);
      userByKey.prime({ by: 'id', value: row.id }, row);
      userByKey.prime({ by: 'name', value: row.name }, row);
    }
  };
  const orgUsers = new DataLoader<number, OrgUserDirectory>((orgIds) =>
    Promise.all(orgIds.map((orgId) => loadOrgUsers(client, orgId, prime).catch(toError))),
  );
  const lookup = (key: UserInOrgKey): Promise<UserRecord | Error> => lookupUser(client, key);
  const userInOrg: DataLoader<UserInOrgKey, UserRecord, string> = new DataLoader<UserInOrgKey, UserRecord, string>(
    (keys) => {
      const buckets = bucketBy(keys, (key) => String(key.orgId));
      return settleBuckets(keys.length, buckets, async (bucket) => {
        const first = bucket[0];
        if (first === undefined) return [];
        if (bucket.length <= USER_SCAN_ABOVE_KEYS) return Promise.all(bucket.map(lookup));
        const directory = await orgUsers.load(first.orgId);
        return resolveFromDirectories(bucket, [directory], lookup);
      });
    },
    { cacheKeyFn: (key) => `${key.orgId}|${refKey(key)}` },
  );
  const userByKey: DataLoader<UserRef, UserRecord, string> = new DataLoader<UserRef, UserRecord, string>(
    (refs) => loadUsersByKey(client, { userInOrg, orgUsers, lookup }, refs),
    { cacheKeyFn: refKey },
  );
  const userSearch = new DataLoader<UserSearchKey, UserRecord[], string>(
    (keys) =>
      Promise.all(
        keys.map(async (key) => {
          if (key.page.size === 0) return [];
          try {
            const rows = await client.searchUsers({ orgId: key.orgId }, { ...key.query, sort: key.sort }, key.page);
            prime(key.orgId, rows);
            return rows;
          } catch (error) {
            return toError(error);
          }
        }),
      ),
    { cacheKeyFn: canonicalKey },
  );
  const members = new DataLoader<MemberKey, UserRecord[], string>(
    (keys) => {
      const buckets = bucketBy(keys, (key) => canonicalKey([key.orgId, key.via, key.filter, key.sort]));
      return settleBuckets(keys.length, buckets, (bucket) => loadMembers(client, bucket, prime));
    },
    { cacheKeyFn: canonicalKey },
  );
  return { userInOrg, userByKey, userSearch, members, orgUsers };
}

// Private: the cache key of a user reference; usernames compare without case, as ThoughtSpot resolves them.
function refKey(ref: UserRef): string {
  return `${ref.by}:${ref.by === 'name' ? ref.value.toLowerCase() : ref.value}`;
}

// Private: the `members` batch function for one bucket (one Org, one filter, one order).
async function loadMembers(
  client: ThoughtSpotClient,
  keys: readonly MemberKey[],
  prime: (orgId: number, rows: readonly UserRecord[]) => void,
): Promise<(UserRecord[] | Error)[]> {
  const first = keys[0];
  if (first === undefined) return [];
  const scope = { orgId: first.orgId };
  const arrayFilter = (ids: readonly string[]): Pick<UserSearch, 'groupIdentifiers' | 'roleIdentifiers'> =>
    first.via === 'groups' ? { groupIdentifiers: ids } : { roleIdentifiers: ids };
  // A lone list pages upstream: its filter selects exactly its members, so offsets are ThoughtSpot's.
  if (keys.length === 1) {
    if (first.ids.length === 0 || first.page.size === 0) return [[]];
    const rows = await client.searchUsers(scope, { ...first.filter, ...arrayFilter(first.ids), sort: first.sort }, first.page);
    prime(first.orgId, rows);
    return [rows];
  }
  // Several lists: one call for their union, everything from offset 0 (a union's offsets mean nothing for any one
  // list), then each list keeps its own rows, in ThoughtSpot's order, and cuts its own page.
  const union = [...new Set(keys.flatMap((key) => key.ids))].sort();
  if (union.length === 0) return keys.map(() => []);
  const rows = await client.searchUsers(
    scope,
    { ...first.filter, ...arrayFilter(union), sort: first.sort },
    { offset: 0, size: -1 },
  );
  prime(first.orgId, rows);
  return keys.map((key) => {
    if (key.ids.length === 0) return [];
    const match = new Set(key.match);
    const mine = key.everyone
      ? rows
      : rows.filter((row) =>
          (key.matchOn === 'direct' ? row.groups : [...row.groups, ...row.inheritedGroups]).some((group) =>
            match.has(group.id),
          ),
        );
    return key.page.size === -1 ? mine.slice(key.page.offset) : mine.slice(key.page.offset, key.page.offset + key.page.size);
  });
}

async function loadOrgUsers(
  client: ThoughtSpotClient,
  orgId: number,
  prime: (orgId: number, rows: readonly UserRecord[]) => void,
): Promise<OrgUserDirectory> {
  const rows = await client.searchUsers({ orgId }, { sort: { field: 'NAME', order: 'ASC' } }, { offset: 0, size: -1 });
  prime(orgId, rows);
  return {
    orgId,
    byId: new Map(rows.map((row) => [row.id, row])),
  };
}

// Private: one `user_identifier` search. A user outside the token's Org is not found (CONTRACT.md §3).
async function lookupUser(client: ThoughtSpotClient, key: UserInOrgKey): Promise<UserRecord | Error> {
  try {
    const [row] = await client.searchUsers({ orgId: key.orgId }, { identifier: key.value }, { offset: 0, size: 1 });
    return row !== undefined && matches(row, key) ? row : new RecordNotFoundError('User', key.value);
  } catch (error) {
    return toError(error);
  }
}

// Private: resolves refs against whole-Org directories; the first MAX_MISS_LOOKUPS misses are searched one by one
// (in the first key's Org) because directories leave hidden users out.
function resolveFromDirectories<R extends UserRef>(
  refs: readonly R[],
  directories: readonly OrgUserDirectory[],
  lookup: (key: UserInOrgKey) => Promise<UserRecord | Error>,
): Promise<(UserRecord | Error)[]> {
  const fallbackOrg = directories[0]?.orgId ?? PRIMARY_ORG_ID;
  // Every row answers to two keys, its id and its (lower-cased) name; the first directory that lists a user wins.
  const keyed = directories.flatMap((directory) =>
    [...directory.byId.values()].flatMap((row) => [
      { key: refKey({ by: 'id', value: row.id }), row },
      { key: refKey({ by: 'name', value: row.name }), row },
    ]),
  );
  const aligned = alignToKeys(refs, keyed, (entry) => entry.key, refKey, (ref) => new RecordNotFoundError('User', ref.value));
  let lookups = 0;
  return Promise.all(
    aligned.map((entry, i) => {
      if (!(entry instanceof Error)) return entry.row;
      const ref = refs[i] as R;
      lookups += 1;
      return lookups <= MAX_MISS_LOOKUPS ? lookup({ orgId: fallbackOrg, by: ref.by, value: ref.value }) : entry;
    }),
  );
}

// Private: usernames compare without case, as ThoughtSpot resolves them (CONTRACT.md §16 Q6).
function matches(row: UserRecord, ref: UserRef): boolean {
  return ref.by === 'id' ? row.id === ref.value : row.name.toLowerCase() === ref.value.toLowerCase();
}

// Private: the `userByKey` batch function.
async function loadUsersByKey(
  client: ThoughtSpotClient,
  loaders: {
    readonly userInOrg: DataLoader<UserInOrgKey, UserRecord, string>;
    readonly orgUsers: DataLoader<number, OrgUserDirectory>;
    readonly lookup: (key: UserInOrgKey) => Promise<UserRecord | Error>;
  },
  refs: readonly UserRef[],
): Promise<(UserRecord | Error)[]> {
  const orgs = await client.searchOrgs({ orgId: PRIMARY_ORG_ID }, { userIdentifiers: [...new Set(refs.map((r) => r.value))] });
  // Prefer the Primary Org, then the lowest id: any Org the user belongs to shows the same cluster-wide fields.
  const orgIds = orgs.map((org) => org.id).sort((a, b) => a - b);
  const [preferred] = orgIds;
  if (preferred === undefined) return refs.map((ref) => new RecordNotFoundError('User', ref.value));
  // One user, or users who all share one Org: look in that Org (one identifier search, or one Org read). Users spread
  // over several Orgs: read each Org of the union once, in parallel, and take each user from the first that has it.
  if (refs.length <= USER_SCAN_ABOVE_KEYS || orgIds.length === 1) {
    return loaders.userInOrg.loadMany(refs.map((ref) => ({ orgId: preferred, by: ref.by, value: ref.value })));
  }
  const directories = await loaders.orgUsers.loadMany(orgIds);
  const failed = directories.find((directory): directory is Error => directory instanceof Error);
  if (failed !== undefined) throw failed;
  return resolveFromDirectories(refs, directories as OrgUserDirectory[], loaders.lookup);
}
