// Internal to src/emulator: the domain's entry point for the shell. `createState` builds a seeded emulated cluster;
// the returned EmulatorState implements the shell's DomainState and exposes inspectors for tests.

import type { Clock, Fidelity, SeedSpec } from '../types.js';
import { applySeed } from '../seed/index.js';
import { EmulatorState } from './state.js';

export { EmulatorState } from './state.js';
export type { SortField, StateDeps } from './state.js';
export { PRIMARY_ORG_ID, TSADMIN_PASSWORD, WELL_KNOWN } from './model.js';
export type { GroupRec, OrgRec, RoleRec, TokenRec, UserRec } from './model.js';

/**
 * Builds the domain state for a seed. `fidelity` is kept by reference for the one place without a handler context
 * (the secret-key getter); handlers always read the live switches from their context.
 */
export function createState(seed: SeedSpec, deps: { fidelity: Fidelity; clock: Clock }): EmulatorState {
  const state = new EmulatorState(deps);
  applySeed(state, seed);
  return state;
}
