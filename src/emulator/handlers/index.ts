// Internal to src/emulator: every endpoint's domain handler, keyed by the exact `id` of its contract.json entry. The
// shell looks handlers up here after routing, authentication and request validation.

import type { Handler } from '../types.js';
import type { EmulatorState } from '../domain/state.js';
import { authHandlers } from './auth.js';
import { groupHandlers } from './groups.js';
import { orgHandlers } from './orgs.js';
import { roleHandlers } from './roles.js';
import { systemHandlers } from './system.js';
import { userHandlers } from './users.js';

/** One handler per contract endpoint id (all 34 in-scope endpoints). */
export const handlers: Readonly<Record<string, Handler<EmulatorState>>> = Object.freeze({
  ...authHandlers,
  ...userHandlers,
  ...groupHandlers,
  ...orgHandlers,
  ...roleHandlers,
  ...systemHandlers,
});
