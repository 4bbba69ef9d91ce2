// Internal to src/resolvers: the two ways a connection field is served. `pagedConnection` for lists ThoughtSpot
// pages (users/search, groups/search): it reads only the window, plus one row to learn `hasNextPage`, unless
// `totalCount` is selected or `last` has no `before` (then it reads the whole list once and serves the page from
// it). `listConnection` for lists already in memory (unpaged endpoints, per-request indexes).

import type { GraphQLResolveInfo } from 'graphql';
import type { PageRequest } from '../../thoughtspot/index.js';
import {
  buildConnection,
  connectionFromList,
  fetchSize,
  pageWindow,
  planFetch,
  type ConnectionArgs,
  type ConnectionModel,
  type PageWindow,
} from '../../relay/connection.js';
import { selectsField } from './selection.js';

const PAGINATION_ARGS = new Set(['first', 'last', 'after', 'before']);

/**
 * The window of a connection field: its pagination arguments validated and its cursors checked against this list
 * (the field's coordinate, the parent's key and every other argument).
 */
export function windowOf(info: GraphQLResolveInfo, args: ConnectionArgs, parentKey: string): PageWindow {
  const scopeArgs: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(args)) {
    if (!PAGINATION_ARGS.has(name)) scopeArgs[name] = value;
  }
  return pageWindow(args, { coordinate: `${info.parentType.name}.${info.fieldName}`, parent: parentKey, args: scopeArgs }, info.fieldName);
}

/**
 * Serves a connection over a list ThoughtSpot pages. `read` receives the offset range to read (`size` -1 for all)
 * and is called at most once per resolution, plus once more only if `totalCount` is needed but was not detected.
 */
export async function pagedConnection<T>(
  info: GraphQLResolveInfo,
  args: ConnectionArgs,
  parentKey: string,
  read: (page: PageRequest) => Promise<readonly T[]>,
): Promise<ConnectionModel<T>> {
  const window = windowOf(info, args, parentKey);
  const plan = planFetch(window, { needTotal: selectsField(info, 'totalCount') });
  const size = fetchSize(plan);
  const rows = size === 0 ? [] : await read(plan.kind === 'all' ? { offset: 0, size: -1 } : { offset: plan.offset, size });
  const readAll = () => read({ offset: 0, size: -1 });
  // A window that ends at a `before` cursor is read without a probe row: the row the cursor points at existed when
  // the cursor was issued. A short answer means the list has since shrunk past that row, so the range read is partly
  // or wholly beyond the new end (an empty page there would say hasPreviousPage with no cursor to go on with). The
  // window is then served from the whole list, exactly as when totalCount is selected: the rows before the list's
  // new end, and the same answer whichever fields were selected. Only a list that changed pays the second read.
  if (plan.kind === 'page' && !plan.probe && rows.length < plan.size) {
    const list = await readAll();
    return buildConnection(window, { kind: 'all' }, list, () => Promise.resolve(list.length));
  }
  return buildConnection(window, plan, rows, async () => (await readAll()).length);
}

/** Serves a connection over a list held in memory. */
export function listConnection<T>(
  info: GraphQLResolveInfo,
  args: ConnectionArgs,
  parentKey: string,
  list: readonly T[],
): ConnectionModel<T> {
  return connectionFromList(windowOf(info, args, parentKey), list);
}
