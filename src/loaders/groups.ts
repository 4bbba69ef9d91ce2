// Internal to src/loaders: group reads.
//
// ThoughtSpot has no batch-get for groups: `groups/search` takes one `group_identifier` at a time (CONTRACT.md
// §11.3). What it does well is list an Org's groups cheaply when asked not to fill member lists
// (`include_users: false`). So every lookup by id or name, and every hierarchy question (sub-groups, parent
// groups, the sub-group closure behind `membership: ALL`), is answered from a per-request, per-Org *group index*:
// one `groups/search` per Org with `record_size: -1`. Groups per Org number in the hundreds, not the millions that
// users can, which is what makes the whole-Org read the cheap option here.
//
// Paged group lists (`Organization.groups`, `Query.groups`) are not served from the index: their filters
// (privileges, users, roles) are evaluated by ThoughtSpot, so they page upstream with `groupSearch`. A first page
// without filters reads at least GROUP_PAGE_MIN_ROWS, and when that comes back short it is the Org's whole group list,
// which the loaders remember (`knownGroups`): whoever needs only what group rows carry, such as which roles each group
// is assigned, reads no more (held-roles.ts).

import DataLoader from 'dataloader';
import type { GroupSearch, PageRequest, SortOptions} from '../thoughtspot/index.js';
import { canonicalKey, toError } from './align.js';
import { subGroupClosure } from './membership.js';
import { observed, type BatchObserver } from './observe.js';
import { type GroupNode, toGroupNode } from './models.js';
import { belongsTo } from './orgs.js';
import type { DirectoryReads } from './tenancy.js';

/** Every group of one Org, indexed, with the sub-group hierarchy. */
export interface GroupIndex {
  readonly orgId: number;
  /** Every group of the Org, by name. */
  readonly list: readonly GroupNode[];
  readonly byId: ReadonlyMap<string, GroupNode>;
  readonly byName: ReadonlyMap<string, GroupNode>;
  /** Ids of the direct sub-groups of a group. */
  childrenOf(groupId: string): readonly string[];
  /** Ids of the groups that have this group as a direct sub-group. */
  parentsOf(groupId: string): readonly string[];
  /** The group and every group below it in the hierarchy, at any depth (membership.ts `subGroupClosure`). */
  closureOf(groupId: string): ReadonlySet<string>;
}

/** One paged `groups/search` in one Org. */
export interface GroupSearchKey {
  readonly orgId: number;
  readonly query: Omit<GroupSearch, 'sort' | 'includeUsers' | 'includeSubGroups' | 'orgIdentifiers'>;
  readonly sort: SortOptions;
  readonly page: PageRequest;
}

/** Group loaders of one request. */
export interface GroupLoaders {
  /** Org id → that Org's group index. One upstream call per Org per request. */
  readonly groupIndex: DataLoader<number, GroupIndex>;
  /** One upstream call per distinct key (each Org needs its own token; each filter its own answer). */
  readonly groupSearch: DataLoader<GroupSearchKey, GroupNode[], string>;
  /**
   * Every group of the Org, when a read of this request has shown the whole list (its group index, or a first page
   * without filters that came back short); undefined otherwise. Never a call of its own.
   */
  knownGroups(orgId: number): readonly GroupNode[] | undefined;
  /** Forgets the lists `knownGroups` remembers (the loaders' `clearAll`). */
  forgetKnownGroups(): void;
}

/** @internal Creates the group loaders for one request. */
export function createGroupLoaders(client: DirectoryReads, observe?: BatchObserver): GroupLoaders {
  const known = new Map<number, readonly GroupNode[]>();
  const remember = (orgId: number, list: readonly GroupNode[]): void => {
    known.set(orgId, list);
  };
  return {
    groupIndex: new DataLoader<number, GroupIndex>(
      observed('groupIndex', observe, (orgIds) => Promise.all(orgIds.map((orgId) => loadGroupIndex(client, orgId, remember).catch(toError)))),
    ),
    groupSearch: new DataLoader<GroupSearchKey, GroupNode[], string>(
      observed('groupSearch', observe, (keys) => Promise.all(keys.map((key) => searchGroupPage(client, key, remember).catch(toError)))),
      { cacheKeyFn: canonicalKey },
    ),
    knownGroups: (orgId) => known.get(orgId),
    forgetKnownGroups: () => known.clear(),
  };
}

/**
 * Rows an unfiltered first page of an Org's groups reads at least. Groups per Org number in the tens to hundreds and a
 * row without members is about half a kilobyte, so reading up to this many costs little, and an Org with fewer
 * groups comes back whole: its rows then answer what every group of the Org is assigned (held roles) without the
 * role index (held-roles.ts). The caller still gets only the rows it asked for.
 */
export const GROUP_PAGE_MIN_ROWS = 50;

// Private: whether a key asks for an unfiltered first page, which may be read whole.
function isFirstUnfilteredPage(key: GroupSearchKey): boolean {
  const unfiltered = Object.values(key.query).every((value) => value == null || (Array.isArray(value) && value.length === 0));
  return unfiltered && key.page.offset === 0;
}

// Private: `org_identifiers` pins the answer to the token's Org. From the Primary Org, ThoughtSpot has been seen
// returning every Org's groups (CONTRACT.md §3, §16 Q17); filtering upstream keeps offsets right either way, and the
// `orgs` check below drops anything that slips through. An unfiltered first page reads at least GROUP_PAGE_MIN_ROWS;
// when fewer come back (ThoughtSpot's answer has no "more" flag; a short page is how every client tells the end,
// CONTRACT.md §5), or the key asked for every row (`size` -1), the answer is the Org's whole group list.
async function searchGroupPage(
  client: DirectoryReads,
  key: GroupSearchKey,
  remember: (orgId: number, list: readonly GroupNode[]) => void,
): Promise<GroupNode[]> {
  if (key.page.size === 0) return [];
  const first = isFirstUnfilteredPage(key);
  const page = first && key.page.size > 0 ? { offset: 0, size: Math.max(key.page.size, GROUP_PAGE_MIN_ROWS) } : key.page;
  const rows = await client.searchGroups(
    { orgId: key.orgId },
    { ...key.query, sort: key.sort, orgIdentifiers: [String(key.orgId)], includeUsers: false, includeSubGroups: false },
    page,
  );
  const nodes = rows.filter((row) => belongsTo(row.orgs, key.orgId)).map((row) => toGroupNode(row, key.orgId));
  if (first && (page.size < 0 || rows.length < page.size)) remember(key.orgId, nodes);
  return key.page.size > 0 ? nodes.slice(0, key.page.size) : nodes;
}

async function loadGroupIndex(
  client: DirectoryReads,
  orgId: number,
  remember: (orgId: number, list: readonly GroupNode[]) => void,
): Promise<GroupIndex> {
  const rows = await client.searchGroups(
    { orgId },
    {
      orgIdentifiers: [String(orgId)],
      includeUsers: false,
      includeSubGroups: true,
      sort: { field: 'NAME', order: 'ASC' },
    },
    { offset: 0, size: -1 },
  );
  const list: GroupNode[] = [];
  const children = new Map<string, string[]>();
  const parents = new Map<string, string[]>();
  for (const row of rows) {
    if (!belongsTo(row.orgs, orgId)) continue;
    list.push(toGroupNode(row, orgId));
    children.set(row.id, row.subGroups.map((sub) => sub.id));
  }
  remember(orgId, list);
  const byId = new Map(list.map((group) => [group.id, group]));
  for (const [parentId, childIds] of children) {
    for (const childId of childIds) {
      if (!byId.has(childId)) continue;
      const list_ = parents.get(childId) ?? [];
      list_.push(parentId);
      parents.set(childId, list_);
    }
  }
  const childrenOf = (groupId: string): readonly string[] => (children.get(groupId) ?? []).filter((id) => byId.has(id));
  const closures = new Map<string, ReadonlySet<string>>();
  const closureOf = (groupId: string): ReadonlySet<string> => {
    let closure = closures.get(groupId);
    if (closure === undefined) {
      closure = subGroupClosure(groupId, childrenOf);
      closures.set(groupId, closure);
    }
    return closure;
  };
  return {
    orgId,
    list,
    byId,
    byName: new Map(list.map((group) => [group.name, group])),
    childrenOf,
    parentsOf: (groupId) => parents.get(groupId) ?? [],
    closureOf,
  };
}
