// Internal to src/resolvers: `userUpdate`. Needs `directory:write`; the user must belong to the caller's
// Organizations only (the account is cluster-wide); audited with the Organization the write runs in; idempotent.

import type { MutationResolvers } from '../../__generated__/resolvers-types.js';
import { accountChangeProblem, freshUser, mutateOnUser, protectedUserProblem, userScope } from '../shared/lifecycle.js';

/**
 * Changes a user's account with one `users/{id}/update` (204, no list field, so no `operation`) in the token scope
 * of one of the caller's Organizations of the user, then reads the user back.
 */
export const userUpdate: NonNullable<MutationResolvers['userUpdate']> = (_root, { input }, ctx) => {
  let username: string | undefined;
  let displayName: string | undefined;
  let email: string | undefined;
  let preferredLocale: string | undefined;
  return mutateOnUser(ctx, {
    operation: 'userUpdate',
    input,
    check(problems) {
      username = problems.name(input.username, ['input', 'username'], 'A username');
      displayName = problems.name(input.displayName, ['input', 'displayName'], 'A display name');
      email = problems.name(input.email, ['input', 'email'], 'An e-mail address');
      preferredLocale = problems.name(input.preferredLocale, ['input', 'preferredLocale'], 'A locale');
    },
    async run(user, problems) {
      const rename = username !== undefined && username !== user.name ? username : undefined;
      problems.found((await accountChangeProblem(ctx, user)) ?? (rename === undefined ? null : await protectedUserProblem(ctx, user)));
      const update = {
        ...(rename === undefined ? {} : { name: rename }),
        ...(displayName === undefined ? {} : { displayName }),
        ...(email === undefined ? {} : { email }),
        ...(input.visibility == null ? {} : { visibility: input.visibility }),
        ...(preferredLocale === undefined ? {} : { preferredLocale }),
      };
      return problems.write(
        rename === undefined ? ['input', 'id'] : ['input', 'username'],
        () => ctx.client.updateUser(userScope(user), user.id, update),
        async () => ({ user: await freshUser(ctx, user), userErrors: [] }),
      );
    },
  });
};
