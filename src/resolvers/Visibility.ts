// Internal to src/resolvers: the explicit mapping of the `Visibility` enum, GraphQL value → ThoughtSpot's wire value.
// Codegen types the wire values as the adapter's union (codegen.yml `enumValues`), and `satisfies Required<…>` makes
// a missing or misspelt entry a type error.

import type { VisibilityResolvers } from '../__generated__/resolvers-types.js';

/** GraphQL value → ThoughtSpot value of `Visibility`. */
export const Visibility = { SHAREABLE: 'SHARABLE', NOT_SHAREABLE: 'NON_SHARABLE' } satisfies Required<VisibilityResolvers>;
