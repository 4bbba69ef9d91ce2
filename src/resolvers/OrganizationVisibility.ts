// Internal to src/resolvers: the explicit mapping of the `OrganizationVisibility` enum, GraphQL value → ThoughtSpot's wire value.
// Codegen types the wire values as the adapter's union (codegen.yml `enumValues`), and `satisfies Required<…>` makes
// a missing or misspelt entry a type error.

import type { OrganizationVisibilityResolvers } from '../__generated__/resolvers-types.js';

/** GraphQL value → ThoughtSpot value of `OrganizationVisibility`. */
export const OrganizationVisibility = { VISIBLE: 'SHOW', HIDDEN: 'HIDDEN' } satisfies Required<OrganizationVisibilityResolvers>;
