// Internal to src/resolvers: `thoughtSpotConnectionTest`. Needs `directory:admin`; audited.

import type { MutationResolvers } from '../../__generated__/resolvers-types.js';
import { audited } from '../shared/audit.js';
import { testConnection } from '../shared/thoughtspot-connections.js';

/** Tests a connection (one sign-in and one `orgs/search`) and records its health. */
export const thoughtSpotConnectionTest: NonNullable<MutationResolvers['thoughtSpotConnectionTest']> = (_root, { input }, ctx) =>
  audited(ctx, { operation: 'thoughtSpotConnectionTest', scope: 'directory:admin', everyOrganization: true, target: { type: 'ThoughtSpotConnection', id: input.id }, input }, async () => {
    const connection = await testConnection(ctx, input.id);
    if (connection === null) {
      return {
        connection: null,
        userErrors: [{ field: ['input', 'id'], message: `No connection with id "${input.id}" is registered.`, code: 'NOT_FOUND' as const }],
      };
    }
    return { connection, userErrors: [] };
  });
