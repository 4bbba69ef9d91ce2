import { describe, expect, it } from 'vitest';
import { mapBounded } from '../../../src/loaders/bounded.js';

/** A task whose settling the test controls, to observe how many run at once. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

describe('mapBounded', () => {
  it('returns the results in item order, whatever order the calls settle in', async () => {
    const delays = [30, 0, 10, 0, 20];
    const results = await mapBounded(delays, 2, async (delay, index) => {
      await new Promise((resolve) => setTimeout(resolve, delay));
      return `${index}:${delay}`;
    });
    expect(results).toEqual(['0:30', '1:0', '2:10', '3:0', '4:20']);
  });

  it('keeps at most limit calls pending, and starts the items in order', async () => {
    const gates = Array.from({ length: 5 }, gate);
    const started: number[] = [];
    let pending = 0;
    let most = 0;
    const done = mapBounded(gates, 2, async (g, index) => {
      started.push(index);
      pending += 1;
      most = Math.max(most, pending);
      await g.promise;
      pending -= 1;
      return index;
    });
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    for (const g of gates) {
      g.open();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await done).toEqual([0, 1, 2, 3, 4]);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBe(2);
  });

  it('returns an empty list for no items without calling anything', async () => {
    expect(await mapBounded([], 3, () => Promise.reject(new Error('not called')))).toEqual([]);
  });

  it('rejects with the first failure once nothing is pending', async () => {
    const settled: number[] = [];
    const run = mapBounded([0, 1, 2], 3, async (item) => {
      if (item === 0) throw new Error('item 0 failed');
      await new Promise((resolve) => setTimeout(resolve, 5));
      settled.push(item);
      return item;
    });
    await expect(run).rejects.toThrow('item 0 failed');
    expect(settled).toEqual([1, 2]);
  });

  it('refuses a limit that is not a positive integer, verbatim', async () => {
    await expect(mapBounded([1], 0, (x) => Promise.resolve(x))).rejects.toThrow('mapBounded needs a positive integer limit, but got: 0.');
    await expect(mapBounded([1], 1.5, (x) => Promise.resolve(x))).rejects.toThrow('mapBounded needs a positive integer limit, but got: 1.5.');
  });
});
