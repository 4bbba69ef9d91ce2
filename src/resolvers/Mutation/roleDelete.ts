// Internal to src/resolvers: `roleDelete`. Needs `directory:write`; the role must be in one of the caller's
// Organizations and not read-only; audited with that Organization; idempotent with a key.

import type { MutationResolvers } from '../../__generated__/resolvers-types.js';
import { mutateOnRole } from '../shared/lifecycle.js';
import { notReadOnly } from '../shared/role-privileges.js';

/** Deletes a role with one `roles/{id}/delete`; ThoughtSpot unassigns it from its groups (CONTRACT.md §16 Q13). */
export const roleDelete: NonNullable<MutationResolvers['roleDelete']> = (_root, { input }, ctx) =>
  mutateOnRole(ctx, {
    operation: 'roleDelete',
    input,
    async run(role, problems) {
      notReadOnly(problems, role, 'deleted');
      return problems.write(['input', 'id'], () => ctx.client.deleteRole({ orgId: role.orgId }, role.id), () => ({ deletedRoleId: input.id, userErrors: [] }));
    },
  });
