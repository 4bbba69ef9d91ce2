// Internal to src/resolvers: `organizationUpdate`. Needs `directory:admin`; the Organization must be the caller's, and
// a new name one its grant names; audited; idempotent with a key.

import type { MutationResolvers } from '../../__generated__/resolvers-types.js';
import { PRIMARY_ORG_ID } from '../../loaders/index.js';
import { MAX_ORG_DESCRIPTION, mutateInOrg, orgName, orgNameTaken, requireGrantedName } from '../shared/lifecycle.js';

/**
 * Renames an Organization or changes its description with one `orgs/{id}/update` (204, no member lists, so no
 * `operation`), then reads the Organizations again, so the payload shows the new state.
 */
export const organizationUpdate: NonNullable<MutationResolvers['organizationUpdate']> = (_root, { input }, ctx) => {
  let name: string | undefined;
  let description: string | undefined;
  return mutateInOrg(ctx, {
    operation: 'organizationUpdate',
    scope: 'directory:admin',
    input,
    orgField: 'id',
    targetType: 'Organization',
    check(problems) {
      name = orgName(problems, input.name);
      description = problems.text(input.description, ['input', 'description'], 'An Organization description', MAX_ORG_DESCRIPTION);
    },
    async run(org, problems) {
      const rename = name !== org.name ? name : undefined;
      if (rename !== undefined) {
        if (org.id === PRIMARY_ORG_ID) problems.add(['input', 'name'], 'The Primary Organization cannot be renamed.', 'NOT_ALLOWED');
        else {
          requireGrantedName(ctx, rename);
          if (await orgNameTaken(ctx, rename, org.id)) problems.add(['input', 'name'], 'An Organization with this name already exists.', 'ALREADY_EXISTS');
        }
      }
      const update = { ...(rename === undefined ? {} : { name: rename }), ...(description === undefined ? {} : { description }) };
      return problems.write(
        rename === undefined ? ['input', 'id'] : ['input', 'name'],
        () => ctx.client.updateOrg({ orgId: PRIMARY_ORG_ID }, String(org.id), update),
        async () => {
          // A rename changes what a restricted caller's view holds (loaders/tenancy.ts), so every read starts again.
          ctx.loaders.clearAll();
          return { organization: (await ctx.loaders.orgIndex()).byId.get(org.id) ?? null, userErrors: [] };
        },
      );
    },
  });
};
