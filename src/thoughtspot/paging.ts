// Internal to src/thoughtspot: walking an offset-paged search from start to end. ThoughtSpot pages by
// `record_offset`/`record_size` over a bare array with no total and no cursor (CONTRACT.md §5), so a row inserted or
// deleted before the current offset while we page shifts every later row: plain offset paging would then repeat or
// skip rows. This walker detects the shift and re-anchors, so a row that exists for the whole walk is yielded exactly
// once, and no row is ever yielded twice.

/** How many times one walk may re-anchor before it gives up on a listing that will not hold still. */
export const MAX_RESYNCS = 100;

/** Fetch `size` rows starting at `offset`, in a stable order. */
export type PageFetcher<T> = (offset: number, size: number) => Promise<readonly T[]>;

/** The listing changed faster than the walk could re-anchor. */
export class UnstableListingError extends Error {
  override readonly name = 'UnstableListingError';
}

/**
 * Yield every row of an offset-paged listing.
 *
 * Each page after the first is fetched with one row of overlap: it should begin with the last row of the previous
 * page (the anchor). When it does, nothing moved before us. When it does not, rows were inserted or deleted before the
 * current position; the walker then looks for the most recently yielded row that is still in the window, rewinding a
 * page at a time when none is, and resumes right after it. Rows already yielded are skipped by id. The walk ends on
 * the first page shorter than requested.
 */
export async function* walkPages<T>(fetchPage: PageFetcher<T>, idOf: (row: T) => string, pageSize: number): AsyncGenerator<T> {
  const yielded = new Map<string, number>();
  let sequence = 0;
  let anchorId: string | undefined;
  let offset = 0;
  let resyncs = 0;

  const latestYielded = (rows: readonly T[]): number => {
    let best = -1;
    let bestSequence = -1;
    rows.forEach((row, index) => {
      const seen = yielded.get(idOf(row));
      if (seen !== undefined && seen > bestSequence) {
        best = index;
        bestSequence = seen;
      }
    });
    return best;
  };

  for (;;) {
    const overlap = anchorId === undefined ? 0 : 1;
    let start = offset - overlap;
    let requested = pageSize + overlap;
    let rows = await fetchPage(start, requested);
    let from = 0;
    if (overlap === 1) {
      const first = rows[0];
      if (first !== undefined && idOf(first) === anchorId) {
        from = 1;
      } else if (rows.length > 0 || start > 0) {
        resyncs += 1;
        if (resyncs > MAX_RESYNCS) {
          throw new UnstableListingError(`the listing changed under the walk more than ${MAX_RESYNCS} times`);
        }
        let found = latestYielded(rows);
        while (found === -1 && start > 0) {
          start = Math.max(0, start - pageSize);
          requested = pageSize + 1;
          rows = await fetchPage(start, requested);
          found = latestYielded(rows);
        }
        from = found + 1;
      }
    }
    for (let index = from; index < rows.length; index += 1) {
      const row = rows[index] as T;
      const id = idOf(row);
      if (yielded.has(id)) continue;
      yielded.set(id, sequence);
      sequence += 1;
      yield row;
    }
    const last = rows[rows.length - 1];
    if (rows.length < requested || last === undefined) return;
    anchorId = idOf(last);
    offset = start + rows.length;
  }
}
