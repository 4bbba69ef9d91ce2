// Test support: starts a domain-backed emulator for contract tests and finds well-known people of the demo seed.

import { startEmulator, type Emulator } from '../../../src/emulator/index.js';
import type { StartEmulatorOptions } from '../../../src/emulator/index.js';
import type { OrgRec, UserRec } from '../../../src/emulator/domain/index.js';
import { DEMO_PASSWORD } from '../../../src/emulator/seed/index.js';
import { Api } from './client.js';

export { DEMO_PASSWORD };

/** An emulator on 127.0.0.1:0 with the rate limiter off, plus a client for it. */
export async function startDomainEmulator(options: StartEmulatorOptions = {}): Promise<{ em: Emulator; api: Api }> {
  const em = await startEmulator({ seed: 'demo', port: 0, ...options, rateLimit: { enabled: false, ...options.rateLimit } });
  return { em, api: new Api(em.url) };
}

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
