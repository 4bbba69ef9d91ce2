// Another process's resident memory and CPU time, read from outside it (Linux /proc), so the figures do not depend
// on that process's event loop being free to answer: a subgraph busy with 50 clients still gets sampled on time.
// Off Linux every reading is null and the suites say so.

import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ: 100 on every Linux Node supports). */
const CLOCK_TICKS = 100;

/** VmRSS of `pid` in bytes, or null. */
export function rssOf(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match === null ? null : Number(match[1]) * 1024;
  } catch {
    return null;
  }
}

/** User + system CPU time `pid` has used so far, in milliseconds (10 ms resolution), or null. */
export function cpuMsOf(pid: number): number | null {
  try {
    const fields = (readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1] ?? '').split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? (ticks / CLOCK_TICKS) * 1000 : null;
  } catch {
    return null;
  }
}

/** One RSS reading: seconds since the sampler started, bytes. */
export type RssSample = readonly [seconds: number, bytes: number];

export interface RssSampler {
  /** Readings so far. */
  readonly samples: readonly RssSample[];
  /** Seconds since the sampler started. */
  elapsed(): number;
  stop(): RssSample[];
}

/** Reads `pid`'s RSS every `everyMs` from this process until stopped (nothing when /proc is not available). */
export function sampleRss(pid: number, everyMs: number): RssSampler {
  const started = performance.now();
  const samples: RssSample[] = [];
  const take = (): void => {
    const rss = rssOf(pid);
    if (rss !== null) samples.push([(performance.now() - started) / 1000, rss]);
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    samples,
    elapsed: () => (performance.now() - started) / 1000,
    stop() {
      clearInterval(timer);
      take();
      return samples;
    },
  };
}
