import { describe, expect, it } from 'vitest';
import { MAX_RESYNCS, UnstableListingError, walkPages } from '../../../src/thoughtspot/paging.js';

interface Row {
  readonly id: string;
}

/** An in-memory sorted listing the test can change between page fetches, recording every fetch. */
function listing(names: string[]) {
  let rows = [...names].sort();
  const fetches: [number, number][] = [];
  let beforeFetch: ((fetchIndex: number) => void) | undefined;
  return {
    fetches,
    set onFetch(hook: (fetchIndex: number) => void) {
      beforeFetch = hook;
    },
    insert: (name: string) => (rows = [...rows, name].sort()),
    remove: (name: string) => (rows = rows.filter((row) => row !== name)),
    fetch: async (offset: number, size: number): Promise<Row[]> => {
      beforeFetch?.(fetches.length);
      fetches.push([offset, size]);
      return rows.slice(offset, offset + size).map((id) => ({ id }));
    },
  };
}

async function collect(source: ReturnType<typeof listing>, pageSize: number): Promise<string[]> {
  const out: string[] = [];
  for await (const row of walkPages(source.fetch, (item) => item.id, pageSize)) out.push(row.id);
  return out;
}

const names = (count: number): string[] => Array.from({ length: count }, (_, index) => `u${String(index).padStart(3, '0')}`);

describe('walkPages', () => {
  it('yields every row once and stops on the first short page', async () => {
    const source = listing(names(10));
    expect(await collect(source, 4)).toEqual(names(10));
    expect(source.fetches).toEqual([
      [0, 4],
      [3, 5],
      [7, 5],
    ]);
  });

  it('asks once more when the listing is an exact multiple of the page size', async () => {
    const source = listing(names(8));
    expect(await collect(source, 4)).toEqual(names(8));
    expect(source.fetches).toEqual([
      [0, 4],
      [3, 5],
      [7, 5],
    ]);
  });

  it('yields nothing for an empty listing after one call', async () => {
    const source = listing([]);
    expect(await collect(source, 5)).toEqual([]);
    expect(source.fetches).toHaveLength(1);
  });

  it('loses no row when rows before the offset are deleted mid-walk', async () => {
    const source = listing(names(12));
    source.onFetch = (index) => {
      if (index === 1) {
        source.remove('u000');
        source.remove('u001');
      }
    };
    const seen = await collect(source, 4);
    // u000 and u001 were yielded before they were deleted; every row that survived appears exactly once.
    expect(seen).toEqual(names(12));
  });

  it('repeats no row when rows are inserted before the offset mid-walk', async () => {
    const source = listing(names(12));
    source.onFetch = (index) => {
      if (index === 1) {
        source.insert('a-new-1');
        source.insert('a-new-2');
      }
    };
    const seen = await collect(source, 4);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(names(12));
  });

  it('survives the deletion of the anchor row itself', async () => {
    const source = listing(names(9));
    source.onFetch = (index) => {
      if (index === 1) source.remove('u003');
    };
    expect(await collect(source, 4)).toEqual(names(9));
  });

  it('rewinds more than one page when a whole page was deleted behind it', async () => {
    const source = listing(names(20));
    source.onFetch = (index) => {
      if (index === 2) for (const name of names(8)) source.remove(name);
    };
    expect(await collect(source, 4)).toEqual(names(20));
  });

  it('yields rows inserted after the offset', async () => {
    const source = listing(names(6));
    source.onFetch = (index) => {
      if (index === 1) source.insert('u999');
    };
    expect(await collect(source, 4)).toEqual([...names(6), 'u999']);
  });

  it('gives up on a listing that never holds still', async () => {
    let counter = 0;
    const fetch = async (offset: number, size: number): Promise<Row[]> => {
      counter += 1;
      // Every call sees a fresh set of rows: nothing ever anchors.
      return Array.from({ length: size }, (_, index) => ({ id: `c${counter}-${offset + index}` }));
    };
    const walk = async (): Promise<void> => {
      for await (const _row of walkPages(fetch, (row) => row.id, 2)) {
        // drain
      }
    };
    await expect(walk()).rejects.toThrow(UnstableListingError);
    await expect(walk()).rejects.toThrow(`more than ${MAX_RESYNCS} times`);
  });
});
