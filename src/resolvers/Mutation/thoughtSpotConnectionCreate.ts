// Internal to src/resolvers: `thoughtSpotConnectionCreate`. Needs `directory:admin`; audited.

import type { MutationResolvers } from '../../__generated__/resolvers-types.js';
import { StoreConflictError } from '../../store/index.js';
import { audited } from '../shared/audit.js';
import { checkConnectionInput, encryptedCredential, normalizedUrl, storedModel } from '../shared/thoughtspot-connections.js';

/** Registers a connection; its credential is encrypted before it reaches the store. */
export const thoughtSpotConnectionCreate: NonNullable<MutationResolvers['thoughtSpotConnectionCreate']> = (_root, { input }, ctx) =>
  audited(ctx, { operation: 'thoughtSpotConnectionCreate', scope: 'directory:admin', everyOrganization: true, target: { type: 'ThoughtSpotConnection', id: input.id }, input }, async () => {
    const userErrors = checkConnectionInput(ctx, input, true);
    const credential = encryptedCredential(ctx, input);
    if (userErrors.length > 0 || credential === undefined) return { connection: null, userErrors };
    try {
      const created = await ctx.services.store.connections.create({
        id: input.id,
        name: input.name.trim(),
        baseUrl: normalizedUrl(input.baseUrl),
        username: input.username.trim(),
        ...credential,
        createdBy: ctx.caller.subject,
      });
      return { connection: storedModel(created), userErrors: [] };
    } catch (error) {
      if (!(error instanceof StoreConflictError)) throw error;
      return {
        connection: null,
        userErrors: [{ field: ['input', 'id'], message: `A connection with id "${input.id}" already exists.`, code: 'ALREADY_EXISTS' as const }],
      };
    }
  });
