// Internal to src/resolvers: `tenantPlan`. Needs `directory:write`; audited; idempotent with a key. It reads the
// tenant and answers the changes `tenantApply` would make; it changes nothing in ThoughtSpot (its only upstream call
// that is not a search is a `users/import` dry run, which writes nothing) and records no run.

import type { MutationResolvers } from '../../__generated__/resolvers-types.js';
import { failed, mutate } from '../shared/mutations.js';
import { prepareTenantPlan, tenantAction } from '../shared/tenant.js';

/** Plans a tenant blueprint (src/provisioning/plan.ts). */
export const tenantPlan: NonNullable<MutationResolvers['tenantPlan']> = (_root, { input }, ctx) =>
  mutate(ctx, tenantAction(ctx, 'tenantPlan', input), async () => {
    const prepared = await prepareTenantPlan(ctx, input);
    if ('problems' in prepared) return failed(prepared.problems);
    return { changes: [...prepared.plan.changes], organization: prepared.organization, userErrors: [] };
  });
