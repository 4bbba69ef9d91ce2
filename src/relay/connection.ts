// Public to the rest of src: Relay connection maths over offset-paged lists (DESIGN.md §4, house rule 6). Pure
// functions, no I/O: a resolver turns its arguments into a PageWindow, asks planFetch what to read from
// ThoughtSpot, reads it (through the loaders), and hands the rows to buildConnection.
//
// Terminology: the *list* is every row the connection's filter and order select, in order, numbered from 0. The
// *window* is the part of the list the arguments ask for. The *page* is the rows returned. Cursors are list
// offsets (see cursor.ts), so after a cursor at offset n the next page starts at n + 1.
//
// What a cursor guarantees when the list changes between two requests: it is an offset, so the next page starts
// at the same *position*, not after the same *row*. No row appears twice within one page, and a list that did not
// change is walked exactly once in order. If rows are added before the cursor's position between requests, the
// next page repeats the rows that were pushed past it; if rows are removed before it, as many rows are skipped.
// ThoughtSpot offers no key-based paging that would let us do better (CONTRACT.md §5); the schema descriptions
// say so too.

import { badUserInput } from '../errors/codes.js';
import { decodeCursor, encodeCursor, scopeTag, type CursorScope } from './cursor.js';

/** Page size when neither `first` nor `last` is given. */
export const DEFAULT_PAGE_SIZE = 20;
/** Largest `first`/`last` accepted. */
export const MAX_PAGE_SIZE = 100;

/** The four Relay pagination arguments as GraphQL hands them to a resolver. */
export interface ConnectionArgs {
  readonly first?: number | null | undefined;
  readonly last?: number | null | undefined;
  readonly after?: string | null | undefined;
  readonly before?: string | null | undefined;
}

/** The validated pagination arguments, in list offsets. */
export interface PageWindow {
  /** First list offset the window may include: 0, or the `after` cursor's offset + 1. */
  readonly start: number;
  /** Exclusive upper bound from the `before` cursor, or null when unbounded. */
  readonly end: number | null;
  /** `first`, when given. */
  readonly first: number | null;
  /** `last`, when given. */
  readonly last: number | null;
  /** The cursor scope tag of this list (cursors on the page are issued with it). */
  readonly tag: string;
}

/** What to read upstream for a window: everything, or one offset range. */
export type FetchPlan =
  | { readonly kind: 'all' }
  | {
      readonly kind: 'page';
      /** List offset of the first row to read. */
      readonly offset: number;
      /** Rows the page may hold. */
      readonly size: number;
      /** Read one row more than `size` to learn whether another page follows. */
      readonly probe: boolean;
    };

/** A page, ready for the default resolvers of `<Type>Connection`, `<Type>Edge` and `PageInfo`. */
export interface ConnectionModel<T> {
  readonly edges: readonly EdgeModel<T>[];
  readonly nodes: readonly T[];
  readonly pageInfo: PageInfoModel;
  /** Called only when `totalCount` is selected (graphql-js's default resolver calls function-valued fields). */
  readonly totalCount: () => number | Promise<number>;
}

/** One edge of a ConnectionModel. */
export interface EdgeModel<T> {
  readonly cursor: string;
  readonly node: T;
}

/** Relay's PageInfo. */
export interface PageInfoModel {
  readonly hasNextPage: boolean;
  readonly hasPreviousPage: boolean;
  readonly startCursor: string | null;
  readonly endCursor: string | null;
}

/**
 * Validates the pagination arguments of the connection field `fieldName` and decodes its cursors against `scope`.
 * Throws `BAD_USER_INPUT` naming the argument: a size outside 0…100, both `first` and `last`, a malformed cursor,
 * or a cursor issued for another list or under another filter or order.
 */
export function pageWindow(args: ConnectionArgs, scope: CursorScope, fieldName: string): PageWindow {
  const first = validSize(args.first, 'first');
  const last = validSize(args.last, 'last');
  if (first !== null && last !== null) {
    throw badUserInput(`Passing both "first" and "last" to paginate the "${fieldName}" connection is not supported.`, 'last');
  }
  const tag = scopeTag(scope);
  const start = args.after == null ? 0 : decodeCursor(args.after, tag, 'after') + 1;
  const end = args.before == null ? null : decodeCursor(args.before, tag, 'before');
  return { start, end: end === null ? null : Math.max(end, start), first, last, tag };
}

/**
 * Decides what to read for a window. `needTotal` (the client selected `totalCount`) reads the whole list, which
 * then also serves the page: one upstream call instead of two. `last` without `before` needs the list's end, so it
 * reads the whole list too. Otherwise one range is read, with one extra row when that tells us `hasNextPage`.
 */
export function planFetch(window: PageWindow, options: { readonly needTotal: boolean }): FetchPlan {
  if (options.needTotal || (window.last !== null && window.end === null)) return { kind: 'all' };
  if (window.last !== null && window.end !== null) {
    const offset = Math.max(window.start, window.end - window.last);
    return { kind: 'page', offset, size: window.end - offset, probe: false };
  }
  const size = window.first ?? DEFAULT_PAGE_SIZE;
  if (window.end !== null) {
    return { kind: 'page', offset: window.start, size: Math.min(size, window.end - window.start), probe: false };
  }
  return { kind: 'page', offset: window.start, size, probe: true };
}

/** How many rows a plan reads upstream (`-1` = all, ThoughtSpot's "everything from the offset"). */
export function fetchSize(plan: FetchPlan): number {
  return plan.kind === 'all' ? -1 : plan.size + (plan.probe ? 1 : 0);
}

/**
 * Builds the connection for `window` from the rows `plan` read: for an `all` plan the whole list, for a `page`
 * plan the rows from `plan.offset` on. `count` serves `totalCount` when the rows do not tell it (it is only called
 * if the field is selected after all, for example through a fragment the selection check did not see).
 */
export function buildConnection<T>(
  window: PageWindow,
  plan: FetchPlan,
  rows: readonly T[],
  count: () => Promise<number>,
): ConnectionModel<T> {
  let offset: number;
  let page: readonly T[];
  let hasNextPage: boolean;
  let total: number | null = null;
  if (plan.kind === 'all') {
    total = rows.length;
    const end = Math.min(window.end ?? total, total);
    const start = Math.min(window.start, end);
    offset = window.last !== null ? Math.max(start, end - window.last) : start;
    const stop = window.last !== null ? end : Math.min(end, start + (window.first ?? DEFAULT_PAGE_SIZE));
    page = rows.slice(offset, stop);
    hasNextPage = stop < total;
  } else {
    offset = plan.offset;
    page = rows.slice(0, plan.size);
    // With a probe, the extra row answers the question. Without one the window ends at a `before` cursor, and the
    // row that cursor points at existed when it was issued.
    hasNextPage = plan.probe ? rows.length > plan.size : true;
  }
  const edges = page.map((node, index) => ({ cursor: encodeCursor(offset + index, window.tag), node }));
  const knownTotal = total;
  return {
    edges,
    nodes: page,
    pageInfo: {
      hasNextPage,
      hasPreviousPage: offset > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
    totalCount: knownTotal === null ? count : () => knownTotal,
  };
}

/** Builds the connection for `window` over a list already held in memory (unpaged ThoughtSpot endpoints). */
export function connectionFromList<T>(window: PageWindow, list: readonly T[]): ConnectionModel<T> {
  return buildConnection(window, { kind: 'all' }, list, () => Promise.resolve(list.length));
}

// Private: GitHub's rule, 0 to 100; 0 is allowed so a client can ask for `totalCount` alone.
function validSize(value: number | null | undefined, name: 'first' | 'last'): number | null {
  if (value == null) return null;
  if (!Number.isInteger(value) || value < 0 || value > MAX_PAGE_SIZE) {
    throw badUserInput(`Argument "${name}" must be an integer between 0 and ${MAX_PAGE_SIZE}, but got: ${value}.`, name);
  }
  return value;
}
