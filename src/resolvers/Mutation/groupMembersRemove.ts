// Internal to src/resolvers: `groupMembersRemove`. Needs `directory:write`; the group's Organization must be the
// caller's; audited; idempotent with a key; all or nothing (resolvers/shared/relationships.ts).

import type { MutationResolvers } from '../../__generated__/resolvers-types.js';
import { GROUP_MEMBERS, changeGroupRelation } from '../shared/relationships.js';

/** Removes users from a group: one `groups/{id}/update` with `operation: REMOVE`, or none when nothing changes. */
export const groupMembersRemove: NonNullable<MutationResolvers['groupMembersRemove']> = (_root, { input }, ctx) =>
  changeGroupRelation(ctx, 'groupMembersRemove', GROUP_MEMBERS, 'REMOVE', input, input.userIds);
