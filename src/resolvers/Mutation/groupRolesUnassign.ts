// Internal to src/resolvers: `groupRolesUnassign`. Needs `directory:write`; the group's Organization must be the
// caller's; audited; idempotent with a key; all or nothing (resolvers/shared/relationships.ts).

import type { MutationResolvers } from '../../__generated__/resolvers-types.js';
import { GROUP_ROLES, changeGroupRelation } from '../shared/relationships.js';

/** Takes roles away from a group: one `groups/{id}/update` with `operation: REMOVE`, or none when nothing changes. */
export const groupRolesUnassign: NonNullable<MutationResolvers['groupRolesUnassign']> = (_root, { input }, ctx) =>
  changeGroupRelation(ctx, 'groupRolesUnassign', GROUP_ROLES, 'REMOVE', input, input.roleIds);
