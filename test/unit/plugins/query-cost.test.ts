import { getIntrospectionQuery, parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { exceededLimit, measureOperation } from '../../../src/plugins/query-cost.js';
import { CONFIG_DEFAULTS } from '../../../src/config.js';
import { buildSchema } from '../../../src/schema.js';

const schema = buildSchema();

function measure(source: string, variables: Record<string, unknown> = {}) {
  const document = parse(source);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition');
  if (operation === undefined) throw new Error('no operation');
  return measureOperation(schema, document, operation, variables);
}

const limits = {
  maxDepth: CONFIG_DEFAULTS.QUERY_MAX_DEPTH,
  maxNodes: CONFIG_DEFAULTS.QUERY_MAX_NODES,
  maxLists: CONFIG_DEFAULTS.QUERY_MAX_LISTS,
};

describe('measureOperation', () => {
  it('counts a flat connection by its page size, 20 by default', () => {
    expect(measure('{ organizations { nodes { name } } }')).toEqual({ depth: 3, lists: 1, nodes: 20 });
    expect(measure('{ organizations(first: 3) { totalCount } }')).toEqual({ depth: 2, lists: 1, nodes: 3 });
    expect(measure('{ organizations(last: 7) { totalCount } }')).toEqual({ depth: 2, lists: 1, nodes: 7 });
  });

  it('multiplies nested page sizes (GitHub formula) and counts each nested list once', () => {
    const cost = measure(`{ organizations(first: 3) { nodes { groups(first: 10) { nodes { members(first: 20) {
      nodes { roles(first: 10) { nodes { name } } } } } } } } }`);
    expect(cost).toEqual({ depth: 9, lists: 4, nodes: 3 + 3 * 10 + 3 * 10 * 20 + 3 * 10 * 20 * 10 });
  });

  it('takes page sizes from variables and from variable defaults', () => {
    const source = 'query ($n: Int, $m: Int = 4) { organizations(first: $n) { nodes { groups(first: $m) { totalCount } } } }';
    expect(measure(source, { n: 5 }).nodes).toBe(5 + 5 * 4);
    expect(measure(source, {}).nodes).toBe(20 + 20 * 4);
  });

  it('counts a page size the resolver would refuse as the maximum', () => {
    expect(measure('query ($n: Int) { organizations(first: $n) { totalCount } }', { n: 'ten' }).nodes).toBe(100);
    expect(measure('query ($n: Int) { organizations(first: $n) { totalCount } }', { n: 1e9 }).nodes).toBe(100);
  });

  it('counts every alias and every fragment spread', () => {
    const aliases = Array.from({ length: 30 }, (_, i) => `a${i}: organizations(first: 1) { totalCount }`).join(' ');
    expect(measure(`{ ${aliases} }`)).toEqual({ depth: 2, lists: 30, nodes: 30 });
    const spreads = measure(`{ organizations(first: 2) { nodes { ...G ...G } } }
      fragment G on Organization { groups(first: 5) { totalCount } }`);
    expect(spreads).toEqual({ depth: 4, lists: 3, nodes: 2 + 2 * 5 * 2 });
  });

  it('measures a fragment bomb from its document, not its expansion', () => {
    // Each level doubles the spreads: the expansion has 2^40 lists, the document 40 fragments.
    const levels = 40;
    const fragments = Array.from({ length: levels }, (_, i) =>
      i === levels - 1
        ? `fragment F${i} on Organization { groups(first: 1) { totalCount } }`
        : `fragment F${i} on Organization { ...F${i + 1} ...F${i + 1} }`,
    ).join('\n');
    const cost = measure(`{ organizations(first: 1) { nodes { ...F0 } } }\n${fragments}`);
    expect(cost.lists).toBe(1 + 2 ** (levels - 1));
    expect(exceededLimit(cost, limits)?.measure).toBe('lists');
  });

  it('counts nodes(ids:) by its IDs and _entities by its representations', () => {
    expect(measure('{ nodes(ids: ["a", "b", "c"]) { id } }')).toEqual({ depth: 2, lists: 1, nodes: 3 });
    expect(measure('query ($r: [_Any!]!) { _entities(representations: $r) { __typename } }', { r: [{}, {}] })).toEqual({
      depth: 2,
      lists: 1,
      nodes: 2,
    });
  });

  it('follows inline fragments on abstract types', () => {
    expect(measure('{ node(id: "x") { ... on Organization { groups(first: 4) { nodes { name } } } } }')).toEqual({
      depth: 4,
      lists: 1,
      nodes: 4,
    });
  });
});

describe('exceededLimit with the default limits', () => {
  it('admits the README first query and the benchmark queries', () => {
    const first = measure(`{ organizations(first: 3) { totalCount nodes { name groups(first: 5) { nodes { name
      members(first: 5) { nodes { username displayName roles(first: 5) { nodes { name } } } } } } } } }`);
    expect(exceededLimit(first, limits)).toBeNull();
    const doubled = measure(`{ organizations(first: 6) { nodes { groups(first: 20) { nodes { members(first: 40) {
      nodes { roles(first: 20) { nodes { name } } } } } } } } }`);
    expect(exceededLimit(doubled, limits)).toBeNull();
  });

  it('admits the standard introspection query', () => {
    expect(exceededLimit(measure(getIntrospectionQuery()), limits)).toBeNull();
  });

  it('refuses a 100×100×100×100×100 nested query on nodes', () => {
    const cost = measure(`{ organizations(first: 100) { nodes { groups(first: 100) { nodes { members(first: 100) {
      nodes { roles(first: 100) { nodes { users(first: 100) { nodes { id } } } } } } } } } } }`);
    expect(exceededLimit(cost, limits)).toEqual({ measure: 'nodes', value: cost.nodes, limit: limits.maxNodes });
    expect(cost.nodes).toBe(100 + 100 ** 2 + 100 ** 3 + 100 ** 4 + 100 ** 5);
  });

  it('refuses a deep query on depth', () => {
    let selection = 'name';
    for (let i = 0; i < 6; i++) selection = `groups(first: 1) { nodes { organization { ${selection} } } }`;
    const cost = measure(`{ organizationByName(name: "x") { ${selection} } }`);
    expect(cost.depth).toBe(1 + 6 * 3 + 1);
    expect(exceededLimit(cost, limits)?.measure).toBe('depth');
  });
});
