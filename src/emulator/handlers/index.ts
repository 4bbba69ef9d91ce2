// Internal to src/emulator: every endpoint's domain handler, keyed by the exact `id` of its contract.json entry. The
// shell looks handlers up here after routing, authentication and request validation.

import type { Handler, HandlerContext, HandlerResult } from '../types.js';
import type { EmulatorState } from '../domain/state.js';
import { authHandlers } from './auth.js';
import { groupHandlers } from './groups.js';
import { orgHandlers } from './orgs.js';
import { roleHandlers } from './roles.js';
import { systemHandlers } from './system.js';
import { userHandlers } from './users.js';

/**
 * Endpoints that only read the directory. Every other handler may write records in place (a handler sets a user's
 * fields, then touches it), so the table records a change after it, win or lose: what the state derives and caches
 * (closures, wire forms of search answers) is never older than the last write.
 */
const READ_ONLY = new Set([
  'POST /api/rest/2.0/users/search',
  'POST /api/rest/2.0/groups/search',
  'POST /api/rest/2.0/roles/search',
  'POST /api/rest/2.0/orgs/search',
  'GET /api/rest/2.0/auth/session/user',
  'GET /api/rest/2.0/system',
  'GET /api/rest/2.0/system/config',
]);

function recordingChanges(handler: Handler<EmulatorState>): Handler<EmulatorState> {
  return (ctx: HandlerContext<EmulatorState>) => {
    let result: HandlerResult | Promise<HandlerResult>;
    try {
      result = handler(ctx);
    } catch (err) {
      ctx.state.changed();
      throw err;
    }
    if (!(result instanceof Promise)) {
      ctx.state.changed();
      return result;
    }
    ctx.state.changed();
    return result.finally(() => ctx.state.changed());
  };
}

const all: Readonly<Record<string, Handler<EmulatorState>>> = {
  ...authHandlers,
  ...userHandlers,
  ...groupHandlers,
  ...orgHandlers,
  ...roleHandlers,
  ...systemHandlers,
};

/** One handler per contract endpoint id (all 34 in-scope endpoints). */
export const handlers: Readonly<Record<string, Handler<EmulatorState>>> = Object.freeze(
  Object.fromEntries(Object.entries(all).map(([id, handler]) => [id, READ_ONLY.has(id) ? handler : recordingChanges(handler)])),
);
