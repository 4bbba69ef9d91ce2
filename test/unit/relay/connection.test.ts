import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  buildConnection,
  connectionFromList,
  DEFAULT_PAGE_SIZE,
  fetchSize,
  pageWindow,
  planFetch,
  type ConnectionArgs,
  type PageWindow,
} from '../../../src/relay/connection.js';
import { decodeCursor, encodeCursor, scopeTag, type CursorScope } from '../../../src/relay/cursor.js';

const scope: CursorScope = { coordinate: 'Group.members', parent: 'g1', args: { membership: 'DIRECT' } };
const tag = scopeTag(scope);
const list = Array.from({ length: 45 }, (_, i) => `row${i}`);
const cursorAt = (offset: number): string => encodeCursor(offset, tag);

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof GraphQLError) {
      expect(error.extensions['code']).toBe('BAD_USER_INPUT');
      return error.message;
    }
    throw error;
  }
  throw new Error('expected a BAD_USER_INPUT error');
}

// Serves a window the way resolvers do: plan, read what the plan says from `list`, build.
function serve(args: ConnectionArgs, needTotal = false) {
  const window = pageWindow(args, scope, 'members');
  const plan = planFetch(window, { needTotal });
  const rows = plan.kind === 'all' ? list : list.slice(plan.offset, plan.offset + fetchSize(plan));
  return { plan, connection: buildConnection(window, plan, rows, () => Promise.resolve(list.length)) };
}

describe('cursors', () => {
  it('round-trip an offset under the same scope', () => {
    expect(decodeCursor(cursorAt(17), tag, 'after')).toBe(17);
  });

  it('hash the scope independently of argument order and of absent versus null arguments', () => {
    expect(scopeTag({ coordinate: 'Q.users', parent: '', args: { a: 1, b: null, c: 'x' } })).toBe(
      scopeTag({ coordinate: 'Q.users', parent: '', args: { c: 'x', a: 1 } }),
    );
  });

  it('reject a cursor issued under another filter, order, parent or field, naming the argument', () => {
    const others: CursorScope[] = [
      { ...scope, args: { membership: 'ALL' } },
      { ...scope, args: { membership: 'DIRECT', orderBy: { field: 'USERNAME', direction: 'DESC' } } },
      { ...scope, parent: 'g2' },
      { ...scope, coordinate: 'Role.users' },
    ];
    for (const other of others) {
      expect(messageOf(() => decodeCursor(encodeCursor(3, scopeTag(other)), tag, 'before'))).toBe(
        'Argument "before" is a cursor from another list, or from this list with different filter or ordering arguments; start again without "before".',
      );
    }
  });

  it('reject forged and malformed cursors', () => {
    const forged = [
      'abc',
      Buffer.from(`c1:-1:${tag}`).toString('base64url'),
      Buffer.from(`c1:01:${tag}`).toString('base64url'),
      Buffer.from(`c1:1e3:${tag}`).toString('base64url'),
      Buffer.from(`c2:1:${tag}`).toString('base64url'),
      Buffer.from(`c1:99999999999:${tag}`).toString('base64url'),
      `${cursorAt(1)}=`,
      '',
    ];
    for (const cursor of forged) {
      expect(messageOf(() => decodeCursor(cursor, tag, 'after'))).toBe(
        `Argument "after" must be a cursor returned by this connection, but got: ${JSON.stringify(cursor)}.`,
      );
    }
  });
});

describe('pageWindow', () => {
  it('defaults to the first 20', () => {
    expect(pageWindow({}, scope, 'members')).toEqual<PageWindow>({ start: 0, end: null, first: null, last: null, tag });
    expect(serve({}).connection.nodes).toEqual(list.slice(0, DEFAULT_PAGE_SIZE));
  });

  it('accepts 0 to 100 and rejects anything else, naming the argument', () => {
    expect(pageWindow({ first: 0 }, scope, 'members').first).toBe(0);
    expect(pageWindow({ last: 100 }, scope, 'members').last).toBe(100);
    expect(messageOf(() => pageWindow({ first: 101 }, scope, 'members'))).toBe(
      'Argument "first" must be an integer between 0 and 100, but got: 101.',
    );
    expect(messageOf(() => pageWindow({ last: -1 }, scope, 'members'))).toBe(
      'Argument "last" must be an integer between 0 and 100, but got: -1.',
    );
  });

  it('rejects first and last together', () => {
    expect(messageOf(() => pageWindow({ first: 1, last: 1 }, scope, 'members'))).toBe(
      'Passing both "first" and "last" to paginate the "members" connection is not supported.',
    );
  });
});

describe('planFetch and buildConnection', () => {
  it('reads one extra row going forward, and knows from it whether a next page exists', () => {
    const { plan, connection } = serve({ first: 10, after: cursorAt(4) });
    expect(plan).toEqual({ kind: 'page', offset: 5, size: 10, probe: true });
    expect(connection.nodes).toEqual(list.slice(5, 15));
    expect(connection.pageInfo).toEqual({
      hasNextPage: true,
      hasPreviousPage: true,
      startCursor: cursorAt(5),
      endCursor: cursorAt(14),
    });
    expect(serve({ first: 10, after: cursorAt(34) }).connection.pageInfo.hasNextPage).toBe(false);
    expect(serve({ first: 10, after: cursorAt(33) }).connection.pageInfo.hasNextPage).toBe(true);
  });

  it('pages backward from a before cursor without reading the whole list', () => {
    const { plan, connection } = serve({ last: 10, before: cursorAt(12) });
    expect(plan).toEqual({ kind: 'page', offset: 2, size: 10, probe: false });
    expect(connection.nodes).toEqual(list.slice(2, 12));
    expect(connection.pageInfo.hasPreviousPage).toBe(true);
    expect(connection.pageInfo.hasNextPage).toBe(true);
    const head = serve({ last: 10, before: cursorAt(6) }).connection;
    expect(head.nodes).toEqual(list.slice(0, 6));
    expect(head.pageInfo.hasPreviousPage).toBe(false);
  });

  it('reads the whole list for last without before, and serves the tail', () => {
    const { plan, connection } = serve({ last: 7 });
    expect(plan).toEqual({ kind: 'all' });
    expect(connection.nodes).toEqual(list.slice(38));
    expect(connection.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
  });

  it('reads the whole list once when totalCount is wanted, and serves both from it', async () => {
    const { plan, connection } = serve({ first: 5, after: cursorAt(9) }, true);
    expect(plan).toEqual({ kind: 'all' });
    expect(connection.nodes).toEqual(list.slice(10, 15));
    expect(await connection.totalCount()).toBe(45);
  });

  it('bounds a forward page by a before cursor', () => {
    const { plan, connection } = serve({ first: 10, after: cursorAt(1), before: cursorAt(6) });
    expect(plan).toEqual({ kind: 'page', offset: 2, size: 4, probe: false });
    expect(connection.nodes).toEqual(list.slice(2, 6));
  });

  it('returns an empty page past the end, and for first: 0 with hasNextPage still answered', () => {
    const past = serve({ first: 5, after: cursorAt(60) }).connection;
    expect(past.nodes).toEqual([]);
    expect(past.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: true, startCursor: null, endCursor: null });
    const zero = serve({ first: 0 });
    expect(fetchSize(zero.plan)).toBe(1);
    expect(zero.connection.nodes).toEqual([]);
    expect(zero.connection.pageInfo.hasNextPage).toBe(true);
  });

  it('calls the count fallback only when the rows do not tell the total', async () => {
    let counted = 0;
    const window = pageWindow({ first: 3 }, scope, 'members');
    const plan = planFetch(window, { needTotal: false });
    const connection = buildConnection(window, plan, list.slice(0, 4), () => {
      counted += 1;
      return Promise.resolve(45);
    });
    expect(counted).toBe(0);
    expect(await connection.totalCount()).toBe(45);
    expect(counted).toBe(1);
  });
});

describe('walking a list with cursors', () => {
  for (const pageSize of [1, 20, 100]) {
    it(`visits every row exactly once, in order, forward and backward, ${pageSize} at a time`, () => {
      const forward: string[] = [];
      let after: string | null = null;
      for (let guard = 0; guard < 100; guard++) {
        const { connection } = serve({ first: pageSize, after });
        forward.push(...connection.nodes);
        if (!connection.pageInfo.hasNextPage) break;
        after = connection.pageInfo.endCursor;
      }
      expect(forward).toEqual(list);
      const backward: string[] = [];
      let before: string | null = null;
      for (let guard = 0; guard < 100; guard++) {
        const { connection } = serve({ last: pageSize, before });
        backward.unshift(...connection.nodes);
        if (!connection.pageInfo.hasPreviousPage) break;
        before = connection.pageInfo.startCursor;
      }
      expect(backward).toEqual(list);
    });
  }

  it('pages lists held in memory the same way', () => {
    const window = pageWindow({ first: 2, after: cursorAt(0) }, scope, 'members');
    expect(connectionFromList(window, ['a', 'b', 'c', 'd']).nodes).toEqual(['b', 'c']);
  });
});
