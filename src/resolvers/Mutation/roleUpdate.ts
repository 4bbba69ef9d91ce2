// Internal to src/resolvers: `roleUpdate`. Needs `directory:write`; the role must be in one of the caller's
// Organizations and not read-only; audited with that Organization; idempotent with a key.

import type { MutationResolvers } from '../../__generated__/resolvers-types.js';
import { toRoleNode } from '../../loaders/index.js';
import { mutateOnRole } from '../shared/lifecycle.js';
import { MAX_ROLE_DESCRIPTION, MAX_ROLE_NAME, notReadOnly, rolePrivileges } from '../shared/role-privileges.js';

/**
 * Changes a role with one `roles/{id}/update`. ThoughtSpot wants the name on every role update, so the current one
 * is sent when the input leaves it out; `privileges`, when given, replace the role's (CONTRACT.md §16 Q13). The
 * update answers with the role as it now is, which the payload shows.
 */
export const roleUpdate: NonNullable<MutationResolvers['roleUpdate']> = (_root, { input }, ctx) => {
  let name: string | undefined;
  let description: string | undefined;
  let privileges: string[] | undefined;
  return mutateOnRole(ctx, {
    operation: 'roleUpdate',
    input,
    check(problems) {
      name = problems.name(input.name, ['input', 'name'], 'A role name', MAX_ROLE_NAME);
      description = problems.text(input.description, ['input', 'description'], 'A role description', MAX_ROLE_DESCRIPTION);
      privileges = rolePrivileges(problems, input.privileges, 'update');
    },
    async run(role, problems) {
      notReadOnly(problems, role, 'changed');
      if (name !== undefined && name !== role.name && (await ctx.loaders.roleIndex.load(role.orgId)).byName.has(name)) {
        problems.add(['input', 'name'], 'Another role of this Organization has this name.', 'ALREADY_EXISTS');
      }
      const update = { name: name ?? role.name, ...(description === undefined ? {} : { description }), ...(privileges === undefined ? {} : { privileges }) };
      return problems.write(
        name === undefined ? ['input', 'id'] : ['input', 'name'],
        () => ctx.client.updateRole({ orgId: role.orgId }, role.id, update),
        (updated) => ({ role: toRoleNode(updated, role.orgId), userErrors: [] }),
      );
    },
  });
};
