// `tenantDeprovision` (src/provisioning/churn.ts): the bound (refused above it, with no write), plan-only mode, and
// the rule that matters most: nobody outside the tenant is touched. A user who also belongs to another Organization is
// only removed from this one, never deleted or deactivated; system users and the service account are never touched.
// Every claim is checked on the emulator's own state.

import { describe, expect, it } from 'vitest';
import type { OrgRec, UserRec } from '../../../src/emulator/domain/index.js';
import { fault } from '../../../src/emulator/index.js';
import { toGlobalId } from '../../../src/relay/global-id.js';
import { useTestStack } from '../../support/harness.js';
import { caller, run, writesOf } from './tenant-support.js';

const stack = useTestStack({ seed: 'minimal' });

const DEPROVISION = `mutation ($input: TenantDeprovisionInput!) {
  tenantDeprovision(input: $input) {
    results { username action status description reason }
    sparedUsernames
    userErrors { field message code }
  }
}`;

interface DeprovisionData {
  readonly tenantDeprovision: {
    readonly results: { username: string; action: string; status: string; description: string; reason: string | null }[] | null;
    readonly sparedUsernames: string[] | null;
    readonly userErrors: { field: string[] | null; message: string; code: string }[];
  };
}

interface Churned {
  readonly org: OrgRec;
  readonly other: OrgRec;
  /** Members of the tenant only: u-0 … u-3. */
  readonly own: UserRec[];
  /** A member of the tenant and of the other Organization, in a group of each. */
  readonly shared: UserRec;
  /** A member of the tenant and of the Primary Organization. */
  readonly primaryToo: UserRec;
  /** A member of the other Organization only. */
  readonly outsider: UserRec;
}

/** A tenant of six members (four of its own, one shared with another tenant, one also in Primary), plus tsadmin. */
function seedChurn(name: string): Churned {
  const state = stack.emulator.state;
  const at = Date.UTC(2024, 5, 1);
  const org = state.createOrg({ name, at });
  const other = state.createOrg({ name: `${name}-Other`, at });
  const group = state.createGroup(org, { name: 'Staff', displayName: 'Staff', at });
  const otherGroup = state.createGroup(other, { name: 'Staff', displayName: 'Staff', at });
  const user = (username: string, orgs: OrgRec[]): UserRec => {
    const rec = state.insertUser({ name: username, displayName: username, email: null, at });
    for (const o of orgs) state.addUserToOrg(rec, o.id);
    if (orgs.includes(org)) state.addGroupMember(group, rec);
    if (orgs.includes(other)) state.addGroupMember(otherGroup, rec);
    return rec;
  };
  const prefix = name.toLowerCase();
  const own = [0, 1, 2, 3].map((i) => user(`${prefix}.u-${i}`, [org]));
  const shared = user(`${prefix}.shared`, [org, other]);
  const primaryToo = user(`${prefix}.primary-too`, [org]);
  state.addUserToOrg(primaryToo, 0);
  const outsider = user(`${prefix}.outsider`, [other]);
  // The service account (tsadmin here) is a member of the tenant too: it must never be touched.
  state.addUserToOrg(state.findUser('tsadmin') as UserRec, org.id);
  return { org, other, own, shared, primaryToo, outsider };
}

const orgId = (org: OrgRec): string => toGlobalId('test', { typename: 'Organization', orgId: org.id });
const admin = () => caller(['directory:admin']);

function exists(user: UserRec): boolean {
  return stack.emulator.state.users.get(user.id) === user;
}

function groupNamesOf(user: UserRec, org: OrgRec): string[] {
  return [...user.groupIds].flatMap((id) => {
    const group = stack.emulator.state.groups.get(id);
    return group?.orgId === org.id ? [group.name] : [];
  });
}

describe('tenantDeprovision', () => {
  it('refuses a plan above maxUsers with LIMIT_EXCEEDED, and writes nothing', async () => {
    const t = seedChurn('Churn-Bound');
    const { result, records } = await run<DeprovisionData>(stack, DEPROVISION, { organizationId: orgId(t.org), mode: 'DELETE', maxUsers: 5 }, admin());
    expect(result.data?.tenantDeprovision).toEqual({
      results: null,
      sparedUsernames: null,
      userErrors: [
        {
          field: ['input', 'maxUsers'],
          message: 'The churn would act on 6 users, more than maxUsers (5); nothing was done.',
          code: 'LIMIT_EXCEEDED',
        },
      ],
    });
    expect(writesOf(records)).toEqual({});
    expect([...t.own, t.shared, t.primaryToo].every((user) => exists(user) && user.orgIds.has(t.org.id))).toBe(true);
  });

  it('plans only with dryRun: what it would do, and no write', async () => {
    const t = seedChurn('Churn-Dry');
    const { result, calls, records } = await run<DeprovisionData>(
      stack,
      DEPROVISION,
      { organizationId: orgId(t.org), mode: 'DELETE', maxUsers: 6, dryRun: true },
      admin(),
    );
    const payload = result.data?.tenantDeprovision;
    expect(payload?.userErrors).toEqual([]);
    expect(payload?.sparedUsernames).toEqual(['tsadmin']);
    expect(payload?.results?.map((r) => [r.username, r.action, r.status])).toEqual([
      ['churn-dry.primary-too', 'REMOVE_FROM_ORGANIZATION', 'PLANNED'],
      ['churn-dry.shared', 'REMOVE_FROM_ORGANIZATION', 'PLANNED'],
      ['churn-dry.u-0', 'DELETE', 'PLANNED'],
      ['churn-dry.u-1', 'DELETE', 'PLANNED'],
      ['churn-dry.u-2', 'DELETE', 'PLANNED'],
      ['churn-dry.u-3', 'DELETE', 'PLANNED'],
    ]);
    expect(payload?.results?.[1]?.description).toBe(
      'Remove churn-dry.shared from the Organization and its groups only: the user belongs to another Organization too, so it is not deleted.',
    );
    // The Org index, the service account, the Org's members: reads only.
    expect(calls).toEqual({ 'auth/session/user': 1, 'orgs/search': 1, 'users/search': 1 });
    expect(writesOf(records)).toEqual({});
  });

  it('deletes users of the tenant alone, only removes users who belong elsewhere too, and never touches anyone else', async () => {
    const t = seedChurn('Churn-Delete');
    const tsadmin = stack.emulator.state.findUser('tsadmin') as UserRec;
    const { result, calls } = await run<DeprovisionData>(stack, DEPROVISION, { organizationId: orgId(t.org), mode: 'DELETE', maxUsers: 6 }, admin());
    const payload = result.data?.tenantDeprovision;
    expect(payload?.userErrors).toEqual([]);
    expect(payload?.results?.every((r) => r.status === 'APPLIED')).toBe(true);
    // Removals share one orgs/{id}/update; ThoughtSpot deletes one user per call.
    expect(calls).toMatchObject({ 'orgs/{org_identifier}/update': 1, 'users/{user_identifier}/delete': 4 });
    expect(t.own.some(exists)).toBe(false);
    // The shared user still exists, still belongs to the other tenant and its group, and left this one and its groups.
    expect(exists(t.shared)).toBe(true);
    expect([...t.shared.orgIds]).toEqual([t.other.id]);
    expect(groupNamesOf(t.shared, t.other)).toEqual(['Staff']);
    expect(t.org.groupsByName.get('Staff')?.userIds.size).toBe(0);
    expect(exists(t.primaryToo) && [...t.primaryToo.orgIds].join()).toBe('0');
    expect(t.shared.accountStatus).toBe('ACTIVE');
    // Nobody outside the tenant was touched, and neither was the service account.
    expect(exists(t.outsider) && t.outsider.orgIds.has(t.other.id)).toBe(true);
    expect(exists(tsadmin) && tsadmin.orgIds.has(t.org.id)).toBe(true);
  });

  it('deactivates users of the tenant alone, and only removes users who belong elsewhere too', async () => {
    const t = seedChurn('Churn-Deactivate');
    const { result } = await run<DeprovisionData>(
      stack,
      DEPROVISION,
      { organizationId: orgId(t.org), mode: 'DEACTIVATE', maxUsers: 10, activationBaseUrl: 'https://tenant.example.com' },
      admin(),
    );
    expect(result.data?.tenantDeprovision.userErrors).toEqual([]);
    expect(t.own.map((user) => [user.accountStatus, user.orgIds.has(t.org.id)])).toEqual(t.own.map(() => ['INACTIVE', true]));
    expect([t.shared.accountStatus, [...t.shared.orgIds]]).toEqual(['ACTIVE', [t.other.id]]);
    expect(t.primaryToo.accountStatus).toBe('ACTIVE');
    expect(JSON.stringify(result.data)).not.toContain('activate?id=');
  });

  it('removes only the named users with REMOVE, keeping them as users', async () => {
    const t = seedChurn('Churn-Remove');
    const { result } = await run<DeprovisionData>(
      stack,
      DEPROVISION,
      { organizationId: orgId(t.org), mode: 'REMOVE', maxUsers: 2, usernames: ['CHURN-REMOVE.U-0', 'churn-remove.u-1'] },
      admin(),
    );
    expect(result.data?.tenantDeprovision.results?.map((r) => [r.username, r.action, r.status])).toEqual([
      ['churn-remove.u-0', 'REMOVE_FROM_ORGANIZATION', 'APPLIED'],
      ['churn-remove.u-1', 'REMOVE_FROM_ORGANIZATION', 'APPLIED'],
    ]);
    expect(t.own.map((user) => [exists(user), user.orgIds.has(t.org.id)])).toEqual([
      [true, false],
      [true, false],
      [true, true],
      [true, true],
    ]);
  });

  it('refuses usernames that are not members, the Primary Organization, and a missing activation address, writing nothing', async () => {
    const t = seedChurn('Churn-Refused');
    const notMember = await run<DeprovisionData>(
      stack,
      DEPROVISION,
      { organizationId: orgId(t.org), mode: 'DELETE', maxUsers: 9, usernames: ['churn-refused.outsider'] },
      admin(),
    );
    expect(notMember.result.data?.tenantDeprovision.userErrors).toEqual([
      { field: ['input', 'usernames', '0'], message: 'No member of the Organization has this username.', code: 'NOT_FOUND' },
    ]);
    const primary = await run<DeprovisionData>(
      stack,
      DEPROVISION,
      { organizationId: toGlobalId('test', { typename: 'Organization', orgId: 0 }), mode: 'REMOVE', maxUsers: 1 },
      admin(),
    );
    expect(primary.result.data?.tenantDeprovision.userErrors.map((e) => e.code)).toEqual(['NOT_ALLOWED']);
    const deactivate = await run<DeprovisionData>(stack, DEPROVISION, { organizationId: orgId(t.org), mode: 'DEACTIVATE', maxUsers: 9 }, admin());
    expect(deactivate.result.data?.tenantDeprovision.userErrors.map((e) => e.field?.join('.'))).toEqual(['input.activationBaseUrl']);
    expect(writesOf([...notMember.records, ...primary.records, ...deactivate.records])).toEqual({});
    expect(exists(t.outsider)).toBe(true);
  });

  it('treats an Organization outside the caller’s grant as missing, and needs directory:admin', async () => {
    const t = seedChurn('Churn-Tenancy');
    const input = { organizationId: orgId(t.org), mode: 'DELETE', maxUsers: 9 };
    const outsider = await run<DeprovisionData>(stack, DEPROVISION, input, caller(['directory:admin'], new Set(['Somewhere-Else'])));
    expect(outsider.result.data?.tenantDeprovision.userErrors).toEqual([
      { field: ['input', 'organizationId'], message: 'No Organization with this ID exists.', code: 'NOT_FOUND' },
    ]);
    const writer = await run<DeprovisionData>(stack, DEPROVISION, input, caller(['directory:write']));
    expect(writer.result.errors?.map((error) => error.extensions?.['code'])).toEqual(['FORBIDDEN']);
    expect(writesOf([...outsider.records, ...writer.records])).toEqual({});
    expect(t.own.every(exists)).toBe(true);
  });

  it('reports a failed call and skips the rest, and leaves one audit event per call', async () => {
    const t = seedChurn('Churn-Audit');
    stack.emulator.use(fault('POST /api/rest/2.0/orgs/{org_identifier}/update', { status: 500, times: 1 }));
    const who = admin();
    const { result } = await run<DeprovisionData>(stack, DEPROVISION, { organizationId: orgId(t.org), mode: 'DELETE', maxUsers: 9 }, who);
    const payload = result.data?.tenantDeprovision;
    expect(payload?.userErrors.map((e) => e.code)).toEqual(['INCOMPLETE']);
    expect(payload?.results?.map((r) => r.status)).toEqual(['FAILED', 'FAILED', 'SKIPPED', 'SKIPPED', 'SKIPPED', 'SKIPPED']);
    expect([...t.own, t.shared, t.primaryToo].every((user) => exists(user) && user.orgIds.has(t.org.id))).toBe(true);
    const events = await stack.app.store.audit.list({ actor: who.subject });
    expect(events.edges.map((edge) => [edge.node.operation, edge.node.outcome, edge.node.errorCode, edge.node.organization?.name])).toEqual([
      ['tenantDeprovision', 'FAILURE', 'INCOMPLETE', 'Churn-Audit'],
    ]);
  });
});
