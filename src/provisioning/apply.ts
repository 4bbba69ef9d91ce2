// Public to src/resolvers: the tenant plan's executor. It makes a plan's calls (plan.ts) phase by phase, the calls of
// one phase side by side (they are independent), and reports every change: APPLIED when its call succeeded, FAILED
// with the reason when its call failed, SKIPPED when an earlier failure stopped the run before its call was made.
//
// The first failure stops the run: no call is started after it (calls already under way finish and are reported as
// they end). Every call is all-or-nothing (ThoughtSpot validates a request before it writes) and the adapter never
// retries a write, so the report says exactly what was applied, and running the same blueprint again plans only what
// is left. One exception is reported as such: a call whose answer never came (a timeout, a dropped connection) may or
// may not have been made; the next plan knows which.

import { randomBytes } from 'node:crypto';
import type { OrgRecord, OrgScope, ThoughtSpotClient } from '../thoughtspot/index.js';
import { isThoughtSpotError } from '../thoughtspot/index.js';
import type { Call, Change, Plan } from './plan.js';
import { latestOnly, runSteps } from './steps.js';

/** What became of one change (schema: `TenantChangeStatus`; PENDING only while the run goes on). */
export type ChangeStatus = 'PENDING' | 'APPLIED' | 'FAILED' | 'SKIPPED';

/** One change and what became of it. */
export interface ChangeResult {
  readonly change: Change;
  readonly status: ChangeStatus;
  /** Why it failed or was skipped; null otherwise. */
  readonly reason: string | null;
}

/** The adapter calls the executor makes. */
export type ApplyClient = Pick<
  ThoughtSpotClient,
  'createOrg' | 'updateOrg' | 'createRole' | 'updateRole' | 'createGroup' | 'updateGroup' | 'importUsers'
>;

/** Options of `applyPlan`. */
export interface ApplyOptions {
  readonly client: ApplyClient;
  /** The tenant's Organization, or null when the plan creates it. */
  readonly organization: OrgRecord | null;
  /**
   * The password new users get (`users/import` needs one for new local accounts, CONTRACT.md §11.2). Null: a random
   * one nobody knows, so new local accounts sign in only once an administrator sets a password, or through SSO or
   * trusted authentication.
   */
  readonly initialPassword: string | null;
  /** Calls of one phase under way at once. Default 8 (the adapter's rate limiter paces them further). */
  readonly concurrency?: number;
  /**
   * Told every change's result so far as calls settle, without holding up the calls: one report at a time, at most
   * one every PROGRESS_INTERVAL_MS, and results that pile up meanwhile go into the next. The outcome, not a report, is
   * the final state: a report still waiting when the run ends is dropped, and one under way has ended when
   * `applyPlan` resolves.
   */
  readonly onProgress?: (results: readonly ChangeResult[], organization: OrgRecord | null) => Promise<void>;
}

/** What a run did. */
export interface ApplyOutcome {
  readonly status: 'SUCCEEDED' | 'FAILED';
  /** One result per change, in the plan's order. */
  readonly results: readonly ChangeResult[];
  /** The Organization (as created, when the run created it); null when it does not exist. */
  readonly organization: OrgRecord | null;
}

const DEFAULT_CONCURRENCY = 8;
/**
 * Least time between two progress reports. A report of a large plan is a large record (a thousand changes), and a
 * run against a live cluster takes seconds: four reports a second keep the run log current without spending the
 * subgraph's time on records nobody reads before the next one.
 */
const PROGRESS_INTERVAL_MS = 250;
const PRIMARY: OrgScope = { orgId: 0 };

/** Makes `plan`'s changes (see the header). Never throws for a failed call: the outcome reports it. */
export async function applyPlan(plan: Plan, options: ApplyOptions): Promise<ApplyOutcome> {
  const results = new Map<number, ChangeResult>(plan.changes.map((change) => [change.index, { change, status: 'PENDING', reason: null }]));
  const byIndex = new Map(plan.changes.map((change) => [change.index, change]));
  let organization = options.organization;
  const password = options.initialPassword ?? unknownPassword();
  const reports = latestOnly(async ({ snapshot, org }: { snapshot: ChangeResult[]; org: OrgRecord | null }) => {
    await options.onProgress?.(snapshot, org);
  }, PROGRESS_INTERVAL_MS);
  const steps = plan.steps.map((step) => ({
    ...step,
    run: async () => {
      const created = await perform(options.client, step.call, organization, password);
      if (created !== null) organization = created;
    },
  }));
  const failed = await runSteps(steps, {
    concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
    onSettled(step, error) {
      for (const index of step.changes) {
        const change = byIndex.get(index) as Change;
        results.set(index, error === null ? { change, status: 'APPLIED', reason: null } : { change, status: 'FAILED', reason: reasonOf(error) });
      }
      reports.push({ snapshot: plan.changes.map((change) => results.get(change.index) as ChangeResult), org: organization });
    },
  });
  const first = failed === null ? null : (byIndex.get(failed.changes[0] as number) as Change);
  if (first !== null) {
    const why = `Not attempted: change ${first.index} (${first.action} ${first.target.name}) failed first; apply the blueprint again to finish.`;
    for (const [index, result] of results) {
      if (result.status === 'PENDING') results.set(index, { ...result, status: 'SKIPPED', reason: why });
    }
  }
  await reports.settle();
  return {
    status: first === null ? 'SUCCEEDED' : 'FAILED',
    results: plan.changes.map((change) => results.get(change.index) as ChangeResult),
    organization,
  };
}

// Private: one call; returns the Organization when the call created it.
async function perform(client: ApplyClient, call: Call, organization: OrgRecord | null, password: string): Promise<OrgRecord | null> {
  if (call.kind === 'createOrganization') {
    return client.createOrg(PRIMARY, { name: call.name, ...(call.description === null ? {} : { description: call.description }) });
  }
  if (organization === null) throw new Error('The Organization does not exist, so nothing can be made in it.');
  const scope: OrgScope = { orgId: organization.id };
  switch (call.kind) {
    case 'updateOrganization':
      await client.updateOrg(PRIMARY, String(organization.id), { description: call.description });
      return null;
    case 'createRole':
      await client.createRole(scope, {
        name: call.name,
        ...(call.description === null ? {} : { description: call.description }),
        privileges: call.privileges,
      });
      return null;
    case 'updateRole':
      await client.updateRole(scope, call.id, {
        name: call.name,
        ...(call.description === null ? {} : { description: call.description }),
        privileges: call.privileges,
      });
      return null;
    case 'createGroup':
      // Sub-groups and roles are named: names are unique in an Org (CONTRACT.md §4), and the ones created by this
      // run have no GUID the plan could know.
      await client.createGroup(scope, {
        name: call.name,
        displayName: call.displayName,
        ...(call.description === null ? {} : { description: call.description }),
        ...(call.subGroups.length === 0 ? {} : { subGroupIdentifiers: call.subGroups }),
        ...(call.roles.length === 0 ? {} : { roleIdentifiers: call.roles }),
      });
      return null;
    case 'updateGroup':
      await client.updateGroup(scope, call.id, {
        ...(call.displayName === null ? {} : { displayName: call.displayName }),
        ...(call.description === null ? {} : { description: call.description }),
      });
      return null;
    case 'editGroupLists':
      await client.updateGroup(scope, call.id, {
        ...(call.subGroups === undefined ? {} : { subGroupIdentifiers: call.subGroups }),
        ...(call.roles === undefined ? {} : { roleIdentifiers: call.roles }),
        operation: call.operation,
      });
      return null;
    case 'addUsersToOrganization':
      // From the Primary Org, where cluster administrators manage Org membership (CONTRACT.md §3, §16 Q18).
      await client.updateOrg(PRIMARY, String(organization.id), { userIdentifiers: call.userIds, operation: 'ADD' });
      return null;
    case 'importUsers':
      await client.importUsers(scope, {
        users: call.rows.map((row) => ({
          identifier: row.identifier,
          displayName: row.displayName,
          ...(row.email === undefined ? {} : { email: row.email }),
          ...(row.accountType === undefined ? {} : { accountType: row.accountType }),
          ...(row.groups === undefined ? {} : { groupIdentifiers: row.groups }),
        })),
        // ThoughtSpot gives the default password to new users only; existing users keep theirs.
        ...(call.rows.some((row) => row.isNew) ? { defaultPassword: password } : {}),
        dryRun: false,
      });
      return null;
  }
}

/**
 * A password nobody knows, for accounts that must have one (`users/import` gives new local users the default
 * password, and refuses new local users without one even in a dry run). ThoughtSpot's password policy is not
 * documented (CONTRACT.md §16 Q16), so it carries every class of character a policy may ask for.
 */
export function unknownPassword(): string {
  return `${randomBytes(18).toString('base64url')}-Aa1!`;
}

/** Why a call failed, in words safe to show an administrator (ThoughtSpot's own reason where it gave one). */
export function reasonOf(error: unknown): string {
  if (!isThoughtSpotError(error)) return 'An internal error stopped it before ThoughtSpot answered.';
  switch (error.code) {
    case 'TS_ERR_BAD_REQUEST':
    case 'TS_ERR_CONFLICT':
    case 'TS_ERR_NOT_FOUND':
      return `ThoughtSpot refused it: ${error.vendorMessage ?? 'the request was not valid'}`;
    case 'TS_ERR_FORBIDDEN':
      return 'ThoughtSpot refused it: the service account lacks a privilege it needs.';
    case 'TS_ERR_TIMEOUT':
    case 'TS_ERR_NETWORK':
      return `ThoughtSpot did not answer (${error.code}): it may or may not have been made; plan the blueprint again to see.`;
    case 'TS_ERR_ABORTED':
      return 'Stopped before ThoughtSpot answered (the request ran out of time or of upstream calls): if it had been sent, it may have been made; plan the blueprint again to see.';
    default:
      return `ThoughtSpot did not make it (${error.code}${error.status === undefined ? '' : `, HTTP ${error.status}`}).`;
  }
}
