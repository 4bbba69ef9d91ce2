// Internal to src/resolvers: `groupRolesAssign`. Needs `directory:write`; the group's Organization must be the
// caller's; audited; idempotent with a key; all or nothing (resolvers/shared/relationships.ts).

import type { MutationResolvers } from '../../__generated__/resolvers-types.js';
import { GROUP_ROLES, changeGroupRelation } from '../shared/relationships.js';

/** Assigns roles to a group: one `groups/{id}/update` with `operation: ADD`, or none when nothing changes. */
export const groupRolesAssign: NonNullable<MutationResolvers['groupRolesAssign']> = (_root, { input }, ctx) =>
  changeGroupRelation(ctx, 'groupRolesAssign', GROUP_ROLES, 'ADD', input, input.roleIds);
