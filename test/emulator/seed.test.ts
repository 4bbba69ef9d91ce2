import { describe, expect, it } from 'vitest';
import { createState, PRIMARY_ORG_ID, WELL_KNOWN, type EmulatorState } from '../../src/emulator/domain/index.js';
import { DEFAULT_FIDELITY } from '../../src/emulator/index.js';
import { names, rows } from './support/http.js';
import { startTestEmulator } from './support/start.js';

const deps = () => ({ fidelity: { ...DEFAULT_FIDELITY }, clock: { now: () => 0 } });

/** A plain-data picture of a state: every record with its relations, in a stable order. */
function dump(state: EmulatorState): unknown {
  return {
    orgs: [...state.orgs.values()].map((o) => ({ ...o, members: [...o.members], groups: [...o.groups.keys()], roles: [...o.roles.keys()], groupsByName: undefined, rolesByName: undefined, defaultGroupIds: [...o.defaultGroupIds] })),
    users: [...state.users.values()].map((u) => ({ ...u, orgIds: [...u.orgIds], groupIds: [...u.groupIds], variableValues: undefined, filterRules: undefined, parameterValues: undefined })),
    groups: [...state.groups.values()].map((g) => ({ ...g, privileges: [...g.privileges], roleIds: [...g.roleIds], subGroupIds: [...g.subGroupIds], parentIds: [...g.parentIds], userIds: [...g.userIds] })),
    roles: [...state.roles.values()].map((r) => ({ ...r, privileges: [...r.privileges] })),
  };
}

describe('seeds', () => {
  it('builds the demo seed identically twice', () => {
    expect(JSON.stringify(dump(createState('demo', deps())))).toBe(JSON.stringify(dump(createState('demo', deps()))));
  });

  it('builds the large seed identically twice', () => {
    const spec = { large: { users: 2000 } };
    expect(JSON.stringify(dump(createState(spec, deps())))).toBe(JSON.stringify(dump(createState(spec, deps()))));
  });

  it('gives the demo a believable customer base', () => {
    const state = createState('demo', deps());
    expect(state.orgs.size).toBe(6);
    const tenants = [...state.orgs.values()].filter((o) => o.id !== PRIMARY_ORG_ID);
    for (const org of tenants) {
      expect(org.id).toBeGreaterThan(1_000_000);
      expect(org.groupsByName.has('All')).toBe(true);
      expect(org.groupsByName.has('Administrator')).toBe(true);
      expect(org.roles.size).toBeGreaterThanOrEqual(4);
    }
    expect(state.users.size).toBeGreaterThan(300);
    const multiOrg = [...state.users.values()].filter((u) => u.orgIds.size > 1);
    expect(multiOrg.length).toBeGreaterThan(3);
    const statuses = new Set([...state.users.values()].map((u) => u.accountStatus));
    expect(statuses.size).toBeGreaterThanOrEqual(4);
    const types = new Set([...state.users.values()].map((u) => u.accountType));
    expect(types).toEqual(new Set(['LOCAL_USER', 'SAML_USER', 'OIDC_USER', 'LDAP_USER']));
    const deepest = [...state.groups.values()].map((g) => state.ancestorsOf(g.id).size);
    expect(Math.max(...deepest)).toBeGreaterThanOrEqual(3);
    const emails = [...state.users.values()].map((u) => u.email).filter((e) => e !== null);
    expect(new Set(emails).size).toBe(emails.length);
  });

  it('has the well-known principals with their fixed GUIDs in every seed', () => {
    for (const seed of ['demo', 'minimal', { large: { users: 10 } }] as const) {
      const state = createState(seed, deps());
      expect(state.findUser('tsadmin')?.id).toBe(WELL_KNOWN.tsadminUserId);
      expect(state.findUser('su')?.id).toBe(WELL_KNOWN.superUserId);
      expect(state.findUser('system')?.id).toBe(WELL_KNOWN.systemUserId);
      expect(state.findUser('guest')).toBeDefined();
      expect(state.findGroup('All')?.id).toBe(WELL_KNOWN.allGroupId);
      expect(state.findGroup('Administrator')?.id).toBe(WELL_KNOWN.adminGroupId);
      expect(state.findGroup('System')?.id).toBe(WELL_KNOWN.systemGroupId);
      expect(state.primary.name).toBe('Primary');
    }
  });

  it('keeps the minimal seed to the well-known principals', () => {
    const state = createState('minimal', deps());
    expect([...state.users.values()].map((u) => u.name).sort()).toEqual(['guest', 'su', 'system', 'tsadmin']);
    expect([...state.groups.values()].map((g) => g.name).sort()).toEqual(['Administrator', 'All', 'System']);
    expect(state.orgs.size).toBe(1);
  });

  it('generates the requested number of users in the large seed, in Primary and one tenant each', () => {
    const state = createState({ large: { users: 5000 } }, deps());
    expect(state.users.size).toBe(5004);
    expect(state.primary.members.size).toBe(5004);
    expect(state.orgs.size).toBe(5);
  });

  it('rejects a bad large seed size', () => {
    expect(() => createState({ large: { users: -1 } }, deps())).toThrow(/non-negative integer/);
  });

  it('serves the minimal seed over HTTP', async () => {
    const { emulator, api } = await startTestEmulator({ seed: 'minimal' });
    try {
      const token = await api.login('tsadmin', 'admin');
      expect(names(rows(await api.post('/users/search', { record_size: -1 }, token)))).toEqual(['guest', 'tsadmin']);
    } finally {
      await emulator.close();
    }
  });
});
