// Rates measured after the fact, from timestamps a test collected (an emulator's call log, a budget's grants): the
// busiest window is what a rate limit is about, and counting it needs no clock of the test's own.

/** The largest number of `times` (milliseconds) that fall within any window `[t, t + windowMs)`. */
export function busiestWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end += 1) {
    while ((sorted[end] as number) - (sorted[start] as number) >= windowMs) start += 1;
    best = Math.max(best, end - start + 1);
  }
  return best;
}
