// Public to the rest of src: length limits on free-text input, checked before any resolver runs.
//
// Names, patterns and e-mail addresses are at most 255 characters in ThoughtSpot; IDs and cursors are short tokens
// of our own. Anything longer is refused with BAD_USER_INPUT naming the argument, so no resolver, matcher or
// upstream call ever sees a megabyte of input. Literal and variable values are both checked, in lists too.

import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  TypeInfo,
  getNamedType,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLSchema,
  type ValueNode,
} from 'graphql';
import { ErrorCode } from '../errors/codes.js';
import { NAME_PATTERN_MAX_LENGTH } from '../name-pattern.js';

/** Longest `String` argument accepted: names, patterns and e-mail addresses. */
export const MAX_TEXT_ARGUMENT_LENGTH = NAME_PATTERN_MAX_LENGTH;
/** Longest `ID` argument, and longest cursor (`after`/`before`), accepted. */
export const MAX_TOKEN_ARGUMENT_LENGTH = 1_024;

/** The first String or ID argument of `document` over its limit, as a BAD_USER_INPUT error, or null. */
export function findOverlongArgument(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Readonly<Record<string, unknown>>,
): GraphQLError | null {
  // A variable the request leaves out takes its default from the document, which can be just as long.
  const lengths = new Map<string, number>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    for (const variable of definition.variableDefinitions ?? []) {
      if (variable.defaultValue !== undefined) lengths.set(variable.variable.name.value, longestString(variable.defaultValue, () => 0));
    }
  }
  for (const [name, value] of Object.entries(variables)) lengths.set(name, longestOf(value));
  const variableLength = (name: string): number => lengths.get(name) ?? 0;
  const typeInfo = new TypeInfo(schema);
  let found: GraphQLError | null = null;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Argument(node) {
        if (found !== null) return false;
        const argument = typeInfo.getArgument();
        if (argument === null || argument === undefined) return false;
        const typeName = getNamedType(argument.type).name;
        const name = node.name.value;
        const limit =
          typeName === 'ID' || name === 'after' || name === 'before'
            ? MAX_TOKEN_ARGUMENT_LENGTH
            : typeName === 'String'
              ? MAX_TEXT_ARGUMENT_LENGTH
              : null;
        if (limit === null) return false;
        const longest = longestString(node.value, variableLength);
        if (longest > limit) {
          found = new GraphQLError(`Argument "${name}" must be at most ${limit} characters, but got: ${longest} characters.`, {
            extensions: { code: ErrorCode.BAD_USER_INPUT, argumentName: name, http: { status: 400 } },
          });
        }
        return false;
      },
    }),
  );
  return found;
}

/** Refuses operations with an overlong String or ID argument before execution. */
export function inputLimitsPlugin(): ApolloServerPlugin {
  return {
    requestDidStart() {
      return Promise.resolve({
        didResolveOperation({ schema, document, request }) {
          const error = findOverlongArgument(schema, document, request.variables ?? {});
          if (error !== null) throw error;
          return Promise.resolve();
        },
      });
    },
  };
}

// Private: the length of the longest string in a literal or variable value (lists included), iteratively like
// longestOf below.
function longestString(node: ValueNode, variableLength: (name: string) => number): number {
  let longest = 0;
  const pending: ValueNode[] = [node];
  while (pending.length > 0) {
    const item = pending.pop() as ValueNode;
    if (item.kind === Kind.STRING) longest = Math.max(longest, item.value.length);
    else if (item.kind === Kind.VARIABLE) longest = Math.max(longest, variableLength(item.name.value));
    else if (item.kind === Kind.LIST) for (const inner of item.values) pending.push(inner);
  }
  return longest;
}

// Iterative, not recursive: a variable can be a list nested 100,000 deep (refused later by coercion), and a
// recursive walk would overflow the stack on it first.
function longestOf(value: unknown): number {
  let longest = 0;
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (typeof item === 'string') longest = Math.max(longest, item.length);
    else if (Array.isArray(item)) for (const inner of item) pending.push(inner);
  }
  return longest;
}
