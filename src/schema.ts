// Public to the rest of src: the executable subgraph schema. The SDL in schema/*.graphql is the source of truth
// (codegen reads the same files); this module only joins it with the resolver map.

import { readFileSync, readdirSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { DocumentNode, GraphQLFieldResolver, GraphQLSchema } from 'graphql';
import { Kind, parse } from 'graphql';
import { badUserInput } from './errors/codes.js';
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
  const schema = buildSubgraphSchema([{ typeDefs, resolvers: resolvers as SubgraphResolverMap }]);
  guardEntities(schema, entityKeys(typeDefs));
  return schema;
}

/** Each entity type's keys, from its `@key(fields: "…")` directives (single-field keys, as this schema has). */
export function entityKeys(typeDefs: DocumentNode): ReadonlyMap<string, readonly string[]> {
  const keys = new Map<string, string[]>();
  for (const definition of typeDefs.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION) continue;
    for (const directive of definition.directives ?? []) {
      if (directive.name.value !== 'key') continue;
      const fields = directive.arguments?.find((argument) => argument.name.value === 'fields')?.value;
      if (fields?.kind !== Kind.STRING) continue;
      keys.set(definition.name.value, [...(keys.get(definition.name.value) ?? []), fields.value.trim()]);
    }
  }
  return keys;
}

/**
 * Checks every `_entities` representation before any of them is looked up. @apollo/subgraph maps representations to
 * lookups one after the other, so a representation that throws synchronously (an unknown `__typename`) after an
 * earlier one has started an asynchronous lookup leaves that lookup's rejection unhandled, which ends a Node
 * process. Validating all of them first means a malformed batch is one BAD_USER_INPUT naming the first bad entry,
 * and no lookup starts.
 */
function guardEntities(schema: GraphQLSchema, keys: ReadonlyMap<string, readonly string[]>): void {
  const field = schema.getQueryType()?.getFields()['_entities'];
  if (field === undefined) return;
  const resolve = field.resolve as GraphQLFieldResolver<unknown, unknown, { representations: unknown }>;
  field.resolve = (source, args, context, info) => {
    const { representations } = args;
    if (!Array.isArray(representations)) {
      throw badUserInput('Argument "representations" must be a list of entity representations.', 'representations');
    }
    representations.forEach((representation, index) => checkRepresentation(representation, index, keys));
    return resolve(source, args, context, info);
  };
}

function checkRepresentation(representation: unknown, index: number, keys: ReadonlyMap<string, readonly string[]>): void {
  const where = `representations[${index}]`;
  const fail = (problem: string): never => {
    throw badUserInput(`Argument "${where}" ${problem}.`, 'representations');
  };
  if (typeof representation !== 'object' || representation === null || Array.isArray(representation)) {
    fail(`must be an object with "__typename" and a key field, but got: ${representation === null ? 'null' : Array.isArray(representation) ? 'a list' : typeof representation}`);
  }
  const fields = representation as Record<string, unknown>;
  const typename = fields['__typename'];
  const typeKeys = typeof typename === 'string' ? keys.get(typename) : undefined;
  if (typeKeys === undefined) {
    fail(`must have "__typename" naming one of ${[...keys.keys()].join(', ')}, but got: ${typeof typename === 'string' ? JSON.stringify(typename.slice(0, 64)) : String(typename)}`);
    return;
  }
  if (!typeKeys.some((key) => typeof fields[key] === 'string')) {
    fail(`must carry one of the keys of ${String(typename)} (${typeKeys.join(', ')}) as a string`);
  }
}
