// Internal to src/resolvers: `groupDelete`. Needs `directory:write`; the group must be in one of the caller's
// Organizations and not a system group; audited with that Organization; idempotent with a key.

import type { MutationResolvers } from '../../__generated__/resolvers-types.js';
import { mutateOnGroup } from '../shared/lifecycle.js';

/** Deletes a group with one `groups/{id}/delete` in its Organization. */
export const groupDelete: NonNullable<MutationResolvers['groupDelete']> = (_root, { input }, ctx) =>
  mutateOnGroup(ctx, {
    operation: 'groupDelete',
    input,
    async run(group, problems) {
      // ThoughtSpot refuses these too (CONTRACT.md §11.3), but only after a call, and as a bare 400.
      if (group.systemGroup) problems.add(['input', 'id'], `${group.name} is a system group and cannot be deleted.`, 'NOT_ALLOWED');
      return problems.write(['input', 'id'], () => ctx.client.deleteGroup({ orgId: group.orgId }, group.id), () => ({ deletedGroupId: input.id, userErrors: [] }));
    },
  });
