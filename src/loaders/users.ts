// Internal to src/loaders: the user loaders, where batching matters most (DESIGN.md §5). Two lookups that prime each
// other, as DataLoader's README shows for alternative keys: `userInOrg` (a user as one Org sees it: groups, inherited
// groups and privileges in a user row are the token Org's view) and `userByKey` (cluster-wide, by id or username);
// their strategies live in user-lookup.ts. Two list reads: `userSearch` (one filtered, paged `users/search` per key)
// and `members` (member lists of a query level, members.ts). Every row they read primes both lookups, except the rows a
// scan reads past on its way to the users it is after.

import DataLoader from 'dataloader';
import type { PageRequest, SortOptions, UserRecord, UserSearch } from '../thoughtspot/index.js';
import { bucketBy, canonicalKey, settleBuckets, toError } from './align.js';
import { loadMembers, type MemberKey } from './members.js';
import { observed, type BatchObserver } from './observe.js';
import type { DirectoryReads } from './tenancy.js';
import {
  findInOrg,
  loadUsersByKey,
  lookupUser,
  refKey,
  scanForUsers,
  type Prime,
  type UserBatchOptions,
  type UserInOrgKey,
  type UserReads,
  type UserRef,
} from './user-lookup.js';

/** One paged `users/search` in one Org. */
export interface UserSearchKey {
  readonly orgId: number;
  readonly query: Omit<UserSearch, 'identifier' | 'sort'>;
  readonly sort: SortOptions;
  readonly page: PageRequest;
}

/** User loaders of one request. */
export interface UserLoaders {
  readonly userInOrg: DataLoader<UserInOrgKey, UserRecord, string>;
  readonly userByKey: DataLoader<UserRef, UserRecord, string>;
  readonly userSearch: DataLoader<UserSearchKey, UserRecord[], string>;
  readonly members: DataLoader<MemberKey, UserRecord[], string>;
}

/** @internal Creates the user loaders for one request. */
export function createUserLoaders(client: DirectoryReads, options: UserBatchOptions, observe?: BatchObserver): UserLoaders {
  const prime: Prime = (orgId, rows) => {
    for (const row of rows) {
      userInOrg.prime({ orgId, by: 'id', value: row.id }, row);
      userInOrg.prime({ orgId, by: 'name', value: row.name }, row);
      userByKey.prime({ by: 'id', value: row.id }, row);
      userByKey.prime({ by: 'name', value: row.name }, row);
    }
  };
  const lookup = (key: UserInOrgKey): Promise<UserRecord | Error> => lookupUser(client, key, prime);
  const reads: UserReads = {
    client,
    options,
    lookup,
    scan: (orgIds, refs) => scanForUsers(client, options, prime, lookup, orgIds, refs),
  };
  const userInOrg: DataLoader<UserInOrgKey, UserRecord, string> = new DataLoader<UserInOrgKey, UserRecord, string>(
    observed('userInOrg', observe, (keys) => {
      const buckets = bucketBy(keys, (key) => String(key.orgId));
      return settleBuckets(keys.length, buckets, (bucket) => findInOrg(reads, bucket));
    }),
    { cacheKeyFn: (key) => `${key.orgId}|${refKey(key)}` },
  );
  const userByKey: DataLoader<UserRef, UserRecord, string> = new DataLoader<UserRef, UserRecord, string>(
    observed('userByKey', observe, (refs) => loadUsersByKey(reads, userInOrg, refs)),
    { cacheKeyFn: refKey },
  );
  const userSearch = new DataLoader<UserSearchKey, UserRecord[], string>(
    observed('userSearch', observe, (keys) =>
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
    ),
    { cacheKeyFn: canonicalKey },
  );
  const members = new DataLoader<MemberKey, UserRecord[], string>(
    observed('members', observe, (keys) => {
      const buckets = bucketBy(keys, (key) => canonicalKey([key.orgId, key.via, key.filter, key.sort]));
      return settleBuckets(keys.length, buckets, (bucket) => loadMembers(client, bucket, prime));
    }),
    { cacheKeyFn: canonicalKey },
  );
  return { userInOrg, userByKey, userSearch, members };
}

