// Internal to src/resolvers: the explicit mapping of the `AccountStatus` enum, GraphQL value → ThoughtSpot's wire value.
// Codegen types the wire values as the adapter's union (codegen.yml `enumValues`), and `satisfies Required<…>` makes
// a missing or misspelt entry a type error.

import type { AccountStatusResolvers } from '../__generated__/resolvers-types.js';

/** GraphQL value → ThoughtSpot value of `AccountStatus`. */
export const AccountStatus = {
  ACTIVE: 'ACTIVE',
  INACTIVE: 'INACTIVE',
  EXPIRED: 'EXPIRED',
  LOCKED: 'LOCKED',
  PENDING: 'PENDING',
  SUSPENDED: 'SUSPENDED',
} satisfies Required<AccountStatusResolvers>;
