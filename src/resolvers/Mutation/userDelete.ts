// Internal to src/resolvers: `userDelete`. Needs `directory:write`; the user must belong to one of the caller's
// Organizations; audited with the Organization the write runs in; idempotent with a key.

import type { MutationResolvers } from '../../__generated__/resolvers-types.js';
import { PRIMARY_ORG_ID } from '../../loaders/index.js';
import { belongsOutsideGrant, mutateOnUser, protectedUserProblem, userScope } from '../shared/lifecycle.js';

/**
 * Removes a user from the caller's Organizations. ThoughtSpot's `users/{id}/delete` deletes the user from the whole
 * cluster (CONTRACT.md §11.2), which is what the caller means only when every Organization of the user is its own;
 * then one delete is sent. A user who also belongs to an Organization outside the caller's grant is shared with
 * another tenant, whose access a careful administrator leaves alone: one `users/{id}/update` with
 * `org_identifiers` (the caller's Organizations of the user) and `operation: REMOVE` takes it out of the caller's
 * Organizations and their groups, and keeps the account. That update runs with a Primary-Org token: only there may
 * Org memberships change (§16 Q18). The payload is the same either way, so it tells nothing of other tenants.
 */
export const userDelete: NonNullable<MutationResolvers['userDelete']> = (_root, { input }, ctx) =>
  mutateOnUser(ctx, {
    operation: 'userDelete',
    input,
    async run(user, problems) {
      problems.found(await protectedUserProblem(ctx, user));
      if (problems.any) return problems.refusal();
      const shared = await belongsOutsideGrant(ctx, user);
      const remove = { orgIdentifiers: user.orgs.map((org) => String(org.id)), operation: 'REMOVE' } as const;
      return problems.write(
        ['input', 'id'],
        () => (shared ? ctx.client.updateUser({ orgId: PRIMARY_ORG_ID }, user.id, remove) : ctx.client.deleteUser(userScope(user), user.id)),
        () => ({ deletedUserId: input.id, userErrors: [] }),
      );
    },
  });
