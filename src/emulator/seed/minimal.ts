// Internal to src/emulator/seed: a fresh cluster: the Primary Org with its built-in groups and the well-known
// principals, with the GUIDs ThoughtSpot's own examples use (CONTRACT.md §4). Every other seed starts from this.

import type { EmulatorState } from '../domain/state.js';
import { PRIMARY_ORG_ID, TSADMIN_PASSWORD, WELL_KNOWN } from '../domain/model.js';

/** The fixed instant seeded objects are created at (2024-01-15T09:00:00Z), so seeds never depend on the wall clock. */
export const SEED_EPOCH_MS = Date.UTC(2024, 0, 15, 9, 0, 0);

/** Creates Org 0 `Primary`, the groups `All`, `Administrator`, `System`, and the users tsadmin, su, system, guest. */
export function seedWellKnown(state: EmulatorState): void {
  const at = SEED_EPOCH_MS;
  const primary = state.createOrg({
    id: PRIMARY_ORG_ID,
    name: 'Primary',
    description: 'Primary Org',
    at,
    allGroupId: WELL_KNOWN.allGroupId,
    adminGroupId: WELL_KNOWN.adminGroupId,
  });
  const system = state.createGroup(primary, {
    id: WELL_KNOWN.systemGroupId,
    name: 'System',
    displayName: 'System',
    description: 'Internal principals of the cluster',
    builtIn: 'SYSTEM',
    visibility: 'NON_SHARABLE',
    at,
  });
  const admin = state.groups.get(WELL_KNOWN.adminGroupId);
  if (admin === undefined) throw new Error('The Primary Org was created without its Administrator group.');

  const tsadmin = state.insertUser({
    id: WELL_KNOWN.tsadminUserId,
    name: 'tsadmin',
    displayName: 'Administrator',
    email: 'tsadmin@thoughtspot.example',
    password: TSADMIN_PASSWORD,
    showOnboardingExperience: false,
    onboardingExperienceCompleted: true,
    at,
  });
  const su = state.insertUser({
    id: WELL_KNOWN.superUserId,
    name: 'su',
    displayName: 'Super User',
    email: null,
    superUser: true,
    hidden: true,
    visibility: 'NON_SHARABLE',
    at,
  });
  const systemUser = state.insertUser({
    id: WELL_KNOWN.systemUserId,
    name: 'system',
    displayName: 'System User',
    email: null,
    systemUser: true,
    hidden: true,
    visibility: 'NON_SHARABLE',
    at,
  });
  const guest = state.insertUser({
    id: WELL_KNOWN.guestUserId,
    name: 'guest',
    displayName: 'Guest',
    email: null,
    showOnboardingExperience: false,
    at,
  });
  for (const user of [tsadmin, su, systemUser, guest]) state.addUserToOrg(user, PRIMARY_ORG_ID);
  state.addGroupMember(admin, tsadmin);
  state.addGroupMember(system, systemUser);
}

/** The `minimal` seed: only what a fresh cluster has. */
export function seedMinimal(state: EmulatorState): void {
  seedWellKnown(state);
}
