// Internal to src/resolvers: reading a resolver's own selection set. Pure functions, no I/O.

import type { FieldNode, FragmentDefinitionNode, GraphQLResolveInfo, SelectionSetNode } from 'graphql';

/**
 * Whether the field being resolved selects `fieldName` directly below it, through inline fragments and named
 * fragment spreads included. Connection resolvers use it to compute `totalCount` only when it was asked for: on
 * ThoughtSpot a count means reading the whole list (there is no count endpoint, CONTRACT.md §5).
 */
export function selectsField(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>, fieldName: string): boolean {
  return info.fieldNodes.some(
    (node) => node.selectionSet !== undefined && inSelectionSet(node.selectionSet, fieldName, info.fragments, new Set()),
  );
}

// Private: a depth-first walk that visits each named fragment once (fragments cannot be cyclic in a valid
// document, but the guard costs nothing).
function inSelectionSet(
  selectionSet: SelectionSetNode,
  fieldName: string,
  fragments: Readonly<Record<string, FragmentDefinitionNode>>,
  visited: Set<string>,
): boolean {
  for (const selection of selectionSet.selections) {
    switch (selection.kind) {
      case 'Field':
        if (selection.name.value === fieldName) return true;
        break;
      case 'InlineFragment':
        if (inSelectionSet(selection.selectionSet, fieldName, fragments, visited)) return true;
        break;
      case 'FragmentSpread': {
        const name = selection.name.value;
        const fragment = fragments[name];
        if (fragment !== undefined && !visited.has(name)) {
          visited.add(name);
          if (inSelectionSet(fragment.selectionSet, fieldName, fragments, visited)) return true;
        }
        break;
      }
    }
  }
  return false;
}

/**
 * The names of the fields selected at `path` below the field being resolved (`[]`: directly below it; `['nodes']`:
 * below its `nodes`), through inline fragments and named fragment spreads. Resolvers use it to skip a read whose
 * only purpose is fields the query did not ask for: a plan may depend on the selection, an answer never does.
 */
export function selectedFields(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>, path: readonly string[]): Set<string> {
  const out = new Set<string>();
  const walk = (selectionSet: SelectionSetNode, depth: number, visited: Set<string>): void => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === 'Field') {
        if (depth === path.length) out.add(selection.name.value);
        else if (selection.name.value === path[depth] && selection.selectionSet !== undefined) walk(selection.selectionSet, depth + 1, new Set());
      } else if (selection.kind === 'InlineFragment') {
        walk(selection.selectionSet, depth, visited);
      } else {
        const fragment = info.fragments[selection.name.value];
        if (fragment !== undefined && !visited.has(selection.name.value)) {
          walk(fragment.selectionSet, depth, new Set([...visited, selection.name.value]));
        }
      }
    }
  };
  for (const node of info.fieldNodes) if (node.selectionSet !== undefined) walk(node.selectionSet, 0, new Set());
  return out;
}

/** The nodes of the fields named `fieldName` directly below the field being resolved, through fragments. */
export function selectedFieldNodes(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>, fieldName: string): FieldNode[] {
  const out: FieldNode[] = [];
  const walk = (selectionSet: SelectionSetNode, visited: Set<string>): void => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === 'Field') {
        if (selection.name.value === fieldName) out.push(selection);
      } else if (selection.kind === 'InlineFragment') {
        walk(selection.selectionSet, visited);
      } else {
        const fragment = info.fragments[selection.name.value];
        if (fragment !== undefined && !visited.has(selection.name.value)) walk(fragment.selectionSet, new Set([...visited, selection.name.value]));
      }
    }
  };
  for (const node of info.fieldNodes) if (node.selectionSet !== undefined) walk(node.selectionSet, new Set());
  return out;
}
