// A run that fails part-way reports exactly what it did, and a second run finishes the job. For each 20-change
// blueprint (a new tenant; an existing one, with every kind of change), a reference run on a fresh tenant lists its
// upstream writes in order; then, for every k, a fresh tenant gets the same blueprint with a fault (HTTP 500, once)
// injected at the k-th write. The report is checked change by change against the emulator's own state (APPLIED
// exactly when the change's effect is there), the stored run against the report, the next plan against what was not
// applied, and a second apply must succeed and leave nothing to plan.

import { describe, expect, it } from 'vitest';
import { fault, type CallRecord } from '../../../src/emulator/index.js';
import { useTestStack } from '../../support/harness.js';
import {
  APPLY,
  PLAN,
  effectPresent,
  freshBlueprint,
  isWrite,
  run,
  seedExistingTenant,
  writesOf,
  type ApplyData,
  type BlueprintInput,
  type PlanData,
} from './tenant-support.js';

const stack = useTestStack({ seed: 'minimal' });

/** Where the k-th write of a run lands: its endpoint, and how many calls to that endpoint came before it. */
interface WriteSlot {
  readonly endpoint: string;
  readonly after: number;
}

/** The write slots of a run, in order (a `users/import` dry run counts toward `after` of the real import). */
function writeSlots(records: readonly CallRecord[]): WriteSlot[] {
  const seen = new Map<string, number>();
  const slots: WriteSlot[] = [];
  for (const call of [...records].sort((a, b) => a.seq - b.seq)) {
    const endpoint = call.endpoint as string;
    const before = seen.get(endpoint) ?? 0;
    seen.set(endpoint, before + 1);
    if (isWrite(call)) slots.push({ endpoint, after: before });
  }
  return slots;
}

const key = (change: { action: string; target: { name: string } }): string => `${change.action} ${change.target.name}`;

async function faultEveryWrite(name: string, prepare: (tenant: string) => BlueprintInput): Promise<void> {
  const reference = await run<ApplyData>(stack, APPLY, prepare(`${name}-Ref`));
  expect(reference.result.data?.tenantApply.status).toBe('SUCCEEDED');
  expect(reference.result.data?.tenantApply.results).toHaveLength(20);
  const slots = writeSlots(reference.records);
  expect(slots.length).toBeGreaterThan(5);

  for (const [i, slot] of slots.entries()) {
    const k = i + 1;
    const blueprint = prepare(`${name}-K${k}`);
    stack.emulator.use(fault(slot.endpoint, { status: 500, times: 1, after: slot.after }));
    const failed = await run<ApplyData>(stack, APPLY, blueprint);
    const payload = failed.result.data?.tenantApply;
    const context = `${name}, fault at write ${k} (${slot.endpoint})`;
    expect(failed.result.errors, context).toBeUndefined();
    // The fault hit exactly one call, a write on the expected endpoint.
    const faulted = failed.records.filter((call) => call.fault !== null);
    expect(faulted.map((call) => [call.endpoint, call.status, isWrite(call)]), context).toEqual([[slot.endpoint, 500, true]]);
    expect(payload?.status, context).toBe('FAILED');
    expect(payload?.userErrors.map((error) => error.code), context).toEqual(['INCOMPLETE']);
    const results = payload?.results ?? [];
    expect(results, context).toHaveLength(20);
    expect(results.filter((result) => result.status === 'FAILED').every((result) => result.reason?.includes('HTTP 500')), context).toBe(true);
    expect(results.filter((result) => result.status === 'SKIPPED').every((result) => result.reason?.startsWith('Not attempted')), context).toBe(true);
    // The report matches the directory: a change is APPLIED exactly when its effect is there.
    for (const result of results) {
      expect(effectPresent(stack.emulator, blueprint, result.change), `${context}: ${key(result.change)} is ${result.status}`).toBe(
        result.status === 'APPLIED',
      );
    }
    // Nothing was written after the failure but calls already under way.
    expect(Object.values(writesOf(failed.records)).reduce((sum, n) => sum + n, 0), context).toBeLessThanOrEqual(slots.length);
    // The run log says the same as the report.
    const stored = await stack.app.store.runs.get(payload?.runId as string);
    expect(stored?.status, context).toBe('FAILED');
    expect((stored?.changes as { status: string }[]).map((change) => change.status), context).toEqual(results.map((result) => result.status));
    // What is left to do is exactly what was not applied.
    const next = await run<PlanData>(stack, PLAN, blueprint);
    expect(next.result.data?.tenantPlan.changes?.map(key).sort(), context).toEqual(
      results.filter((result) => result.status !== 'APPLIED').map((result) => key(result.change)).sort(),
    );
    // And a second run finishes the job.
    const rerun = await run<ApplyData>(stack, APPLY, blueprint);
    expect(rerun.result.data?.tenantApply.status, context).toBe('SUCCEEDED');
    const after = await run<PlanData>(stack, PLAN, blueprint);
    expect(after.result.data?.tenantPlan.changes, context).toEqual([]);
  }
}

describe('tenantApply with a failure at each upstream write', () => {
  it('of a new tenant: reports exactly what was applied, and converges on a second run', async () => {
    await faultEveryWrite('Fault-New', (tenant) => freshBlueprint(tenant));
  });

  it('of an existing tenant: reports exactly what was applied, and converges on a second run', async () => {
    await faultEveryWrite('Fault-Old', (tenant) => seedExistingTenant(stack.emulator, tenant).blueprint);
  });
});
