// Internal to src/emulator: the seed builders. `applySeed` fills an empty state from a SeedSpec; the builders are
// exported for tests and benchmarks that want one directly.

import type { SeedSpec } from '../types.js';
import type { EmulatorState } from '../domain/state.js';
import { seedDemo } from './demo.js';
import { seedLarge } from './large.js';
import { seedMinimal } from './minimal.js';

export { DEMO_PASSWORD, seedDemo } from './demo.js';
export { seedLarge } from './large.js';
export { SEED_EPOCH_MS, seedMinimal, seedWellKnown } from './minimal.js';

/** Fills an empty state with the named seed. */
export function applySeed(state: EmulatorState, spec: SeedSpec): void {
  if (state.orgs.size > 0) throw new Error('applySeed needs an empty state, but this one already has Orgs.');
  if (spec === 'demo') seedDemo(state);
  else if (spec === 'minimal') seedMinimal(state);
  else if (typeof spec === 'object' && spec !== null && 'large' in spec) seedLarge(state, spec.large.users);
  else throw new TypeError(`Unknown seed: expected 'demo', 'minimal' or { large: { users } }, but got: ${JSON.stringify(spec)}`);
}
