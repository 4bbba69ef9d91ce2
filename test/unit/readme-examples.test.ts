// The README's GraphQL examples are part of the product's promise: each operation in a ```graphql block must be
// valid against the schema as it is (SDL blocks, such as the federation example of a host subgraph, are left out).

import { readFileSync } from 'node:fs';
import { parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildSchema } from '../../src/schema.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const blocks = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((match) => match[1] as string);
const operations = blocks.filter((block) => /^\s*(query|mutation|\{)/.test(block));

describe('README examples', () => {
  const schema = buildSchema();
  it('has operations to check', () => {
    expect(operations.length).toBeGreaterThanOrEqual(3);
  });
  it.each(operations.map((block) => [block.split('\n')[0]?.trim() ?? '', block] as const))('%s … is valid against the schema', (_first, block) => {
    expect(validate(schema, parse(block)).map((error) => error.message)).toEqual([]);
  });
});
