import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { MAX_TEXT_ARGUMENT_LENGTH, MAX_TOKEN_ARGUMENT_LENGTH, findOverlongArgument } from '../../../src/plugins/input-limits.js';
import { buildSchema } from '../../../src/schema.js';

const schema = buildSchema();
const check = (source: string, variables: Record<string, unknown> = {}) => findOverlongArgument(schema, parse(source), variables);

describe('findOverlongArgument', () => {
  it('admits text up to the limit, literal or variable', () => {
    const pattern = 'a'.repeat(MAX_TEXT_ARGUMENT_LENGTH);
    expect(check(`{ organizations(namePattern: "${pattern}") { totalCount } }`)).toBeNull();
    expect(check('query ($p: String) { organizations(namePattern: $p) { totalCount } }', { p: pattern })).toBeNull();
  });

  it('refuses a literal pattern over the limit, naming the argument', () => {
    const error = check(`{ organizations(namePattern: "${'%'.repeat(MAX_TEXT_ARGUMENT_LENGTH + 1)}") { totalCount } }`);
    expect(error?.message).toBe(`Argument "namePattern" must be at most 255 characters, but got: 256 characters.`);
    expect(error?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'namePattern' });
  });

  it('refuses variables, variable defaults and list items over the limit', () => {
    const long = 'x'.repeat(100_000);
    expect(check('query ($e: String!) { userByEmail(email: $e) { id } }', { e: long })?.extensions['argumentName']).toBe('email');
    expect(check(`query ($n: String = "${long}") { users(namePattern: $n) { totalCount } }`)?.extensions['argumentName']).toBe('namePattern');
    expect(check('query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: ['a', long] })?.message).toBe(
      `Argument "ids" must be at most ${MAX_TOKEN_ARGUMENT_LENGTH} characters, but got: 100000 characters.`,
    );
  });

  it('checks arguments inside fragments and on nested fields', () => {
    const error = check(`{ organizations { nodes { ...F } } } fragment F on Organization { groups(namePattern: "${'g'.repeat(300)}") { totalCount } }`);
    expect(error?.extensions['argumentName']).toBe('namePattern');
  });
});
