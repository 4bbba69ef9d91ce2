// Internal to src/resolvers: the Mutation map, one file per field.

import type { MutationResolvers } from '../../__generated__/resolvers-types.js';
import { groupCreate } from './groupCreate.js';
import { thoughtSpotConnectionCreate } from './thoughtSpotConnectionCreate.js';
import { thoughtSpotConnectionDelete } from './thoughtSpotConnectionDelete.js';
import { thoughtSpotConnectionTest } from './thoughtSpotConnectionTest.js';
import { thoughtSpotConnectionUpdate } from './thoughtSpotConnectionUpdate.js';

/** Resolvers of `Mutation`. */
export const Mutation: MutationResolvers = {
  groupCreate,
  thoughtSpotConnectionCreate,
  thoughtSpotConnectionUpdate,
  thoughtSpotConnectionDelete,
  thoughtSpotConnectionTest,
};
