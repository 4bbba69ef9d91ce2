// Internal to src/emulator/handlers: the System tag: cluster information (administrators only) and the public
// configuration (CONTRACT.md §11.6).

import type { Handler } from '../types.js';
import type { EmulatorState } from '../domain/state.js';
import { SYSTEM_INFO_PRIVILEGES, WELL_KNOWN } from '../domain/model.js';
import { principalOf, requirePrivilege } from './common.js';

/** The release the emulated contract was generated from (contract.json: 26.8.0.cl). */
const RELEASE_VERSION = '26.8.0.cl';

/** `GET /system`: needs ADMINISTRATION or SYSTEM_INFO_ADMINISTRATION (403 / 10023 otherwise). */
const systemInfo: Handler<EmulatorState> = (ctx) => {
  requirePrivilege(ctx, SYSTEM_INFO_PRIVILEGES, 'read system information');
  const state = ctx.state;
  let members = 0;
  for (const id of state.primary.members) if (state.users.get(id)?.hidden === false) members++;
  return {
    status: 200,
    body: {
      id: WELL_KNOWN.clusterId,
      name: 'thoughtspot-emulator',
      release_version: RELEASE_VERSION,
      time_zone: 'UTC',
      locale: 'en-US',
      date_format: 'MM/dd/yyyy',
      api_version: 'v2',
      type: 'SAAS',
      environment: 'EMULATOR',
      license: 'Enterprise',
      date_time_format: 'MM/dd/yyyy HH:mm',
      time_format: 'HH:mm:ss',
      system_user_id: WELL_KNOWN.systemUserId,
      super_user_id: WELL_KNOWN.superUserId,
      hidden_object_id: WELL_KNOWN.hiddenObjectId,
      system_group_id: WELL_KNOWN.systemGroupId,
      tsadmin_user_id: WELL_KNOWN.tsadminUserId,
      admin_group_id: WELL_KNOWN.adminGroupId,
      all_tables_connection_id: WELL_KNOWN.allTablesConnectionId,
      all_user_group_id: WELL_KNOWN.allGroupId,
      accept_language: 'en-US',
      all_user_group_member_user_count: members,
      logical_model_version: 1,
    },
  };
};

/** `GET /system/config`: any authenticated caller. */
const systemConfig: Handler<EmulatorState> = (ctx) => {
  principalOf(ctx);
  return { status: 200, body: { onboarding_content_url: '', saml_enabled: false, okta_enabled: false } };
};

/** Handlers of the System tag, keyed by contract endpoint id. */
export const systemHandlers: Readonly<Record<string, Handler<EmulatorState>>> = {
  'GET /api/rest/2.0/system': systemInfo,
  'GET /api/rest/2.0/system/config': systemConfig,
};
