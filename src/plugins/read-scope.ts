// Internal to src (used by app.ts): the scope every read needs. A query that reads the directory needs
// `directory:read` (which `directory:write` and `directory:admin` imply); it is checked once per operation, before
// any resolver runs, so a caller without it costs no upstream call. Writes check their own scope, field by field,
// and leave an audit event when refused (resolvers/shared/audit.ts).
//
// Exempt are the fields that show the schema and nothing of the directory: `__typename`, introspection (when the
// environment allows it) and federation's `_service { sdl }`, which a router may fetch to compose the supergraph.

import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';
import { hasScope } from '../auth/index.js';
import type { Context } from '../context.js';
import { ErrorCode } from '../errors/codes.js';

/** Root query fields that read nothing of the directory. */
const SCHEMA_FIELDS: ReadonlySet<string> = new Set(['__typename', '__schema', '__type', '_service']);

/** Refuses a query that reads the directory from a caller without `directory:read` (HTTP 403, FORBIDDEN). */
export function readScopePlugin(): ApolloServerPlugin<Context> {
  return {
    requestDidStart() {
      return Promise.resolve({
        didResolveOperation({ operation, document, contextValue }) {
          if (operation?.operation !== 'query' || hasScope(contextValue.caller, 'directory:read')) return Promise.resolve();
          const fragments = new Map(
            document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])),
          );
          if (rootFields(operation.selectionSet, fragments, new Set()).every((name) => SCHEMA_FIELDS.has(name))) return Promise.resolve();
          throw new GraphQLError("This operation requires the directory:read scope, which the caller's token does not grant.", {
            extensions: { code: ErrorCode.FORBIDDEN, scope: 'directory:read', http: { status: 403 } },
          });
        },
      });
    },
  };
}

// Private: the root fields a selection set selects, through fragments (each fragment visited once).
function rootFields(set: SelectionSetNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>, seen: Set<string>): string[] {
  return set.selections.flatMap((selection): string[] => {
    if (selection.kind === Kind.FIELD) return [selection.name.value];
    if (selection.kind === Kind.INLINE_FRAGMENT) return rootFields(selection.selectionSet, fragments, seen);
    const name = selection.name.value;
    const fragment = fragments.get(name);
    if (fragment === undefined || seen.has(name)) return [];
    seen.add(name);
    return rootFields(fragment.selectionSet, fragments, seen);
  });
}
