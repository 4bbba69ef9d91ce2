// Public to the rest of src: the executable subgraph schema. The SDL in schema/*.graphql is the source of truth
// (codegen reads the same files); this module only joins it with the resolver map.

import { readFileSync, readdirSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { DocumentNode, GraphQLSchema } from 'graphql';
import { parse } from 'graphql';
import type { Resolvers } from './__generated__/resolvers-types.js';
import { resolvers as defaultResolvers } from './resolvers/index.js';

/** @apollo/subgraph's resolver-map type, which its package does not export by name. */
type SubgraphResolverMap = NonNullable<
  Extract<Extract<Parameters<typeof buildSubgraphSchema>[0], readonly unknown[]>[number], { readonly typeDefs: DocumentNode }>['resolvers']
>;

/**
 * Where the SDL lives: `schema/` at the project root, one level above this module both in `src/` (tsx) and in
 * `dist/` (the compiled build), so the same URL works for both.
 */
export const SCHEMA_DIRECTORY = new URL('../schema/', import.meta.url);

/** Reads and parses every `.graphql` file of the schema directory, in file-name order, as one document. */
export function loadTypeDefs(directory: URL = SCHEMA_DIRECTORY): DocumentNode {
  const files = readdirSync(directory)
    .filter((name) => name.endsWith('.graphql'))
    .sort();
  if (files.length === 0) throw new Error(`Expected .graphql files in ${directory.pathname}, but found none.`);
  const source = files.map((name) => readFileSync(new URL(name, directory), 'utf8')).join('\n');
  return parse(source);
}

/** Builds the federation subgraph schema from the SDL and the resolver map. */
export function buildSchema(resolvers: Resolvers = defaultResolvers, typeDefs: DocumentNode = loadTypeDefs()): GraphQLSchema {
  // Codegen's Resolvers type is stricter than @apollo/subgraph's map type (it knows every field); they describe
  // the same object.
  return buildSubgraphSchema([{ typeDefs, resolvers: resolvers as SubgraphResolverMap }]);
}
