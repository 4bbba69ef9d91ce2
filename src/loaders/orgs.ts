// Internal to src/loaders: Organization reads. `orgs/search` is not paginated and needs a cluster administrator's
// Primary-Org token (CONTRACT.md §3, §11.4), so one call per request reads every Org and serves every Org lookup,
// by id or by name, for the rest of the request.

import DataLoader from 'dataloader';
import type { OrgRecord, OrgSearch} from '../thoughtspot/index.js';
import { canonicalKey, toError } from './align.js';
import { observed, type BatchObserver } from './observe.js';
import type { DirectoryReads } from './tenancy.js';

/** The Primary Org's id: where cluster-wide calls run. */
export const PRIMARY_ORG_ID = 0;

/** Every Org of the cluster, indexed. */
export interface OrgIndex {
  /** All Orgs, by id ascending. */
  readonly list: readonly OrgRecord[];
  readonly byId: ReadonlyMap<number, OrgRecord>;
  readonly byName: ReadonlyMap<string, OrgRecord>;
}

/** Org loaders of one request. */
export interface OrgLoaders {
  /** The request's Org index (one `orgs/search`, shared by every caller). */
  orgIndex(): Promise<OrgIndex>;
  /**
   * Whether Org `orgId` exists: the one place that decides it, from the Org index. Callers ask only when they must
   * (an argument names the Org) or after a call in that Org failed, so a read that succeeds costs nothing extra.
   */
  orgExists(orgId: number): Promise<boolean>;
  /** A filtered `orgs/search` (for filters the index cannot answer, such as Org membership of users). */
  readonly orgSearch: DataLoader<OrgSearch, OrgRecord[], string>;
  /** Forgets the Org index, so the next lookup reads it again (after a write changed the Orgs). */
  resetOrgIndex(): void;
}

/** @internal Creates the Org loaders for one request. */
export function createOrgLoaders(client: DirectoryReads, observe?: BatchObserver): OrgLoaders {
  let index: Promise<OrgIndex> | undefined;
  const orgIndex = (): Promise<OrgIndex> => {
    index ??= client.searchOrgs({ orgId: PRIMARY_ORG_ID }, {}).then(indexOrgs);
    return index;
  };
  return {
    orgIndex,
    resetOrgIndex: () => {
      index = undefined;
    },
    orgExists: async (orgId) => (await orgIndex()).byId.has(orgId),
    // Distinct filters cannot share a call (every field narrows the answer), so each key is its own call; the
    // loader still deduplicates identical filters within the request.
    orgSearch: new DataLoader<OrgSearch, OrgRecord[], string>(
      observed('orgSearch', observe, (queries) =>
        Promise.all(
          queries.map((query) => client.searchOrgs({ orgId: PRIMARY_ORG_ID }, query).catch((error: unknown) => toError(error))),
        ),
      ),
      { cacheKeyFn: canonicalKey },
    ),
  };
}

function indexOrgs(orgs: readonly OrgRecord[]): OrgIndex {
  const list = [...orgs].sort((a, b) => a.id - b.id);
  return {
    list,
    byId: new Map(list.map((org) => [org.id, org])),
    byName: new Map(list.map((org) => [org.name, org])),
  };
}

/** @internal Whether a record that lists its Orgs belongs to `orgId` (records that list none are taken as-is). */
export function belongsTo(orgs: readonly { readonly id: number }[], orgId: number): boolean {
  return orgs.length === 0 || orgs.some((org) => org.id === orgId);
}
