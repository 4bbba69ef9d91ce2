// Internal to src/resolvers: the Node interface. Node models are told apart by their shape (loaders/models.ts).

import type { NodeResolvers } from '../__generated__/resolvers-types.js';
import { typenameOf } from '../loaders/index.js';

/** Resolvers of `Node`. */
export const Node: NodeResolvers = {
  __resolveType: (model) => typenameOf(model),
};
