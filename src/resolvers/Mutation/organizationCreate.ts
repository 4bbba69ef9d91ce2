// Internal to src/resolvers: `organizationCreate`. Needs `directory:admin` and a grant of every Organization or of the
// new one's name; audited with that name; idempotent with a key.

import type { MutationResolvers } from '../../__generated__/resolvers-types.js';
import { PRIMARY_ORG_ID } from '../../loaders/index.js';
import { MAX_ORG_DESCRIPTION, Problems, isOrgName, orgName, orgNameTaken, requireGrantedName } from '../shared/lifecycle.js';
import { mutate } from '../shared/mutations.js';

/**
 * Creates an Organization with one `orgs/create` (a Primary-Org call, CONTRACT.md §11.4). A signup flow holds a token
 * granted just the new tenant's name, and so provisions its own tenant and nothing else.
 */
export const organizationCreate: NonNullable<MutationResolvers['organizationCreate']> = (_root, { input }, ctx) => {
  // The event names the Organization only when it may be created: a name the caller's grant does not hold is not
  // named (that tenant would see the attempt), nor one ThoughtSpot would refuse.
  const named = isOrgName(input.name) && (ctx.caller.orgs === '*' || ctx.caller.orgs.has(input.name));
  return mutate(
    ctx,
    {
      operation: 'organizationCreate',
      scope: 'directory:admin',
      target: { type: 'Organization', id: null },
      input,
      idempotencyKey: input.idempotencyKey,
      organization: named ? { id: null, name: input.name } : null,
    },
    async () => {
      const problems = new Problems();
      const name = orgName(problems, input.name);
      const description = problems.text(input.description, ['input', 'description'], 'An Organization description', MAX_ORG_DESCRIPTION);
      if (name === undefined) return problems.refusal();
      requireGrantedName(ctx, name);
      if (await orgNameTaken(ctx, name)) problems.add(['input', 'name'], 'An Organization with this name already exists.', 'ALREADY_EXISTS');
      return problems.write(
        ['input', 'name'],
        () => ctx.client.createOrg({ orgId: PRIMARY_ORG_ID }, { name, ...(description === undefined ? {} : { description }) }),
        (organization) => ({ organization, userErrors: [] }),
      );
    },
  );
};
