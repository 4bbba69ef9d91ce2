// Internal to src/resolvers: `organizationUsersRemove`. Needs `directory:write`; the Organization must be the
// caller's; audited; idempotent with a key; all or nothing (resolvers/shared/relationships.ts).

import type { MutationResolvers } from '../../__generated__/resolvers-types.js';
import { changeOrganizationUsers } from '../shared/relationships.js';

/** Removes users from an Organization: one `orgs/{id}/update` with `operation: REMOVE`, or none when nothing changes. */
export const organizationUsersRemove: NonNullable<MutationResolvers['organizationUsersRemove']> = (_root, { input }, ctx) =>
  changeOrganizationUsers(ctx, 'organizationUsersRemove', 'REMOVE', input);
