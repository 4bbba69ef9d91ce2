// Internal to src/resolvers: the explicit mapping between ThoughtSpot's privilege strings and the GraphQL
// `Privilege` enum (schema/enums.graphql). The GraphQL names are ThoughtSpot's, with one exception: roles/search
// spells CAN_MODIFY_FOLDERS as CAN_MODIDY_FOLDERS (CONTRACT.md §14 item 6), and both spellings map to one value.

import type { Privilege } from '../../__generated__/resolvers-types.js';
import { badUserInput } from '../../errors/codes.js';

/** Every value of the GraphQL enum, each mapped to itself: the table unknown strings are checked against. */
const PRIVILEGES: Readonly<Record<Privilege, Privilege>> = {
  ADMINISTRATION: 'ADMINISTRATION',
  AUTHORING: 'AUTHORING',
  USERDATAUPLOADING: 'USERDATAUPLOADING',
  DATADOWNLOADING: 'DATADOWNLOADING',
  USERMANAGEMENT: 'USERMANAGEMENT',
  DATAMANAGEMENT: 'DATAMANAGEMENT',
  SHAREWITHALL: 'SHAREWITHALL',
  JOBSCHEDULING: 'JOBSCHEDULING',
  A3ANALYSIS: 'A3ANALYSIS',
  EXPERIMENTALFEATUREPRIVILEGE: 'EXPERIMENTALFEATUREPRIVILEGE',
  BYPASSRLS: 'BYPASSRLS',
  RANALYSIS: 'RANALYSIS',
  DEVELOPER: 'DEVELOPER',
  USER_ADMINISTRATION: 'USER_ADMINISTRATION',
  GROUP_ADMINISTRATION: 'GROUP_ADMINISTRATION',
  SYNCMANAGEMENT: 'SYNCMANAGEMENT',
  CAN_CREATE_CATALOG: 'CAN_CREATE_CATALOG',
  DISABLE_PINBOARD_CREATION: 'DISABLE_PINBOARD_CREATION',
  LIVEBOARD_VERIFIER: 'LIVEBOARD_VERIFIER',
  PREVIEW_THOUGHTSPOT_SAGE: 'PREVIEW_THOUGHTSPOT_SAGE',
  APPLICATION_ADMINISTRATION: 'APPLICATION_ADMINISTRATION',
  SYSTEM_INFO_ADMINISTRATION: 'SYSTEM_INFO_ADMINISTRATION',
  ORG_ADMINISTRATION: 'ORG_ADMINISTRATION',
  ROLE_ADMINISTRATION: 'ROLE_ADMINISTRATION',
  AUTHENTICATION_ADMINISTRATION: 'AUTHENTICATION_ADMINISTRATION',
  BILLING_INFO_ADMINISTRATION: 'BILLING_INFO_ADMINISTRATION',
  CAN_MANAGE_CUSTOM_CALENDAR: 'CAN_MANAGE_CUSTOM_CALENDAR',
  CAN_CREATE_OR_EDIT_CONNECTIONS: 'CAN_CREATE_OR_EDIT_CONNECTIONS',
  CAN_MANAGE_WORKSHEET_VIEWS_TABLES: 'CAN_MANAGE_WORKSHEET_VIEWS_TABLES',
  CAN_MANAGE_VERSION_CONTROL: 'CAN_MANAGE_VERSION_CONTROL',
  THIRDPARTY_ANALYSIS: 'THIRDPARTY_ANALYSIS',
  ALLOW_NON_EMBED_FULL_APP_ACCESS: 'ALLOW_NON_EMBED_FULL_APP_ACCESS',
  CAN_ACCESS_ANALYST_STUDIO: 'CAN_ACCESS_ANALYST_STUDIO',
  CAN_MANAGE_ANALYST_STUDIO: 'CAN_MANAGE_ANALYST_STUDIO',
  PREVIEW_DOCUMENT_SEARCH: 'PREVIEW_DOCUMENT_SEARCH',
  CAN_MODIFY_FOLDERS: 'CAN_MODIFY_FOLDERS',
  CAN_MANAGE_VARIABLES: 'CAN_MANAGE_VARIABLES',
  CAN_VIEW_FOLDERS: 'CAN_VIEW_FOLDERS',
  CAN_MANAGE_AGENTSPOT: 'CAN_MANAGE_AGENTSPOT',
  CAN_ACCESS_AGENTSPOT: 'CAN_ACCESS_AGENTSPOT',
  CAN_SETUP_VERSION_CONTROL: 'CAN_SETUP_VERSION_CONTROL',
  CAN_MANAGE_WEBHOOKS: 'CAN_MANAGE_WEBHOOKS',
  CAN_DOWNLOAD_VISUALS: 'CAN_DOWNLOAD_VISUALS',
  CAN_DOWNLOAD_DETAILED_DATA: 'CAN_DOWNLOAD_DETAILED_DATA',
  CAN_USE_SPOTTER: 'CAN_USE_SPOTTER',
  CAN_MANAGE_SPOTTER: 'CAN_MANAGE_SPOTTER',
  SECURITYMANAGEMENT: 'SECURITYMANAGEMENT',
  LOGICALMODELING: 'LOGICALMODELING',
  TAGMANAGEMENT: 'TAGMANAGEMENT',
  SYSTEMMANAGEMENT: 'SYSTEMMANAGEMENT',
  BACKUP_ADMINISTRATION: 'BACKUP_ADMINISTRATION',
  ENABLESPOTAPPCREATION: 'ENABLESPOTAPPCREATION',
  CAN_CONFIGURE_CONNECTIONS: 'CAN_CONFIGURE_CONNECTIONS',
  CONTROL_TRUSTED_AUTH: 'CONTROL_TRUSTED_AUTH',
};

/** ThoughtSpot spellings that differ from the GraphQL value. */
const ALIASES: Readonly<Record<string, Privilege>> = { CAN_MODIDY_FOLDERS: 'CAN_MODIFY_FOLDERS' };

/**
 * The privileges `users/search` and `groups/search` accept as filters (CONTRACT.md §13, `P-FILTER`): checked here
 * so that a filter ThoughtSpot would reject is the caller's `BAD_USER_INPUT`, not an upstream 400.
 */
const FILTERABLE: ReadonlySet<Privilege> = new Set<Privilege>([
  'ADMINISTRATION', 'AUTHORING', 'USERDATAUPLOADING', 'DATADOWNLOADING', 'USERMANAGEMENT', 'DATAMANAGEMENT',
  'SHAREWITHALL', 'JOBSCHEDULING', 'A3ANALYSIS', 'EXPERIMENTALFEATUREPRIVILEGE', 'BYPASSRLS', 'RANALYSIS',
  'DEVELOPER', 'USER_ADMINISTRATION', 'GROUP_ADMINISTRATION', 'SYNCMANAGEMENT', 'CAN_CREATE_CATALOG',
  'DISABLE_PINBOARD_CREATION', 'LIVEBOARD_VERIFIER', 'PREVIEW_THOUGHTSPOT_SAGE', 'APPLICATION_ADMINISTRATION',
  'SYSTEM_INFO_ADMINISTRATION', 'ORG_ADMINISTRATION', 'ROLE_ADMINISTRATION', 'AUTHENTICATION_ADMINISTRATION',
  'BILLING_INFO_ADMINISTRATION', 'CAN_MANAGE_CUSTOM_CALENDAR', 'CAN_CREATE_OR_EDIT_CONNECTIONS',
  'CAN_MANAGE_WORKSHEET_VIEWS_TABLES', 'CAN_MANAGE_VERSION_CONTROL', 'THIRDPARTY_ANALYSIS',
  'ALLOW_NON_EMBED_FULL_APP_ACCESS', 'CAN_ACCESS_ANALYST_STUDIO', 'CAN_MANAGE_ANALYST_STUDIO',
  'PREVIEW_DOCUMENT_SEARCH', 'CAN_MODIFY_FOLDERS', 'CAN_MANAGE_VARIABLES', 'CAN_VIEW_FOLDERS',
  'CAN_MANAGE_AGENTSPOT', 'CAN_ACCESS_AGENTSPOT', 'CAN_SETUP_VERSION_CONTROL', 'CAN_MANAGE_WEBHOOKS',
  'CAN_DOWNLOAD_VISUALS', 'CAN_DOWNLOAD_DETAILED_DATA', 'CAN_USE_SPOTTER', 'CAN_MANAGE_SPOTTER',
]);

/** The GraphQL value of a ThoughtSpot privilege string, or null for a string this schema does not list. */
export function toPrivilege(value: string): Privilege | null {
  return ALIASES[value] ?? (Object.hasOwn(PRIVILEGES, value) ? PRIVILEGES[value as Privilege] : null);
}

/**
 * A ThoughtSpot privilege list as GraphQL values: known privileges once each, in ThoughtSpot's order. Strings a
 * newer ThoughtSpot release added are left out (an enum cannot carry them) and reported through `onUnknown`.
 */
export function toPrivilegeList(values: readonly string[], onUnknown?: (value: string) => void): Privilege[] {
  const out = new Set<Privilege>();
  for (const value of values) {
    const privilege = toPrivilege(value);
    if (privilege === null) onUnknown?.(value);
    else out.add(privilege);
  }
  return [...out];
}

/**
 * A `privileges` filter argument for users/search or groups/search: null when absent or empty (an empty list does
 * not filter, as with every list filter of this schema), otherwise the list, after checking each value is one
 * ThoughtSpot can filter by.
 */
export function privilegeFilter(values: readonly Privilege[] | null | undefined, argumentName = 'privileges'): Privilege[] | null {
  if (values == null || values.length === 0) return null;
  const refused = values.filter((value) => !FILTERABLE.has(value));
  if (refused.length > 0) {
    throw badUserInput(
      `Argument "${argumentName}" must list privileges ThoughtSpot can filter by, but got: ${refused.join(', ')}.`,
      argumentName,
    );
  }
  return [...new Set(values)];
}
