// Internal to src/resolvers: `userActivate`. Needs `directory:write`; the user must belong to the caller's
// Organizations only; audited with the Organization the write runs in; idempotent with a key.

import type { MutationResolvers } from '../../__generated__/resolvers-types.js';
import { accountChangeProblem, freshUser, mutateOnUser, userScope } from '../shared/lifecycle.js';

/**
 * Sets the account status back to ACTIVE with one `users/{id}/update`. ThoughtSpot's `users/activate` is the end
 * user's own step: it needs the one-off token of an activation link and sets a password; an administrator's
 * reactivation is the status change.
 */
export const userActivate: NonNullable<MutationResolvers['userActivate']> = (_root, { input }, ctx) =>
  mutateOnUser(ctx, {
    operation: 'userActivate',
    input,
    async run(user, problems) {
      problems.found(await accountChangeProblem(ctx, user));
      return problems.write(
        ['input', 'id'],
        () => ctx.client.updateUser(userScope(user), user.id, { accountStatus: 'ACTIVE' }),
        async () => ({ user: await freshUser(ctx, user), userErrors: [] }),
      );
    },
  });
