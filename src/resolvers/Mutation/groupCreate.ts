// Internal to src/resolvers: `groupCreate`. Needs `directory:write`; the Organization must be the caller's; audited;
// idempotent with a key.

import type { MutationResolvers } from '../../__generated__/resolvers-types.js';
import { toGroupNode } from '../../loaders/index.js';
import { failed, mutate, userErrorOf, writableOrg } from '../shared/mutations.js';

const MAX_NAME = 255;

/** Creates a group with one `groups/create` in its Organization. */
export const groupCreate: NonNullable<MutationResolvers['groupCreate']> = (_root, { input }, ctx) =>
  mutate(
    ctx,
    {
      operation: 'groupCreate',
      scope: 'directory:write',
      target: { type: 'Group', id: null },
      organizationId: input.organizationId,
      input,
      idempotencyKey: input.idempotencyKey,
    },
    async () => {
      const name = input.name.trim();
      if (name.length === 0 || name.length > MAX_NAME) {
        return failed([{ field: ['input', 'name'], message: `A group name is 1 to ${MAX_NAME} characters, not only spaces.`, code: 'INVALID' }]);
      }
      const { org, error } = await writableOrg(ctx, input.organizationId, ['input', 'organizationId']);
      if (org === null) return failed([error]);
      try {
        const created = await ctx.client.createGroup(
          { orgId: org.id },
          {
            name,
            displayName: input.displayName?.trim() || name,
            ...(input.description == null ? {} : { description: input.description }),
            ...(input.type == null ? {} : { type: input.type }),
            ...(input.visibility == null ? {} : { visibility: input.visibility }),
          },
        );
        return { group: toGroupNode(created, org.id), userErrors: [] };
      } catch (caught) {
        return failed([userErrorOf(caught, ['input', 'name'])]);
      }
    },
  );
