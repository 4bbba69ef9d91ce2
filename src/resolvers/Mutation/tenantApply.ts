// Internal to src/resolvers: `tenantApply`. Needs `directory:write`; audited; idempotent with a key. It plans the
// blueprint as `tenantPlan` does, then makes the changes (src/provisioning/apply.ts) and records the run in the
// store's provisioning-run log: created as the first call leaves, updated as calls settle, finished with the outcome.
// A run that cannot be created fails the mutation (top-level error, as an audit event that cannot be written does);
// later updates are best-effort: a store that fails then is logged, and the caller still gets the report.

import type { MutationResolvers } from '../../__generated__/resolvers-types.js';
import { applyPlan, type ChangeResult } from '../../provisioning/apply.js';
import type { RunPatch } from '../../store/index.js';
import type { UserErrorModel } from '../shared/audit.js';
import { failed, inputFingerprint, mutate } from '../shared/mutations.js';
import { prepareTenantPlan, tenantAction } from '../shared/tenant.js';

/** Applies a tenant blueprint. */
export const tenantApply: NonNullable<MutationResolvers['tenantApply']> = (_root, { input }, ctx) =>
  mutate(ctx, tenantAction(ctx, 'tenantApply', input), async () => {
    const prepared = await prepareTenantPlan(ctx, input);
    if ('problems' in prepared) return failed(prepared.problems);
    const { plan, organization } = prepared;
    const runs = ctx.services.store.runs;
    const pending: ChangeResult[] = plan.changes.map((change) => ({ change, status: 'PENDING', reason: null }));
    // The run is created as the first call leaves rather than before it: the plan of a large tenant is a large record,
    // and its write need not hold up the calls. Updates wait for it.
    const created = runs.create({
      actor: ctx.caller.subject,
      connectionId: ctx.connectionId,
      organization: { id: organization?.id ?? null, name: input.organization.name },
      blueprintFingerprint: inputFingerprint(input),
      changes: pending.map(runEntry),
    });
    // Observed here so it is never unhandled while the calls run; a failed creation is thrown after them (below).
    created.catch(() => undefined);
    const record = async (patch: RunPatch): Promise<void> => {
      const run = await created.catch(() => null);
      if (run === null) return;
      try {
        await runs.update(run.id, patch);
      } catch (error) {
        ctx.logger.warn('provisioning run could not be updated', { runId: run.id, message: error instanceof Error ? error.message : String(error) });
      }
    };
    const outcome = await applyPlan(plan, {
      client: ctx.client,
      organization,
      initialPassword: input.initialPassword ?? null,
      onProgress: (results, org) => record({ changes: results.map(runEntry), ...(org === null ? {} : { organizationId: org.id }) }),
    });
    // A run that could not be recorded fails the mutation, as an audit event that cannot be written does (audit.ts).
    const run = await created;
    await record({
      status: outcome.status,
      changes: outcome.results.map(runEntry),
      ...(outcome.organization === null ? {} : { organizationId: outcome.organization.id }),
    });
    const results = outcome.results.map((result) => ({ change: result.change, status: settled(result), reason: result.reason }));
    return {
      runId: run.id,
      status: outcome.status,
      results,
      organization: outcome.organization,
      userErrors: outcome.status === 'FAILED' ? [incomplete(outcome.results)] : [],
    };
  });

// Private: a result as the run log keeps it (the change and what became of it, flat).
function runEntry(result: ChangeResult): Record<string, unknown> {
  const { change } = result;
  return { index: change.index, action: change.action, target: change.target, description: change.description, status: result.status, reason: result.reason };
}

// Private: a finished run has no PENDING change left (apply.ts marks every one it did not reach SKIPPED).
function settled(result: ChangeResult): 'APPLIED' | 'FAILED' | 'SKIPPED' {
  return result.status === 'PENDING' ? 'SKIPPED' : result.status;
}

// Private: the user error of a run that stopped at a failed change.
function incomplete(results: readonly ChangeResult[]): UserErrorModel {
  const count = (status: ChangeResult['status']): number => results.filter((result) => result.status === status).length;
  return {
    field: null,
    message: `The run stopped at a failed change: ${count('APPLIED')} of ${results.length} changes were applied, ${count('FAILED')} failed and ${count('SKIPPED')} were skipped. Apply the blueprint again to finish.`,
    code: 'INCOMPLETE',
  };
}
