// Internal to src/resolvers: the explicit mapping of the `AccountType` enum, GraphQL value → ThoughtSpot's wire value.
// Codegen types the wire values as the adapter's union (codegen.yml `enumValues`), and `satisfies Required<…>` makes
// a missing or misspelt entry a type error.

import type { AccountTypeResolvers } from '../__generated__/resolvers-types.js';

/** GraphQL value → ThoughtSpot value of `AccountType`. */
export const AccountType = {
  LOCAL: 'LOCAL_USER',
  LDAP: 'LDAP_USER',
  SAML: 'SAML_USER',
  OIDC: 'OIDC_USER',
  REMOTE: 'REMOTE_USER',
} satisfies Required<AccountTypeResolvers>;
