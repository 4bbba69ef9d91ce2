// Internal to src/resolvers: `organizationUsersAdd`. Needs `directory:write`; the Organization must be the caller's;
// audited; idempotent with a key; all or nothing (resolvers/shared/relationships.ts).

import type { MutationResolvers } from '../../__generated__/resolvers-types.js';
import { changeOrganizationUsers } from '../shared/relationships.js';

/** Adds existing users to an Organization: one `orgs/{id}/update` with `operation: ADD`, or none when nothing changes. */
export const organizationUsersAdd: NonNullable<MutationResolvers['organizationUsersAdd']> = (_root, { input }, ctx) =>
  changeOrganizationUsers(ctx, 'organizationUsersAdd', 'ADD', input);
