// Internal to src/resolvers: the DateTime scalar. ThoughtSpot sends epoch milliseconds (CONTRACT.md §1); clients get
// ISO-8601 UTC strings, the convention of GitHub's and Shopify's schemas.

import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

function parse(value: unknown): string {
  if (typeof value === 'string' && ISO_8601.test(value) && !Number.isNaN(Date.parse(value))) {
    return new Date(value).toISOString();
  }
  throw new GraphQLError(`DateTime must be an ISO-8601 date and time with a time zone, but got: ${JSON.stringify(value)}.`);
}

/** The `DateTime` scalar: epoch milliseconds (or an ISO string) out, ISO-8601 strings in. */
export const DateTime = new GraphQLScalarType<string, string>({
  name: 'DateTime',
  serialize(value) {
    if (typeof value === 'number' && Number.isFinite(value)) return new Date(value).toISOString();
    if (typeof value === 'string' || value instanceof Date) return parse(value instanceof Date ? value.toISOString() : value);
    throw new GraphQLError(`DateTime cannot represent ${JSON.stringify(value)}.`);
  },
  parseValue: parse,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new GraphQLError(`DateTime must be a string, but got a ${ast.kind}.`);
    return parse(ast.value);
  },
});
