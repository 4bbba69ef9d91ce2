// Internal to src/resolvers: `userCreate`. Needs `directory:write`; the Organization, and every group named, must be
// the caller's; audited with the Organization; idempotent with a key (the password is left out of the fingerprint).

import type { MutationResolvers } from '../../__generated__/resolvers-types.js';
import type { Context } from '../../context.js';
import type { OrgRecord } from '../../thoughtspot/index.js';
import { findGroup, mutateInOrg, type Problems } from '../shared/lifecycle.js';

/** A loose check that catches typing slips (no `@`, spaces) without pretending to validate an address. */
const EMAIL = /^[^\s@]+@[^\s@]+$/;

/**
 * Creates a user with one `users/create` in the Organization's token scope, which makes the user a member of that
 * Organization and of the groups named (CONTRACT.md §3: `group_identifiers` apply in the token's Org). ThoughtSpot
 * answers with the new user, which the payload shows.
 */
export const userCreate: NonNullable<MutationResolvers['userCreate']> = (_root, { input }, ctx) => {
  let username: string | undefined;
  let displayName: string | undefined;
  let email: string | undefined;
  let password: string | undefined;
  const accountType = input.accountType ?? 'LOCAL_USER';
  return mutateInOrg(ctx, {
    operation: 'userCreate',
    input,
    orgField: 'organizationId',
    targetType: 'User',
    check(problems) {
      username = problems.name(input.username, ['input', 'username'], 'A username');
      displayName = problems.name(input.displayName, ['input', 'displayName'], 'A display name');
      email = problems.name(input.email, ['input', 'email'], 'An e-mail address');
      if (email !== undefined && !EMAIL.test(email)) problems.add(['input', 'email'], 'An e-mail address looks like name@domain.');
      if (accountType === 'LOCAL_USER') {
        if (input.password == null) problems.add(['input', 'password'], 'A local user needs a password to sign in with.');
        else password = problems.secret(input.password, ['input', 'password']);
      } else if (input.password != null) {
        problems.add(['input', 'password'], 'Only local users sign in with a ThoughtSpot password; leave it out for this account type.');
      }
    },
    async run(org, problems) {
      const groupIds = await groupsIn(ctx, org, input.groupIds ?? [], problems);
      if (username === undefined || email === undefined) return problems.refusal();
      const create = {
        name: username,
        displayName: displayName ?? username,
        email,
        accountType,
        ...(password === undefined ? {} : { password }),
        ...(input.visibility == null ? {} : { visibility: input.visibility }),
        orgIdentifiers: [String(org.id)],
        ...(groupIds.length === 0 ? {} : { groupIdentifiers: groupIds }),
      };
      return problems.write(['input', 'username'], () => ctx.client.createUser({ orgId: org.id }, create), (user) => ({ user, userErrors: [] }));
    },
  });
};

// Private: the GUIDs of the groups `ids` names, each a group of `org` (one group index read); every other ID is a
// NOT_FOUND problem on its own list element, as a group that does not exist.
async function groupsIn(ctx: Context, org: OrgRecord, ids: readonly string[], problems: Problems): Promise<string[]> {
  const guids = new Set<string>();
  const found = await Promise.all(ids.map((id, index) => findGroup(ctx, id, ['input', 'groupIds', String(index)])));
  found.forEach((group, index) => {
    if ('error' in group) problems.list.push(group.error);
    else if (group.value.orgId !== org.id) problems.add(['input', 'groupIds', String(index)], 'No group with this ID exists in this Organization.', 'NOT_FOUND');
    else guids.add(group.value.id);
  });
  return [...guids];
}
