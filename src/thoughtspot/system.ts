// Internal to src/thoughtspot: `GET /system` and `GET /system/config` (CONTRACT.md §11.6), the readiness and version
// probes. `GET /system` needs an administrator; `auth/session/user` (users.ts) is the cheaper liveness probe.

import type { SystemConfigRecord, SystemInfoRecord } from './records.js';
import type { CallOptions, OrgScope } from './types.js';
import type { Pipeline } from './pipeline.js';
import { expectObject, optionalBoolean, optionalString } from './decode.js';
import { checkScope } from './request-checks.js';
import { orgCall } from './calls.js';

/** Contract endpoint ids. */
export const SYSTEM_ENDPOINTS = {
  info: 'GET /api/rest/2.0/system',
  config: 'GET /api/rest/2.0/system/config',
} as const;

/** Read `SystemInfo`; every field is nullable upstream. */
export function toSystemInfoRecord(value: unknown): SystemInfoRecord {
  const what = 'system response';
  const wire = expectObject(value, what);
  return {
    id: optionalString(wire, 'id', what),
    name: optionalString(wire, 'name', what),
    releaseVersion: optionalString(wire, 'release_version', what),
    timeZone: optionalString(wire, 'time_zone', what),
    type: optionalString(wire, 'type', what),
    environment: optionalString(wire, 'environment', what),
    tsadminUserId: optionalString(wire, 'tsadmin_user_id', what),
    adminGroupId: optionalString(wire, 'admin_group_id', what),
    allUserGroupId: optionalString(wire, 'all_user_group_id', what),
    systemUserId: optionalString(wire, 'system_user_id', what),
    superUserId: optionalString(wire, 'super_user_id', what),
  };
}

/** `GET /system`. */
export function getSystemInfo(pipeline: Pipeline, scope: OrgScope, options?: CallOptions): Promise<SystemInfoRecord> {
  const endpoint = SYSTEM_ENDPOINTS.info;
  return orgCall(pipeline, endpoint, checkScope(endpoint, scope), { kind: 'read', decode: toSystemInfoRecord, options });
}

/** `GET /system/config`. */
export function getSystemConfig(pipeline: Pipeline, scope: OrgScope, options?: CallOptions): Promise<SystemConfigRecord> {
  const endpoint = SYSTEM_ENDPOINTS.config;
  return orgCall(pipeline, endpoint, checkScope(endpoint, scope), {
    kind: 'read',
    decode: (json) => {
      const what = 'system/config response';
      const wire = expectObject(json, what);
      return {
        onboardingContentUrl: optionalString(wire, 'onboarding_content_url', what),
        samlEnabled: optionalBoolean(wire, 'saml_enabled', what),
        oktaEnabled: optionalBoolean(wire, 'okta_enabled', what),
      };
    },
    options,
  });
}
