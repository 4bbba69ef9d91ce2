// Internal to src/resolvers: `thoughtSpotConnectionDelete`. Needs `directory:admin`; audited.

import type { MutationResolvers } from '../../__generated__/resolvers-types.js';
import { audited } from '../shared/audit.js';

/** Removes a registered connection and closes its client; its audit events stay. */
export const thoughtSpotConnectionDelete: NonNullable<MutationResolvers['thoughtSpotConnectionDelete']> = (_root, { input }, ctx) =>
  audited(ctx, { operation: 'thoughtSpotConnectionDelete', scope: 'directory:admin', everyOrganization: true, target: { type: 'ThoughtSpotConnection', id: input.id }, input }, async () => {
    if (input.id === ctx.services.defaultConnection.id) {
      return {
        deletedConnectionId: null,
        userErrors: [{ field: ['input', 'id'], message: 'The default connection is configured by environment and cannot be removed.', code: 'NOT_ALLOWED' as const }],
      };
    }
    if (!(await ctx.services.store.connections.delete(input.id))) {
      return {
        deletedConnectionId: null,
        userErrors: [{ field: ['input', 'id'], message: `No connection with id "${input.id}" is registered.`, code: 'NOT_FOUND' as const }],
      };
    }
    await ctx.services.connections.forget(input.id);
    return { deletedConnectionId: input.id, userErrors: [] };
  });
