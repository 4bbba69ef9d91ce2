// Internal to src/resolvers: `groupSubGroupsAdd`. Needs `directory:write`; the group's Organization must be the
// caller's; audited; idempotent with a key; all or nothing (resolvers/shared/relationships.ts).

import type { MutationResolvers } from '../../__generated__/resolvers-types.js';
import { GROUP_SUB_GROUPS, changeGroupRelation } from '../shared/relationships.js';

/** Makes groups sub-groups of a group: one `groups/{id}/update` with `operation: ADD`, or none when nothing changes. */
export const groupSubGroupsAdd: NonNullable<MutationResolvers['groupSubGroupsAdd']> = (_root, { input }, ctx) =>
  changeGroupRelation(ctx, 'groupSubGroupsAdd', GROUP_SUB_GROUPS, 'ADD', input, input.subGroupIds);
