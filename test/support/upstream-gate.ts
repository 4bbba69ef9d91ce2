// An undici dispatcher that holds every upstream call to one endpoint until the test opens the gate, so that "a
// request is executing and waiting upstream" is a fact the test controls, not a timing.

import { Pool, type Dispatcher } from 'undici';

export interface UpstreamGate {
  /** The dispatcher to give `createApp` (`AppOverrides.dispatcher`). */
  readonly dispatcher: Dispatcher;
  /** The pool under it; destroy it after the app has stopped. */
  readonly pool: Pool;
  /** Calls to the gated endpoint that have arrived (held or let through). */
  reached(): number;
  /** Resolves when the first call to the gated endpoint has arrived. */
  readonly firstReached: Promise<void>;
  /** Lets every held call through, and every later one at once. */
  open(): void;
}

/** Holds calls to ThoughtSpot at `url` whose path ends with `pathSuffix` (e.g. `/orgs/search`). */
export function upstreamGate(url: string, pathSuffix: string, poolOptions: Pool.Options = { connections: 4 }): UpstreamGate {
  let reached = 0;
  let firstArrived!: () => void;
  const firstReached = new Promise<void>((resolve) => (firstArrived = resolve));
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const pool = new Pool(url, poolOptions);
  const dispatcher = pool.compose((dispatch) => (opts, handler) => {
    if (!String(opts.path).endsWith(pathSuffix)) return dispatch(opts, handler);
    reached += 1;
    firstArrived();
    void opened.then(() => dispatch(opts, handler));
    return true;
  });
  return { dispatcher, pool, reached: () => reached, firstReached, open };
}
