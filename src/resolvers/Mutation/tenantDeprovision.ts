// Internal to src/resolvers: `tenantDeprovision` (tenant churn, src/provisioning/churn.ts). Needs `directory:admin`;
// the Organization must be the caller's; audited; idempotent with a key. Nothing is written unless the plan is
// within `maxUsers`, and never with `dryRun`.
//
// Why the members are read through the adapter rather than the loaders: the loaders cut every user's Organizations
// to the caller's grant (loaders/tenancy.ts), and the churn must know whether a user belongs to any other
// Organization at all, seen or not, before it deletes or deactivates anyone cluster-wide. Nothing of those other
// Organizations leaves this mutation: a result only says that a deletion became a removal.

import type { MutationResolvers } from '../../__generated__/resolvers-types.js';
import { PRIMARY_ORG_ID } from '../../loaders/index.js';
import { applyChurn, planChurn, type ChurnEntry } from '../../provisioning/churn.js';
import type { ThoughtSpotClient, UserRecord } from '../../thoughtspot/index.js';
import { Problems } from '../shared/lifecycle.js';
import { mutate, writableOrg } from '../shared/mutations.js';

/** Users per page of the member read (the subgraph's scan page size, config.ts THOUGHTSPOT_USER_SCAN_PAGE_SIZE). */
const MEMBER_PAGE_SIZE = 1_000;

/** Deactivates, deletes or removes a tenant's users. */
export const tenantDeprovision: NonNullable<MutationResolvers['tenantDeprovision']> = (_root, { input }, ctx) =>
  mutate(
    ctx,
    {
      operation: 'tenantDeprovision',
      scope: 'directory:admin',
      target: { type: 'Organization', id: input.organizationId },
      organizationId: input.organizationId,
      input,
      idempotencyKey: input.idempotencyKey,
    },
    async () => {
      const problems = new Problems();
      if (!Number.isInteger(input.maxUsers) || input.maxUsers < 0) problems.add(['input', 'maxUsers'], 'maxUsers is 0 or more.');
      const baseUrl = input.activationBaseUrl ?? null;
      if (input.mode === 'DEACTIVATE' && (baseUrl === null || !isHttpUrl(baseUrl))) {
        problems.add(['input', 'activationBaseUrl'], 'Deactivating users needs the http(s) address their activation links start with.');
      }
      const { org, error } = await writableOrg(ctx, input.organizationId, ['input', 'organizationId']);
      if (error !== null) problems.list.push(error);
      else if (org.id === PRIMARY_ORG_ID) {
        problems.add(['input', 'organizationId'], 'The Primary Organization holds every user of the cluster and is not a tenant.', 'NOT_ALLOWED');
      }
      if (problems.any || org === null) return problems.refusal();

      const [serviceAccount, members] = await Promise.all([ctx.client.getCurrentUser({ orgId: PRIMARY_ORG_ID }), membersOf(ctx.client, org.id)]);
      const plan = planChurn({
        orgId: org.id,
        mode: input.mode,
        members,
        serviceAccountId: serviceAccount.id,
        usernames: input.usernames ?? null,
      });
      for (const i of plan.missing) {
        problems.add(['input', 'usernames', String(i)], 'No member of the Organization has this username.', 'NOT_FOUND');
      }
      if (plan.entries.length > input.maxUsers) {
        problems.add(
          ['input', 'maxUsers'],
          `The churn would act on ${plan.entries.length} users, more than maxUsers (${input.maxUsers}); nothing was done.`,
          'LIMIT_EXCEEDED',
        );
      }
      if (problems.any) return problems.refusal();
      if (input.dryRun === true) {
        return { results: plan.entries.map((entry) => result(entry, 'PLANNED', null)), sparedUsernames: [...plan.spared], userErrors: [] };
      }
      const outcome = await applyChurn(plan, { client: ctx.client, orgId: org.id, activationBaseUrl: baseUrl });
      const applied = outcome.results.filter((r) => r.status === 'APPLIED').length;
      return {
        results: outcome.results.map((r) => result(r.entry, r.status, r.reason)),
        sparedUsernames: [...plan.spared],
        userErrors: outcome.failed
          ? [
              {
                field: null,
                message: `The churn stopped at a failed change: ${applied} of ${outcome.results.length} users were done. Run it again to finish.`,
                code: 'INCOMPLETE' as const,
              },
            ]
          : [],
      };
    },
  );

// Private: every member of the Org, with every Organization each belongs to (see the header).
async function membersOf(client: Pick<ThoughtSpotClient, 'iterateUsers'>, orgId: number): Promise<UserRecord[]> {
  const members: UserRecord[] = [];
  for await (const user of client.iterateUsers({ orgId }, { sort: { field: 'NAME', order: 'ASC' } }, MEMBER_PAGE_SIZE)) members.push(user);
  return members;
}

function result(entry: ChurnEntry, status: 'PLANNED' | 'APPLIED' | 'FAILED' | 'SKIPPED', reason: string | null) {
  return { username: entry.username, action: entry.action, status, description: entry.description, reason };
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
