// Public to src/resolvers: tenant churn. Plans and makes the departure of a tenant's users: deactivated, deleted, or
// removed from the tenant's Organization (and with it from the Organization's groups, which only its members can be
// in: CONTRACT.md §3).
//
// Deleting and deactivating act on the whole cluster (CONTRACT.md §11.2), so they are only ever done to a user whose
// one and only Organization is the tenant's; a user who also belongs to any other Organization (the Primary Org
// included, and whether or not the caller may see it) is only removed from the tenant's. A user whose Organizations
// ThoughtSpot does not list is treated the same way. The well-known principals (tsadmin, su, system, guest), system
// and hidden users, super users and the service account the subgraph signs in as are never touched at all.
//
// Calls: removals share one `orgs/{id}/update` (REMOVE) per IMPORT_CHUNK_ROWS users; ThoughtSpot has no bulk delete
// or deactivation that cannot reach beyond one Organization (`users/import` with `delete_unspecified_users` is
// documented for neither scope, CONTRACT.md §16 Q11), so those are one call per user.

import type { OrgScope, ThoughtSpotClient, UserRecord } from '../thoughtspot/index.js';
import { reasonOf } from './apply.js';
import { PROTECTED_USERNAMES } from './blueprint.js';
import { IMPORT_CHUNK_ROWS } from './plan.js';
import { runSteps } from './steps.js';

/** What the caller asks for (schema: `TenantDeprovisionMode`). */
export type ChurnMode = 'DEACTIVATE' | 'DELETE' | 'REMOVE';

/** What is done to one user (schema: `TenantUserAction`). */
export type ChurnAction = 'DEACTIVATE' | 'DELETE' | 'REMOVE_FROM_ORGANIZATION';

/** One user the churn acts on. */
export interface ChurnEntry {
  readonly userId: string;
  readonly username: string;
  readonly action: ChurnAction;
  /** Why this action, in words (the downgrade to a removal says so). */
  readonly description: string;
}

/** A churn plan. */
export interface ChurnPlan {
  /** The users acted on, by username. */
  readonly entries: readonly ChurnEntry[];
  /** Members of the Organization the churn leaves alone (system principals, the service account), by username. */
  readonly spared: readonly string[];
  /** Positions of requested usernames that are not members of the Organization. */
  readonly missing: readonly number[];
}

/** Input of `planChurn`. */
export interface ChurnInput {
  readonly orgId: number;
  readonly mode: ChurnMode;
  /** Every member of the Organization, as `users/search` in it answers (with every Organization each belongs to). */
  readonly members: readonly UserRecord[];
  /** The service account's GUID. */
  readonly serviceAccountId: string;
  /** Only these members (usernames, without case); null: every member. */
  readonly usernames: readonly string[] | null;
}

/** Plans a churn (see the header). Pure. */
export function planChurn(input: ChurnInput): ChurnPlan {
  const byName = new Map(input.members.map((user) => [user.name.toLowerCase(), user]));
  const missing: number[] = [];
  let selected: UserRecord[];
  if (input.usernames === null) {
    selected = [...input.members];
  } else {
    const picked = new Map<string, UserRecord>();
    input.usernames.forEach((name, i) => {
      const user = byName.get(name.toLowerCase());
      if (user === undefined) missing.push(i);
      else picked.set(user.id, user);
    });
    selected = [...picked.values()];
  }
  selected.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const entries: ChurnEntry[] = [];
  const spared: string[] = [];
  for (const user of selected) {
    if (isUntouchable(user, input.serviceAccountId)) {
      spared.push(user.name);
      continue;
    }
    const onlyHere = user.orgs.length === 1 && user.orgs[0]?.id === input.orgId;
    if (input.mode === 'REMOVE' || !onlyHere) {
      entries.push({
        userId: user.id,
        username: user.name,
        action: 'REMOVE_FROM_ORGANIZATION',
        description:
          input.mode === 'REMOVE'
            ? `Remove ${user.name} from the Organization and its groups.`
            : `Remove ${user.name} from the Organization and its groups only: the user belongs to another Organization too, so it is not ${input.mode === 'DELETE' ? 'deleted' : 'deactivated'}.`,
      });
    } else {
      entries.push({
        userId: user.id,
        username: user.name,
        action: input.mode,
        description: input.mode === 'DELETE' ? `Delete ${user.name}.` : `Deactivate ${user.name}.`,
      });
    }
  }
  return { entries, spared, missing };
}

/** Whether a member is never touched by a churn. */
function isUntouchable(user: UserRecord, serviceAccountId: string): boolean {
  return (
    PROTECTED_USERNAMES.has(user.name.toLowerCase()) || user.systemUser || user.superUser || user.hidden || user.id === serviceAccountId
  );
}

/** What became of one user (schema: `TenantUserStatus`). */
export type ChurnStatus = 'PLANNED' | 'APPLIED' | 'FAILED' | 'SKIPPED';

/** One user's result. */
export interface ChurnResult {
  readonly entry: ChurnEntry;
  readonly status: ChurnStatus;
  readonly reason: string | null;
}

/** Options of `applyChurn`. */
export interface ChurnOptions {
  readonly client: Pick<ThoughtSpotClient, 'updateOrg' | 'deleteUser' | 'deactivateUser'>;
  readonly orgId: number;
  /** `base_url` of the activation links `users/deactivate` returns (they are discarded). Needed to deactivate. */
  readonly activationBaseUrl: string | null;
  /** Calls under way at once. Default 8. */
  readonly concurrency?: number;
}

/** Makes a churn plan's calls (removals first, then one call per deleted or deactivated user); stops at the first failure. */
export async function applyChurn(plan: ChurnPlan, options: ChurnOptions): Promise<{ readonly failed: boolean; readonly results: readonly ChurnResult[] }> {
  const results = new Map<string, ChurnResult>(plan.entries.map((entry) => [entry.userId, { entry, status: 'SKIPPED', reason: null }]));
  const scope: OrgScope = { orgId: options.orgId };
  const removals = plan.entries.filter((entry) => entry.action === 'REMOVE_FROM_ORGANIZATION');
  const steps: { readonly phase: number; readonly entries: readonly ChurnEntry[]; readonly run: () => Promise<void> }[] = [];
  for (let i = 0; i < removals.length; i += IMPORT_CHUNK_ROWS) {
    const chunk = removals.slice(i, i + IMPORT_CHUNK_ROWS);
    steps.push({
      phase: 0,
      entries: chunk,
      // From the Primary Org, where cluster administrators manage Org membership (CONTRACT.md §3, §16 Q18).
      run: () => options.client.updateOrg({ orgId: 0 }, String(options.orgId), { userIdentifiers: chunk.map((entry) => entry.userId), operation: 'REMOVE' }),
    });
  }
  for (const entry of plan.entries) {
    if (entry.action === 'DELETE') steps.push({ phase: 1, entries: [entry], run: () => options.client.deleteUser(scope, entry.userId) });
    if (entry.action === 'DEACTIVATE') {
      const baseUrl = options.activationBaseUrl;
      if (baseUrl === null) throw new Error('Deactivating users needs an activation base URL.');
      steps.push({
        phase: 1,
        entries: [entry],
        // The activation link carries a one-off token: it is dropped here, never returned or stored.
        run: async () => {
          await options.client.deactivateUser(scope, entry.userId, baseUrl);
        },
      });
    }
  }
  const failed = await runSteps(steps, {
    concurrency: options.concurrency ?? 8,
    onSettled(step, error) {
      for (const entry of step.entries) {
        results.set(entry.userId, { entry, status: error === null ? 'APPLIED' : 'FAILED', reason: error === null ? null : reasonOf(error) });
      }
    },
  });
  const first = failed?.entries[0];
  const skipped = first === undefined ? null : `Not attempted: the change for ${first.username} failed first.`;
  return {
    failed: first !== undefined,
    results: plan.entries.map((entry) => {
      const result = results.get(entry.userId) as ChurnResult;
      return result.status === 'SKIPPED' ? { ...result, reason: skipped } : result;
    }),
  };
}
