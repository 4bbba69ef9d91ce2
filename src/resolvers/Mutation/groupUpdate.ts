// Internal to src/resolvers: `groupUpdate`. Needs `directory:write`; the group must be in one of the caller's
// Organizations; audited with that Organization; idempotent with a key.

import type { MutationResolvers } from '../../__generated__/resolvers-types.js';
import { mutateOnGroup } from '../shared/lifecycle.js';

/**
 * Changes a group's attributes with one `groups/{id}/update` (204, no list field, so no `operation`), then reads
 * the group back from its Organization's group index, so the payload shows what ThoughtSpot now holds.
 */
export const groupUpdate: NonNullable<MutationResolvers['groupUpdate']> = (_root, { input }, ctx) => {
  let name: string | undefined;
  let displayName: string | undefined;
  let description: string | undefined;
  return mutateOnGroup(ctx, {
    operation: 'groupUpdate',
    input,
    check(problems) {
      name = problems.name(input.name, ['input', 'name'], 'A group name');
      displayName = problems.name(input.displayName, ['input', 'displayName'], 'A display name');
      description = problems.text(input.description, ['input', 'description'], 'A description');
    },
    async run(group, problems) {
      if (name !== undefined && name !== group.name) {
        const index = await ctx.loaders.groupIndex.load(group.orgId);
        if (group.systemGroup) problems.add(['input', 'name'], `${group.name} is a system group and cannot be renamed.`, 'NOT_ALLOWED');
        else if (index.byName.has(name)) problems.add(['input', 'name'], 'Another group of this Organization has this name.', 'ALREADY_EXISTS');
      }
      return problems.write(
        name === undefined ? ['input', 'id'] : ['input', 'name'],
        () =>
          ctx.client.updateGroup({ orgId: group.orgId }, group.id, {
            ...(name === undefined ? {} : { name }),
            ...(displayName === undefined ? {} : { displayName }),
            ...(description === undefined ? {} : { description }),
            ...(input.type == null ? {} : { type: input.type }),
            ...(input.visibility == null ? {} : { visibility: input.visibility }),
          }),
        async () => {
          ctx.loaders.groupIndex.clear(group.orgId);
          return { group: (await ctx.loaders.groupIndex.load(group.orgId)).byId.get(group.id) ?? null, userErrors: [] };
        },
      );
    },
  });
};
