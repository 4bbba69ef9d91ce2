// Public to the rest of src: reading a resolver's own selection set. Pure functions, no I/O.

import type { FragmentDefinitionNode, GraphQLResolveInfo, SelectionSetNode } from 'graphql';

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
