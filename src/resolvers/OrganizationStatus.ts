// Internal to src/resolvers: the explicit mapping of the `OrganizationStatus` enum, GraphQL value → ThoughtSpot's wire value.
// Codegen types the wire values as the adapter's union (codegen.yml `enumValues`), and `satisfies Required<…>` makes
// a missing or misspelt entry a type error.

import type { OrganizationStatusResolvers } from '../__generated__/resolvers-types.js';

/** GraphQL value → ThoughtSpot value of `OrganizationStatus`. */
export const OrganizationStatus = { ACTIVE: 'ACTIVE', INACTIVE: 'IN_ACTIVE' } satisfies Required<OrganizationStatusResolvers>;
