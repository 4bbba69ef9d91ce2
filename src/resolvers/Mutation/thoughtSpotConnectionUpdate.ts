// Internal to src/resolvers: `thoughtSpotConnectionUpdate`. Needs `directory:admin`; audited.

import type { MutationResolvers } from '../../__generated__/resolvers-types.js';
import { StoreNotFoundError } from '../../store/index.js';
import { audited } from '../shared/audit.js';
import { checkConnectionInput, connectionPatch, reencrypted, storedModel } from '../shared/thoughtspot-connections.js';

/**
 * Changes a registered connection; this replica drops its client at once, the others within REVALIDATE_MS. A stored
 * credential still under a previous key is re-encrypted under SECRETS_KEY on the way (key rotation).
 */
export const thoughtSpotConnectionUpdate: NonNullable<MutationResolvers['thoughtSpotConnectionUpdate']> = (_root, { input }, ctx) =>
  audited(ctx, { operation: 'thoughtSpotConnectionUpdate', scope: 'directory:admin', everyOrganization: true, target: { type: 'ThoughtSpotConnection', id: input.id }, input }, async () => {
    const userErrors = checkConnectionInput(ctx, input, false);
    if (userErrors.length > 0) return { connection: null, userErrors };
    try {
      const patch = { ...(await reencrypted(ctx, input.id)), ...connectionPatch(ctx, input) };
      const updated = await ctx.services.store.connections.update(input.id, patch, { updatedBy: ctx.caller.subject });
      await ctx.services.connections.forget(input.id);
      return { connection: storedModel(updated), userErrors: [] };
    } catch (error) {
      if (!(error instanceof StoreNotFoundError)) throw error;
      return {
        connection: null,
        userErrors: [{ field: ['input', 'id'], message: `No connection with id "${input.id}" is registered.`, code: 'NOT_FOUND' as const }],
      };
    }
  });
