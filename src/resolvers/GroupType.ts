// Internal to src/resolvers: the explicit mapping of the `GroupType` enum, GraphQL value → ThoughtSpot's wire value.
// Codegen types the wire values as the adapter's union (codegen.yml `enumValues`), and `satisfies Required<…>` makes
// a missing or misspelt entry a type error.

import type { GroupTypeResolvers } from '../__generated__/resolvers-types.js';

/** GraphQL value → ThoughtSpot value of `GroupType`. */
export const GroupType = { LOCAL: 'LOCAL_GROUP', LDAP: 'LDAP_GROUP', TEAM: 'TEAM_GROUP', TENANT: 'TENANT_GROUP' } satisfies Required<GroupTypeResolvers>;
