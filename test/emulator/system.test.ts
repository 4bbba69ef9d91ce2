import { describe, expect, it } from 'vitest';
import { ENDPOINTS } from '../../src/emulator/contract.js';
import { WELL_KNOWN } from '../../src/emulator/domain/index.js';
import { handlers } from '../../src/emulator/handlers/index.js';
import { DEMO_PASSWORD, plainUser } from './support/demo.js';
import { readVendorError } from './support/http.js';
import { expectMatchesSchema } from './support/schema.js';
import { useEmulator } from './support/start.js';

const t = useEmulator({ isolation: 'shared' });

describe('GET /system', () => {
  it('reports the well-known principals to administrators', async () => {
    const admin = await t.api.login('tsadmin', 'admin');
    const result = await t.api.get('/system', admin);
    expect(result.status).toBe(200);
    expectMatchesSchema(result.body, 'GET /api/rest/2.0/system');
    expect(result.body).toMatchObject({
      tsadmin_user_id: WELL_KNOWN.tsadminUserId,
      super_user_id: WELL_KNOWN.superUserId,
      system_user_id: WELL_KNOWN.systemUserId,
      all_user_group_id: WELL_KNOWN.allGroupId,
      admin_group_id: WELL_KNOWN.adminGroupId,
      system_group_id: WELL_KNOWN.systemGroupId,
      release_version: '26.8.0.cl',
    });
    const count = (result.body as { all_user_group_member_user_count: number }).all_user_group_member_user_count;
    expect(count).toBe([...t.emulator.state.primary.members].filter((id) => !t.emulator.state.users.get(id)?.hidden).length);
  });

  it('answers 403 / 10023 to callers without system information privileges', async () => {
    const user = plainUser(t.emulator, t.emulator.state.primary);
    const token = await t.api.login(user.name, DEMO_PASSWORD);
    const result = await t.api.get('/system', token);
    expect(result.status).toBe(403);
    expect(readVendorError(result).code).toBe(10023);
  });

  it('lets SYSTEM_INFO_ADMINISTRATION through without full administration', async () => {
    const support = [...t.emulator.state.users.values()].find(
      (u) => u.accountStatus === 'ACTIVE' && t.emulator.state.effectivePrivileges(u, 0).includes('SYSTEM_INFO_ADMINISTRATION') && !t.emulator.state.effectivePrivileges(u, 0).includes('ADMINISTRATION'),
    );
    expect(support).toBeDefined();
    const token = await t.api.login(support!.name, DEMO_PASSWORD);
    expect((await t.api.get('/system', token)).status).toBe(200);
  });
});

describe('GET /system/config', () => {
  it('answers any authenticated caller', async () => {
    const user = plainUser(t.emulator, t.emulator.state.primary);
    const token = await t.api.login(user.name, DEMO_PASSWORD);
    const result = await t.api.get('/system/config', token);
    expect(result.status).toBe(200);
    expectMatchesSchema(result.body, 'GET /api/rest/2.0/system/config');
    expect(result.body).toEqual({ onboarding_content_url: '', saml_enabled: false, okta_enabled: false });
  });
});

describe('handlers', () => {
  it('has exactly one handler per contract endpoint', () => {
    expect(Object.keys(handlers).sort()).toEqual(ENDPOINTS.map((e) => e.id).sort());
    expect(ENDPOINTS).toHaveLength(34);
  });
});
