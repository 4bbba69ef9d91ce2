// Internal to src/provisioning: how a run makes its calls, shared by the blueprint executor (apply.ts) and the churn
// (churn.ts). Steps run phase by phase; the steps of one phase are independent, so up to `concurrency` of them are
// under way at once. The first failure stops the run: no step starts after it, and the steps already under way finish
// and are reported as they end.

/** One call of a run. */
export interface RunStep {
  readonly phase: number;
  /** Makes the call; a rejection is the step's failure. */
  readonly run: () => Promise<void>;
}

/** Options of `runSteps`. */
export interface RunStepsOptions<S extends RunStep> {
  /** Steps of one phase under way at once (at least 1). */
  readonly concurrency: number;
  /** Called once per step that ran, as it settles: `error` is null on success. */
  readonly onSettled: (step: S, error: unknown) => void;
}

/** Runs `steps` (see the header); resolves to the first step that failed, or null when none did. */
export async function runSteps<S extends RunStep>(steps: readonly S[], options: RunStepsOptions<S>): Promise<S | null> {
  let failedFirst: S | null = null;
  const phases = [...new Set(steps.map((step) => step.phase))].sort((a, b) => a - b);
  for (const phase of phases) {
    if (failedFirst !== null) break;
    const queue = steps.filter((step) => step.phase === phase);
    const worker = async (): Promise<void> => {
      for (let step = queue.shift(); step !== undefined && failedFirst === null; step = queue.shift()) {
        let error: unknown = null;
        try {
          await step.run();
        } catch (caught) {
          error = caught ?? new Error('The call failed.');
          failedFirst ??= step;
        }
        options.onSettled(step, error);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, queue.length)) }, worker));
  }
  return failedFirst;
}

/**
 * Keeps a slow sink up to date without holding anyone up: `push` hands over the latest value and returns at once.
 * One write is under way at a time, a write starts at least `intervalMs` after the one before it, and values pushed
 * meanwhile are coalesced into the newest (each value is a complete snapshot, so the ones in between never need
 * writing). `settle` drops what is still waiting and resolves once the write under way (if any) has ended: for an
 * owner about to write the final value itself.
 */
export function latestOnly<T>(write: (value: T) => Promise<void>, intervalMs = 0): { push(value: T): void; settle(): Promise<void> } {
  let pending: { readonly value: T } | null = null;
  let writing: Promise<void> | null = null;
  let lastStart = Number.NEGATIVE_INFINITY;
  let timer: NodeJS.Timeout | null = null;
  const start = (): void => {
    timer = null;
    if (pending === null || writing !== null) return;
    const { value } = pending;
    pending = null;
    lastStart = performance.now();
    // `write` reports its own failures; a rejection here is dropped rather than left unhandled.
    writing = write(value).then(undefined, () => undefined).finally(() => {
      writing = null;
      if (pending !== null) schedule();
    });
  };
  const schedule = (): void => {
    if (timer !== null || writing !== null) return;
    const wait = lastStart + intervalMs - performance.now();
    if (wait <= 0) start();
    else {
      timer = setTimeout(start, wait);
      // A report never keeps the process alive.
      timer.unref();
    }
  };
  return {
    push(value) {
      pending = { value };
      schedule();
    },
    async settle() {
      pending = null;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      await writing;
    },
  };
}
