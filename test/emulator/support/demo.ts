// Test support: finds well-known people of the demo seed, so tests name roles (a tenant's administrator, a plain
// user) rather than hard-coded seed names.

import type { Emulator } from '../../../src/emulator/index.js';
import type { OrgRec, UserRec } from '../../../src/emulator/domain/index.js';
import { DEMO_PASSWORD } from '../../../src/emulator/seed/index.js';

export { DEMO_PASSWORD };

/** A demo Org by name. */
export function orgNamed(em: Emulator, name: string): OrgRec {
  const org = em.state.findOrg(name);
  if (org === undefined) throw new Error(`The demo seed has no Org named ${name}.`);
  return org;
}

/** The administrator of a tenant Org (the member of its Administrator group). */
export function tenantAdmin(em: Emulator, org: OrgRec): UserRec {
  const admin = em.state.groups.get(org.adminGroupId);
  const id = admin === undefined ? undefined : [...admin.userIds][0];
  const user = id === undefined ? undefined : em.state.users.get(id);
  if (user === undefined) throw new Error(`Org ${org.name} has no administrator in the seed.`);
  return user;
}

/** An active local user of an Org with no administration privilege there (and no cluster admin rights). */
export function plainUser(em: Emulator, org: OrgRec, skip = 0): UserRec {
  let seen = 0;
  for (const user of em.state.sortedOrgMembers(org.id, 'NAME')) {
    if (user.hidden || user.accountStatus !== 'ACTIVE' || user.accountType !== 'LOCAL_USER' || user.password === null) continue;
    const privileges = em.state.effectivePrivileges(user, org.id);
    if (privileges.some((p) => p.endsWith('ADMINISTRATION'))) continue;
    if (seen++ < skip) continue;
    return user;
  }
  throw new Error(`Org ${org.name} has no plain active local user.`);
}
