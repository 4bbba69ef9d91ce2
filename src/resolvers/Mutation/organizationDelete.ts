// Internal to src/resolvers: `organizationDelete`. Needs `directory:admin`; the Organization must be the caller's and
// not the Primary Organization; audited; idempotent with a key.

import type { MutationResolvers } from '../../__generated__/resolvers-types.js';
import { PRIMARY_ORG_ID } from '../../loaders/index.js';
import { mutateInOrg } from '../shared/lifecycle.js';

/**
 * Deletes an Organization with one `orgs/{id}/delete`. ThoughtSpot deletes its groups and roles and the users who
 * belong to no other Organization; members of other Organizations only lose this membership (CONTRACT.md §3), so no
 * other tenant's user is deleted.
 */
export const organizationDelete: NonNullable<MutationResolvers['organizationDelete']> = (_root, { input }, ctx) =>
  mutateInOrg(ctx, {
    operation: 'organizationDelete',
    scope: 'directory:admin',
    input,
    orgField: 'id',
    targetType: 'Organization',
    async run(org, problems) {
      if (org.id === PRIMARY_ORG_ID) problems.add(['input', 'id'], 'The Primary Organization cannot be deleted.', 'NOT_ALLOWED');
      return problems.write(['input', 'id'], () => ctx.client.deleteOrg({ orgId: PRIMARY_ORG_ID }, String(org.id)), () => ({ deletedOrganizationId: input.id, userErrors: [] }));
    },
  });
