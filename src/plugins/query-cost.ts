// Public to the rest of src: the static query cost check (DESIGN.md §7b). Before any resolver runs, an operation is
// measured three ways and refused with QUERY_TOO_COMPLEX when any measure is above its configured limit:
//
// - depth: the deepest chain of nested fields (`organizations { nodes { name } }` is 3);
// - lists: how many upstream lists the operation can open: every occurrence of a connection field, of
//   `Query.nodes` and of `_entities`, after expanding fragments, each alias counted on its own. Batching makes a
//   nested list cost about one upstream call per Organization per occurrence, whatever its parents' page sizes, so
//   this is the measure that bounds upstream calls;
// - nodes: GitHub's formula: for each connection field, its page size (`first` or `last`, 20 when neither is given)
//   times the page sizes of every connection around it, summed over the operation. `nodes(ids:)` counts its IDs and
//   `_entities` its representations. This bounds the rows a response can hold.
//
// The formula is in the README ("Query cost"). It is computed from the document and the request's raw variables in
// one pass over each fragment (a fragment's measures are memoised, and nodes are linear in the enclosing page sizes),
// so a "fragment bomb" costs its document size to measure, not its expansion.

import type { ApolloServerPlugin, GraphQLRequest } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  getNamedType,
  isCompositeType,
  isObjectType,
  isInterfaceType,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { ErrorCode } from '../errors/codes.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../relay/connection.js';

/** The configured limits (config.ts `queryLimits`). */
export interface QueryLimits {
  readonly maxDepth: number;
  readonly maxNodes: number;
  readonly maxLists: number;
}

/** An operation's measures. */
export interface QueryCost {
  readonly depth: number;
  readonly lists: number;
  readonly nodes: number;
}

/** Which limit a refused operation broke. */
export type CostMeasure = 'depth' | 'lists' | 'nodes';

// Private: a selection set's measures per unit of the enclosing page-size product; `nodes` scales linearly with it.
interface Summary {
  readonly depth: number;
  readonly lists: number;
  readonly nodes: number;
}

const EMPTY: Summary = { depth: 0, lists: 0, nodes: 0 };

/**
 * Nesting below which the walk stops descending. Far above any depth limit one would configure (QUERY_MAX_DEPTH is
 * at most 100), so the measured depth stays exact for every query that could pass; it only keeps a hostile document
 * nested many thousands of levels deep from exhausting the stack here.
 */
const DEPTH_CUTOFF = 1_000;

/**
 * Measures one operation of `document`. Variables are the request's raw values; a page size that is missing, not an
 * integer or out of range counts as what the resolver would use or, when it would refuse it, as the maximum (the
 * request then fails on that argument anyway).
 */
export function measureOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>> = {},
): QueryCost {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const defaults = new Map<string, ValueNode>();
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue !== undefined) defaults.set(definition.variable.name.value, definition.defaultValue);
  }
  const memo = new Map<string, Summary>();
  const inProgress = new Set<string>();

  const intArgument = (field: FieldNode, name: string): number | null | undefined => {
    const argument = field.arguments?.find((arg) => arg.name.value === name);
    if (argument === undefined) return undefined;
    let value: unknown = valueOf(argument.value, variables, defaults);
    if (value === undefined || value === null) return null;
    if (typeof value !== 'number' || !Number.isInteger(value)) value = MAX_PAGE_SIZE;
    return Math.min(Math.max(value as number, 0), MAX_PAGE_SIZE);
  };
  const listLength = (field: FieldNode, name: string): number => {
    const argument = field.arguments?.find((arg) => arg.name.value === name);
    const value = argument === undefined ? undefined : valueOf(argument.value, variables, defaults);
    return Array.isArray(value) ? value.length : 1;
  };

  // The number of items a list field can return for each of its parents, or null for a field that is not a list
  // that opens an upstream read.
  const pageSizeOf = (parent: GraphQLCompositeType, field: FieldNode, typeName: string): number | null => {
    if (typeName.endsWith('Connection')) {
      const first = intArgument(field, 'first');
      const last = intArgument(field, 'last');
      return first ?? last ?? DEFAULT_PAGE_SIZE;
    }
    if (parent === schema.getQueryType()) {
      if (field.name.value === 'nodes') return Math.min(listLength(field, 'ids'), MAX_PAGE_SIZE);
      if (field.name.value === '_entities') return listLength(field, 'representations');
    }
    return null;
  };

  const summarize = (parent: GraphQLCompositeType, selectionSet: SelectionSetNode, level: number): Summary => {
    if (level > DEPTH_CUTOFF) return { depth: 1, lists: 0, nodes: 0 };
    let depth = 0;
    let lists = 0;
    let nodes = 0;
    for (const selection of selectionSet.selections) {
      let part: Summary;
      if (selection.kind === Kind.FIELD) {
        part = summarizeField(parent, selection, level);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition === undefined ? parent : schema.getType(selection.typeCondition.name.value);
        part = condition !== undefined && condition !== null && isCompositeType(condition) ? summarize(condition, selection.selectionSet, level) : EMPTY;
      } else {
        part = summarizeFragment(selection.name.value, level);
      }
      depth = Math.max(depth, part.depth);
      lists += part.lists;
      nodes += part.nodes;
    }
    return { depth, lists, nodes };
  };

  // A fragment's summary does not depend on where it is spread (depth is relative), so the first spread's level only
  // matters for the cutoff.
  const summarizeFragment = (name: string, level: number): Summary => {
    const known = memo.get(name);
    if (known !== undefined) return known;
    const fragment = fragments.get(name);
    // Unknown fragments and cycles are validation errors reported before this runs; count them as nothing.
    if (fragment === undefined || inProgress.has(name)) return EMPTY;
    const condition = schema.getType(fragment.typeCondition.name.value);
    if (condition === undefined || condition === null || !isCompositeType(condition)) return EMPTY;
    inProgress.add(name);
    const summary = summarize(condition, fragment.selectionSet, level + 1);
    inProgress.delete(name);
    memo.set(name, summary);
    return summary;
  };

  const summarizeField = (parent: GraphQLCompositeType, field: FieldNode, level: number): Summary => {
    const definition = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[field.name.value] : undefined;
    if (definition === undefined) return { depth: 1, lists: 0, nodes: 0 };
    const type = getNamedType(definition.type);
    const size = pageSizeOf(parent, field, type.name);
    const inner = field.selectionSet !== undefined && isCompositeType(type) ? summarize(type, field.selectionSet, level + 1) : EMPTY;
    if (size === null) return { depth: inner.depth + 1, lists: inner.lists, nodes: inner.nodes };
    return { depth: inner.depth + 1, lists: inner.lists + 1, nodes: size + size * inner.nodes };
  };

  const root = schema.getRootType(operation.operation);
  if (root === undefined || root === null) return { depth: 0, lists: 0, nodes: 0 };
  return summarize(root, operation.selectionSet, 1);
}

/** The first measure of `cost` above its limit, or null when the operation is within every limit. */
export function exceededLimit(cost: QueryCost, limits: QueryLimits): { measure: CostMeasure; value: number; limit: number } | null {
  if (cost.depth > limits.maxDepth) return { measure: 'depth', value: cost.depth, limit: limits.maxDepth };
  if (cost.lists > limits.maxLists) return { measure: 'lists', value: cost.lists, limit: limits.maxLists };
  if (cost.nodes > limits.maxNodes) return { measure: 'nodes', value: cost.nodes, limit: limits.maxNodes };
  return null;
}

const ADVICE: Record<CostMeasure, string> = {
  depth: 'nest fewer fields',
  lists: 'select fewer lists (aliases and fragments count each time they appear)',
  nodes: 'ask for smaller pages (`first`/`last`) in nested lists',
};

// The measures of the requests this plugin passed, for the execution gate (plugins/execution-gate.ts weighs an
// operation by its nodes); keyed by Apollo's request object, so an entry lives as long as its request.
const measured = new WeakMap<GraphQLRequest, QueryCost>();

/** The measures of `request`'s operation, once `queryCostPlugin` has passed it; undefined before or without it. */
export function measuredCost(request: GraphQLRequest): QueryCost | undefined {
  return measured.get(request);
}

/** Refuses operations above the limits before execution, with QUERY_TOO_COMPLEX (HTTP 400). */
export function queryCostPlugin(limits: QueryLimits): ApolloServerPlugin {
  return {
    requestDidStart() {
      return Promise.resolve({
        didResolveOperation({ schema, document, operation, request }) {
          // Apollo resolves the operation before this hook and answers OPERATION_RESOLUTION_FAILURE without one.
          if (operation === undefined) return Promise.resolve();
          const cost = measureOperation(schema, document, operation, request.variables ?? {});
          measured.set(request, cost);
          const exceeded = exceededLimit(cost, limits);
          if (exceeded === null) return Promise.resolve();
          const { measure, value, limit } = exceeded;
          throw new GraphQLError(
            `Query is too complex: its ${measure} is ${value}, above the limit of ${limit}; ${ADVICE[measure]}.`,
            { extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, measure, value, limit, http: { status: 400 } } },
          );
        },
      });
    },
  };
}

// Private: a literal or variable argument value as plain JavaScript (only what page sizes and list lengths need).
function valueOf(node: ValueNode, variables: Readonly<Record<string, unknown>>, defaults: ReadonlyMap<string, ValueNode>): unknown {
  switch (node.kind) {
    case Kind.VARIABLE: {
      const name = node.name.value;
      if (Object.hasOwn(variables, name)) return variables[name];
      const fallback = defaults.get(name);
      return fallback === undefined ? undefined : valueOf(fallback, {}, new Map());
    }
    case Kind.INT:
      return Number(node.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return node.values;
    default:
      return Number.NaN;
  }
}
