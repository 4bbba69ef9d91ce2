// Internal to src/loaders: the strategies behind the user lookups by id and by name (users.ts `userInOrg`,
// `userByKey`). ThoughtSpot has no batch-get for users: `users/search` takes a single `user_identifier` and answers in
// the token's Org only (CONTRACT.md §3). So a batch of users in one Org is either looked up one identifier search per
// user (small batches: a few small answers, in parallel) or found by scanning the Org's user list page by page until
// every wanted user has turned up (large batches: one call per page, however many users it holds), within a row
// budget that grows with the batch, past which the few users still missing are looked up too; `UserBatchOptions`
// sets where one ends and the other begins. Cluster-wide lookups first ask `orgs/search` (one call
// for the whole batch) which Orgs hold the users. Every row found primes the loaders through `prime`.

import type DataLoader from 'dataloader';
import type { SortOptions, UserRecord } from '../thoughtspot/index.js';
import { RecordNotFoundError, toError } from './align.js';
import { mapBounded } from './bounded.js';
import { PRIMARY_ORG_ID } from './orgs.js';
import type { DirectoryReads } from './tenancy.js';

/** Hands rows read in Org `orgId` to every user loader, by id and by name. */
export type Prime = (orgId: number, rows: readonly UserRecord[]) => void;

/**
 * How batched user lookups read ThoughtSpot (`THOUGHTSPOT_USER_LOOKUP_MAX_KEYS`, `THOUGHTSPOT_USER_SCAN_PAGE_SIZE`;
 * config.ts argues the defaults).
 */
export interface UserBatchOptions {
  /**
   * A batch of at most this many users in one Org is looked up one `user_identifier` search per user; a larger one
   * scans the Org's user list. At least 1: a single user is always looked up by identifier.
   */
  readonly lookupMaxKeys: number;
  /** `record_size` of each page of a scan. */
  readonly scanPageSize: number;
}

/** Most identifier searches (and per-user `orgs/search` calls) one batch keeps in flight at once (see bounded.ts). */
export const USER_LOOKUP_CONCURRENCY = 10;

/**
 * A batch spread over several Orgs (nothing says which user is in which) is looked up user by user, one `orgs/search`
 * and one identifier search each, up to this many users (or `lookupMaxKeys`, if larger); more are found by scanning
 * those Orgs side by side, which has no row budget (a miss could be in any of them).
 */
export const SPREAD_LOOKUP_MAX_KEYS = 10;

/**
 * A scan does not list hidden users (system principals; ThoughtSpot leaves them out of listings), so keys a scan
 * missed are searched one by one, but at most this many per batch: a burst of bogus IDs must not turn into a burst
 * of upstream calls. Keys beyond the cap are reported as not found.
 */
export const MAX_MISS_LOOKUPS = 10;

// The order of a scan. ThoughtSpot's default order is undocumented (CONTRACT.md §16 Q19), and offset paging
// is only meaningful over a stable one; usernames are unique, so NAME ascending is total.
export const USER_SCAN_SORT: SortOptions = { field: 'NAME', order: 'ASC' };

/**
 * The row budget of a one-Org scan: rows read per wanted user, and the least budget of any scan. Rows are a cost like
 * calls: 22 users wanted in a 20,000-user Org used to cost pages of 1,000 rows (1.8 MB each) until the last one
 * turned up, anywhere up to the whole list. A small Org's list fits in the budget and is read as before; in a large
 * one, once the budget is spent, the users still missing are looked up one identifier search each (a row of about
 * 1.5 KB apiece), provided they are at most SCAN_CUT_LOOKUPS (or `lookupMaxKeys`, if larger). With more missing the
 * scan reads on, whole pages at a time: calls are the scarcer resource (ThoughtSpot allows 100 a second), and a scan
 * cut short cannot tell a missing user from one further down the list, so every miss would cost a call.
 */
export const SCAN_ROWS_PER_KEY = 10;
export const SCAN_MIN_ROWS = 100;
export const SCAN_CUT_LOOKUPS = 25;

/** A user named by GUID or by username. */
export interface UserRef {
  readonly by: 'id' | 'name';
  readonly value: string;
}

/** A user as seen from one Org. */
export interface UserInOrgKey extends UserRef {
  readonly orgId: number;
}

/** The cache key of a user reference; usernames compare without case, as ThoughtSpot resolves them. */
export function refKey(ref: UserRef): string {
  return `${ref.by}:${ref.by === 'name' ? ref.value.toLowerCase() : ref.value}`;
}


/** What the two lookup strategies need, shared by `userInOrg` and `userByKey`. */
export interface UserReads {
  readonly client: DirectoryReads;
  readonly options: UserBatchOptions;
  /** One `user_identifier` search in one Org; primes what it finds. */
  readonly lookup: (key: UserInOrgKey) => Promise<UserRecord | Error>;
  /** Scans the user lists of `orgIds` (in preference order) until every ref has turned up; primes every row read. */
  readonly scan: <R extends UserRef>(orgIds: readonly number[], refs: readonly R[]) => Promise<(UserRecord | Error)[]>;
}

// The `userInOrg` batch function for one Org's keys. The trade-off, per Org and batch: N identifier searches
// cost N calls with one small row each; a scan costs one call per page of the Org's list and finds any number of
// users, but reads every row before the last wanted one. Small batches are looked up, large ones scanned.
export function findInOrg(reads: UserReads, keys: readonly UserInOrgKey[]): Promise<(UserRecord | Error)[]> {
  const first = keys[0];
  if (first === undefined) return Promise.resolve([]);
  if (keys.length <= reads.options.lookupMaxKeys) return mapBounded(keys, USER_LOOKUP_CONCURRENCY, reads.lookup);
  return reads.scan([first.orgId], keys);
}

// One `user_identifier` search. A user outside the token's Org is not found (CONTRACT.md §3).
export async function lookupUser(
  client: DirectoryReads,
  key: UserInOrgKey,
  prime: Prime,
): Promise<UserRecord | Error> {
  try {
    const [row] = await client.searchUsers({ orgId: key.orgId }, { identifier: key.value }, { offset: 0, size: 1 });
    if (row === undefined || !matches(row, key)) return new RecordNotFoundError('User', key.value);
    prime(key.orgId, [row]);
    return row;
  } catch (error) {
    return toError(error);
  }
}

// Finds `refs` by reading the user lists of `orgIds` page by page (`pageSize` rows, NAME ascending), all Orgs
// at once, and stops reading as soon as every ref has turned up in one of them; the rows of wanted refs are primed. A user
// several Orgs list is taken from the first Org of `orgIds` that read it. Refs still missing at the end are searched
// by identifier in the first Org, at most MAX_MISS_LOOKUPS of them (hidden users are never listed, and a row that
// moved between two pages can be missed); the rest are not found. If an Org's read failed, refs that no other Org
// turned up get that failure rather than a not-found: the failed Org may have held them.
// A scan of one Org keeps to its row budget (SCAN_ROWS_PER_KEY): its pages are no larger than the budget, and once it
// is spent with at most SCAN_CUT_LOOKUPS refs missing, those are all searched by identifier in that Org instead of
// reading on. Over several Orgs there is no budget: nothing says which Org a missing ref would be in.
export async function scanForUsers<R extends UserRef>(
  client: DirectoryReads,
  options: UserBatchOptions,
  prime: Prime,
  lookup: (key: UserInOrgKey) => Promise<UserRecord | Error>,
  orgIds: readonly number[],
  refs: readonly R[],
): Promise<(UserRecord | Error)[]> {
  const { scanPageSize: pageSize, lookupMaxKeys } = options;
  const budget = orgIds.length === 1 ? Math.max(SCAN_MIN_ROWS, SCAN_ROWS_PER_KEY * refs.length) : Infinity;
  const cutLookups = Math.max(lookupMaxKeys, SCAN_CUT_LOOKUPS);
  let cut = false;
  const wanted = new Set(refs.map(refKey));
  const found = new Map<string, { readonly rank: number; readonly row: UserRecord }>();
  const failures: Error[] = [];
  // Records `row` for the refs it answers; says whether it answers any.
  const take = (rank: number, row: UserRecord): boolean => {
    let answers = false;
    for (const key of [refKey({ by: 'id', value: row.id }), refKey({ by: 'name', value: row.name })]) {
      if (!wanted.has(key)) continue;
      answers = true;
      const held = found.get(key);
      if (held === undefined || rank < held.rank) found.set(key, { rank, row });
    }
    return answers;
  };
  await Promise.all(
    orgIds.map(async (orgId, rank) => {
      try {
        const read = new Set<string>();
        let offset = 0;
        while (found.size < wanted.size) {
          const left = budget - offset;
          if (left <= 0 && wanted.size - found.size <= cutLookups) {
            cut = true;
            break;
          }
          const size = left > 0 ? Math.min(pageSize, left) : pageSize;
          const rows = await client.searchUsers({ orgId }, { sort: USER_SCAN_SORT }, { offset, size });
          // Only the rows wanted are kept: the rest of a page would otherwise live as long as the request, for a
          // chance that a later read wants them (a scan reads up to ten rows per user it is after).
          const kept: UserRecord[] = [];
          let fresh = 0;
          for (const row of rows) {
            if (take(rank, row)) kept.push(row);
            if (!read.has(row.id)) fresh += 1;
            read.add(row.id);
          }
          prime(orgId, kept);
          // A short page ends the list. A full page of rows already read would mean the offset is not honoured;
          // stopping then keeps a misbehaving answer from turning into an endless walk.
          if (rows.length < size || fresh === 0) break;
          offset += rows.length;
        }
      } catch (error) {
        failures.push(toError(error));
      }
    }),
  );
  const [failure] = failures;
  const fallbackOrg = orgIds[0] ?? PRIMARY_ORG_ID;
  let misses = 0;
  // mapBounded starts items in order, so the MAX_MISS_LOOKUPS searched are always the first misses. After a cut the
  // misses (at most SCAN_CUT_LOOKUPS) are searched all at once: they are the level's last reads.
  const concurrency = cut ? cutLookups : USER_LOOKUP_CONCURRENCY;
  return mapBounded(refs, concurrency, async (ref) => {
    const hit = found.get(refKey(ref));
    if (hit !== undefined) return hit.row;
    if (failure !== undefined) return failure;
    // After a scan cut at its budget every miss is searched: it may simply be further down the list.
    if (cut) return lookup({ orgId: fallbackOrg, by: ref.by, value: ref.value });
    misses += 1;
    return misses <= MAX_MISS_LOOKUPS
      ? lookup({ orgId: fallbackOrg, by: ref.by, value: ref.value })
      : new RecordNotFoundError('User', ref.value);
  });
}

// Private: usernames compare without case, as ThoughtSpot resolves them (CONTRACT.md §16 Q6).
function matches(row: UserRecord, ref: UserRef): boolean {
  return ref.by === 'id' ? row.id === ref.value : row.name.toLowerCase() === ref.value.toLowerCase();
}

// The `userByKey` batch function. `orgs/search` with every ref in `user_identifiers` (OR-ed) says which Orgs
// hold at least one of them, in one call:
// - no Org: none of them exists (or is in an Org);
// - one ref, or one Org: every ref that exists is in that Org, so `userInOrg` finds them there;
// - several refs over several Orgs, few refs (SPREAD_LOOKUP_MAX_KEYS): nobody says which ref is in which Org, so
//   each ref's Orgs are asked (one `orgs/search` per ref, in parallel) and `userInOrg` looks each up where it lives;
// - many refs over several Orgs: the Orgs are scanned together until every ref has turned up.
export async function loadUsersByKey(
  reads: UserReads,
  userInOrg: DataLoader<UserInOrgKey, UserRecord, string>,
  refs: readonly UserRef[],
): Promise<(UserRecord | Error)[]> {
  const { client, options } = reads;
  const orgs = await client.searchOrgs({ orgId: PRIMARY_ORG_ID }, { userIdentifiers: [...new Set(refs.map((r) => r.value))] });
  // Prefer the Primary Org, then the lowest id: any Org the user belongs to shows the same cluster-wide fields.
  const orgIds = orgs.map((org) => org.id).sort((a, b) => a - b);
  const [preferred] = orgIds;
  if (preferred === undefined) return refs.map((ref) => new RecordNotFoundError('User', ref.value));
  if (refs.length === 1 || orgIds.length === 1) {
    return userInOrg.loadMany(refs.map((ref) => ({ orgId: preferred, by: ref.by, value: ref.value })));
  }
  if (refs.length > Math.max(options.lookupMaxKeys, SPREAD_LOOKUP_MAX_KEYS)) return reads.scan(orgIds, refs);
  const homes = await mapBounded(refs, USER_LOOKUP_CONCURRENCY, async (ref): Promise<number | null | Error> => {
    try {
      const held = await client.searchOrgs({ orgId: PRIMARY_ORG_ID }, { userIdentifiers: [ref.value] });
      return held.reduce<number | null>((lowest, org) => (lowest === null || org.id < lowest ? org.id : lowest), null);
    } catch (error) {
      return toError(error);
    }
  });
  const keys: UserInOrgKey[] = [];
  refs.forEach((ref, i) => {
    const home = homes[i];
    if (typeof home === 'number') keys.push({ orgId: home, by: ref.by, value: ref.value });
  });
  const loaded = await userInOrg.loadMany(keys);
  let next = 0;
  return refs.map((ref, i) => {
    const home = homes[i];
    if (home instanceof Error) return home;
    if (typeof home !== 'number') return new RecordNotFoundError('User', ref.value);
    const row = loaded[next];
    next += 1;
    return row ?? new RecordNotFoundError('User', ref.value);
  });
}
