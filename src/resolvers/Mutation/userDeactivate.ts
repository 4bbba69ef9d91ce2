// Internal to src/resolvers: `userDeactivate`. Needs `directory:write`; the user must belong to the caller's
// Organizations only and be neither a system principal nor the service account; audited; idempotent with a key.

import type { MutationResolvers } from '../../__generated__/resolvers-types.js';
import { accountChangeProblem, freshUser, mutateOnUser, protectedUserProblem, serviceAccountOf, userScope } from '../shared/lifecycle.js';

/**
 * Deactivates a user with ThoughtSpot's own `users/deactivate`, which also ends the user's sessions and tokens, then
 * reads the user back. The endpoint answers with an activation link whose token lets anyone holding it reactivate
 * the account and choose its password: it is a credential, so it is dropped here, never returned, stored or logged.
 * `base_url` (the host of that link) is the connection's cluster URL.
 */
export const userDeactivate: NonNullable<MutationResolvers['userDeactivate']> = (_root, { input }, ctx) =>
  mutateOnUser(ctx, {
    operation: 'userDeactivate',
    input,
    async run(user, problems) {
      problems.found((await accountChangeProblem(ctx, user)) ?? (await protectedUserProblem(ctx, user)));
      if (problems.any) return problems.refusal();
      const cluster = await serviceAccountOf(ctx);
      if (cluster === null) throw new Error(`Connection ${ctx.connectionId} vanished while a user was being deactivated.`);
      return problems.write(
        ['input', 'id'],
        // The answer, the activation link, is dropped here (see above).
        () => ctx.client.deactivateUser(userScope(user), user.id, cluster.baseUrl),
        async () => ({ user: await freshUser(ctx, user), userErrors: [] }),
      );
    },
  });
