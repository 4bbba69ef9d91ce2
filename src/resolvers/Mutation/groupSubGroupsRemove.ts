// Internal to src/resolvers: `groupSubGroupsRemove`. Needs `directory:write`; the group's Organization must be the
// caller's; audited; idempotent with a key; all or nothing (resolvers/shared/relationships.ts).

import type { MutationResolvers } from '../../__generated__/resolvers-types.js';
import { GROUP_SUB_GROUPS, changeGroupRelation } from '../shared/relationships.js';

/** Takes groups out of a group's sub-groups: one `groups/{id}/update` with `operation: REMOVE`, or none when nothing changes. */
export const groupSubGroupsRemove: NonNullable<MutationResolvers['groupSubGroupsRemove']> = (_root, { input }, ctx) =>
  changeGroupRelation(ctx, 'groupSubGroupsRemove', GROUP_SUB_GROUPS, 'REMOVE', input, input.subGroupIds);
