import { describe, expect, it } from 'vitest';
import {
  RecordNotFoundError,
  alignToKeys,
  bucketBy,
  canonicalKey,
  isRecordNotFound,
  settleBuckets,
} from '../../../src/loaders/align.js';

interface Row {
  readonly id: string;
  readonly n: number;
}

describe('alignToKeys', () => {
  it('returns one result per key, in key order, whatever order the rows came in', () => {
    const rows: Row[] = [
      { id: 'c', n: 3 },
      { id: 'a', n: 1 },
      { id: 'b', n: 2 },
    ];
    const result = alignToKeys(['a', 'b', 'c', 'a'], rows, (r) => r.id, (k) => k, (k) => new RecordNotFoundError('Row', k));
    expect(result).toEqual([rows[1], rows[2], rows[0], rows[1]]);
  });

  it('gives each missing key its own Error instead of failing the batch', () => {
    const result = alignToKeys(['a', 'zz', 'b'], [{ id: 'a', n: 1 }, { id: 'b', n: 2 }], (r) => r.id, (k) => k, (k) => new RecordNotFoundError('Row', k));
    expect(result).toHaveLength(3);
    expect(result[0]).toEqual({ id: 'a', n: 1 });
    expect(isRecordNotFound(result[1])).toBe(true);
    expect((result[1] as RecordNotFoundError).message).toBe('No Row matches "zz".');
    expect(result[2]).toEqual({ id: 'b', n: 2 });
  });

  it('keeps the first of duplicate rows', () => {
    const result = alignToKeys(['a'], [{ id: 'a', n: 1 }, { id: 'a', n: 9 }], (r) => r.id, (k) => k, (k) => new Error(k));
    expect(result).toEqual([{ id: 'a', n: 1 }]);
  });

  it('maps keys through keyOfKey (object keys)', () => {
    const result = alignToKeys([{ org: 1, id: 'b' }], [{ id: 'b', n: 2 }], (r) => r.id, (k) => k.id, () => new Error('missing'));
    expect(result).toEqual([{ id: 'b', n: 2 }]);
  });
});

describe('bucketBy and settleBuckets', () => {
  it('groups keys by bucket and writes results back at the original positions', async () => {
    const keys = [
      { org: 1, v: 'a' },
      { org: 2, v: 'b' },
      { org: 1, v: 'c' },
    ];
    const buckets = bucketBy(keys, (k) => String(k.org));
    expect(buckets.map((b) => b.positions)).toEqual([[0, 2], [1]]);
    const results = await settleBuckets(keys.length, buckets, (bucket) =>
      Promise.resolve(bucket.map((k) => `${k.org}:${k.v}`)),
    );
    expect(results).toEqual(['1:a', '2:b', '1:c']);
  });

  it('fails only the keys of a bucket whose task rejects', async () => {
    const keys = ['x1', 'y1', 'x2'];
    const results = await settleBuckets(keys.length, bucketBy(keys, (k) => k[0] as string), (bucket) =>
      bucket[0]?.startsWith('y') === true ? Promise.reject(new Error('Org y is down')) : Promise.resolve(bucket),
    );
    expect(results[0]).toBe('x1');
    expect(results[2]).toBe('x2');
    expect(results[1]).toBeInstanceOf(Error);
    expect((results[1] as Error).message).toBe('Org y is down');
  });

  it('reports a task that returns the wrong number of results', async () => {
    const results = await settleBuckets(2, bucketBy(['a', 'b'], () => 'one'), () => Promise.resolve(['only one']));
    expect((results[1] as Error).message).toBe('Batch task returned 1 results for 2 keys.');
  });
});

describe('canonicalKey', () => {
  it('ignores property order and undefined properties', () => {
    expect(canonicalKey({ b: [2, { d: 1, c: undefined }], a: 1 })).toBe(canonicalKey({ a: 1, b: [2, { d: 1 }] }));
  });
});
