// Internal to src/resolvers: `roleCreate`. Needs `directory:write`; the Organization must be the caller's; audited;
// idempotent with a key.

import type { MutationResolvers } from '../../__generated__/resolvers-types.js';
import { toRoleNode } from '../../loaders/index.js';
import { mutateInOrg } from '../shared/lifecycle.js';
import { MAX_ROLE_DESCRIPTION, MAX_ROLE_NAME, rolePrivileges } from '../shared/role-privileges.js';

/** Creates a role with one `roles/create` in its Organization. */
export const roleCreate: NonNullable<MutationResolvers['roleCreate']> = (_root, { input }, ctx) => {
  let name: string | undefined;
  let description: string | undefined;
  let privileges: string[] | undefined;
  return mutateInOrg(ctx, {
    operation: 'roleCreate',
    input,
    orgField: 'organizationId',
    targetType: 'Role',
    check(problems) {
      name = problems.name(input.name, ['input', 'name'], 'A role name', MAX_ROLE_NAME);
      description = problems.text(input.description, ['input', 'description'], 'A role description', MAX_ROLE_DESCRIPTION);
      privileges = rolePrivileges(problems, input.privileges, 'create');
    },
    async run(org, problems) {
      if (name !== undefined && (await ctx.loaders.roleIndex.load(org.id)).byName.has(name)) {
        problems.add(['input', 'name'], 'Another role of this Organization has this name.', 'ALREADY_EXISTS');
      }
      if (name === undefined) return problems.refusal();
      const create = { name, ...(description === undefined ? {} : { description }), ...(privileges === undefined ? {} : { privileges }) };
      return problems.write(
        ['input', 'name'],
        () => ctx.client.createRole({ orgId: org.id }, { ...create, ...(input.readOnly == null ? {} : { readOnly: input.readOnly }) }),
        (created) => ({ role: toRoleNode(created, org.id), userErrors: [] }),
      );
    },
  });
};
