// Internal to src/resolvers: `groupMembersAdd`. Needs `directory:write`; the group's Organization must be the
// caller's; audited; idempotent with a key; all or nothing (resolvers/shared/relationships.ts).

import type { MutationResolvers } from '../../__generated__/resolvers-types.js';
import { GROUP_MEMBERS, changeGroupRelation } from '../shared/relationships.js';

/** Adds users to a group: one `groups/{id}/update` with `operation: ADD`, or none when nothing changes. */
export const groupMembersAdd: NonNullable<MutationResolvers['groupMembersAdd']> = (_root, { input }, ctx) =>
  changeGroupRelation(ctx, 'groupMembersAdd', GROUP_MEMBERS, 'ADD', input, input.userIds);
