// Internal to src/resolvers: the explicit mapping of the `RolePermission` enum, GraphQL value → ThoughtSpot's wire value.
// Codegen types the wire values as the adapter's union (codegen.yml `enumValues`), and `satisfies Required<…>` makes
// a missing or misspelt entry a type error.

import type { RolePermissionResolvers } from '../__generated__/resolvers-types.js';

/** GraphQL value → ThoughtSpot value of `RolePermission`. */
export const RolePermission = { READ_ONLY: 'READ_ONLY', MODIFY: 'MODIFY', NO_ACCESS: 'NO_ACCESS' } satisfies Required<RolePermissionResolvers>;
