// Internal to src/resolvers: the rules of role writes: the privileges a role may grant, the documented text limits,
// and read-only roles. ThoughtSpot's roles/create and roles/update take narrower enums than the GraphQL `Privilege`
// type (CONTRACT.md §13, `P-ROLE-CREATE` and `P-ROLE-UPDATE`): `ADMINISTRATION`, `AUTHORING` and the legacy group
// privileges are not assignable to roles, and roles/update also lacks two values roles/create has. Checked here, so
// the caller gets a user error naming the list element rather than an upstream 400.

import type { Privilege } from '../../__generated__/resolvers-types.js';
import type { RoleNode } from '../../loaders/index.js';
import type { FieldPath, Problems } from './lifecycle.js';

/** Longest role name and description (the v1 Role API's documented rules, CONTRACT.md §11.5). */
export const MAX_ROLE_NAME = 48;
export const MAX_ROLE_DESCRIPTION = 124;

/** `P-ROLE-CREATE`: what roles/create accepts (43 values). */
const ROLE_CREATE: ReadonlySet<Privilege> = new Set<Privilege>([
  'USERDATAUPLOADING', 'DATADOWNLOADING', 'DATAMANAGEMENT', 'SHAREWITHALL', 'JOBSCHEDULING', 'A3ANALYSIS', 'BYPASSRLS',
  'DISABLE_PINBOARD_CREATION', 'DEVELOPER', 'APPLICATION_ADMINISTRATION', 'USER_ADMINISTRATION', 'GROUP_ADMINISTRATION',
  'SYSTEM_INFO_ADMINISTRATION', 'SYNCMANAGEMENT', 'ORG_ADMINISTRATION', 'ROLE_ADMINISTRATION',
  'AUTHENTICATION_ADMINISTRATION', 'BILLING_INFO_ADMINISTRATION', 'CONTROL_TRUSTED_AUTH', 'TAGMANAGEMENT',
  'LIVEBOARD_VERIFIER', 'CAN_MANAGE_CUSTOM_CALENDAR', 'CAN_CREATE_OR_EDIT_CONNECTIONS',
  'CAN_MANAGE_WORKSHEET_VIEWS_TABLES', 'CAN_MANAGE_VERSION_CONTROL', 'THIRDPARTY_ANALYSIS', 'CAN_CREATE_CATALOG',
  'ALLOW_NON_EMBED_FULL_APP_ACCESS', 'CAN_ACCESS_ANALYST_STUDIO', 'CAN_MANAGE_ANALYST_STUDIO', 'PREVIEW_DOCUMENT_SEARCH',
  'CAN_MANAGE_VARIABLES', 'CAN_MODIFY_FOLDERS', 'CAN_VIEW_FOLDERS', 'CAN_MANAGE_AGENTSPOT', 'CAN_ACCESS_AGENTSPOT',
  'CAN_SETUP_VERSION_CONTROL', 'PREVIEW_THOUGHTSPOT_SAGE', 'CAN_MANAGE_WEBHOOKS', 'CAN_DOWNLOAD_VISUALS',
  'CAN_DOWNLOAD_DETAILED_DATA', 'CAN_USE_SPOTTER', 'CAN_MANAGE_SPOTTER',
]);

/** `P-ROLE-UPDATE`: `P-ROLE-CREATE` without two values (41). */
const ROLE_UPDATE: ReadonlySet<Privilege> = new Set<Privilege>(
  [...ROLE_CREATE].filter((privilege) => privilege !== 'ALLOW_NON_EMBED_FULL_APP_ACCESS' && privilege !== 'CAN_SETUP_VERSION_CONTROL'),
);

/**
 * A role's privileges input, once each, in the caller's order; undefined when not given. Every privilege the
 * operation cannot assign is a problem on its own list element (`["input", "privileges", "<index>"]`).
 */
export function rolePrivileges(
  problems: Problems,
  values: readonly Privilege[] | null | undefined,
  operation: 'create' | 'update',
  field: FieldPath = ['input', 'privileges'],
): Privilege[] | undefined {
  if (values == null) return undefined;
  const allowed = operation === 'create' ? ROLE_CREATE : ROLE_UPDATE;
  values.forEach((value, index) => {
    if (!allowed.has(value)) problems.add([...field, String(index)], `A role cannot grant ${value}; ThoughtSpot keeps it for groups or does not allow it on roles/${operation}.`);
  });
  return [...new Set(values)];
}

/**
 * Refuses a change to a read-only role (built-in roles such as Super Admin, and roles created with `read_only`): it
 * can be neither updated nor deleted (CONTRACT.md §11.5).
 */
export function notReadOnly(problems: Problems, role: Pick<RoleNode, 'name' | 'permission'>, verb: 'changed' | 'deleted'): void {
  if (role.permission === 'READ_ONLY') problems.add(['input', 'id'], `${role.name} is a read-only role and cannot be ${verb}.`, 'NOT_ALLOWED');
}
