// Public to the rest of src: the end of every exhaustive switch (house rule 3). A leaf (no imports), so a switch over
// the adapter's codes or the subgraph's own can close with it on either side of the adapter boundary.

/**
 * Thrown from the `default` arm of an exhaustive switch. Its parameter is typed `never`, so the switch stops
 * compiling when a case is missing.
 */
export class UnreachableCaseError extends Error {
  override readonly name = 'UnreachableCaseError';
  constructor(value: never) {
    super(`Unreachable case: ${JSON.stringify(value)}`);
  }
}
