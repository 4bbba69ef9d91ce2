// Internal to src/resolvers: `userPasswordReset`. Needs `directory:write`; the user must be a local user of the
// caller's Organizations only, and neither a system principal nor the service account; audited (the password
// redacted, audit.ts); idempotent with a key (the password left out of the fingerprint, mutations.ts).

import type { MutationResolvers } from '../../__generated__/resolvers-types.js';
import { accountChangeProblem, freshUser, mutateOnUser, protectedUserProblem, userScope } from '../shared/lifecycle.js';

/**
 * Sets a local user's password with one `users/reset-password` (the adapter redacts it from anything it records).
 * Messages never contain it: ThoughtSpot's refusal (a password policy) is passed on as its reason only.
 */
export const userPasswordReset: NonNullable<MutationResolvers['userPasswordReset']> = (_root, { input }, ctx) => {
  let newPassword: string | undefined;
  return mutateOnUser(ctx, {
    operation: 'userPasswordReset',
    input,
    check(problems) {
      newPassword = problems.secret(input.newPassword, ['input', 'newPassword']);
    },
    async run(user, problems) {
      const signsInElsewhere = user.accountType !== 'LOCAL_USER' && user.accountType !== null;
      problems.found(
        (await accountChangeProblem(ctx, user)) ??
          (await protectedUserProblem(ctx, user)) ??
          (signsInElsewhere ? { field: ['input', 'id'], message: 'Only local users have a ThoughtSpot password; this user signs in elsewhere.', code: 'NOT_ALLOWED' } : null),
      );
      if (newPassword === undefined) return problems.refusal();
      const password = newPassword;
      return problems.write(
        ['input', 'newPassword'],
        () => ctx.client.resetUserPassword(userScope(user), user.id, password),
        async () => ({ user: await freshUser(ctx, user), userErrors: [] }),
      );
    },
  });
};
