// Test support: a stand-in domain for tests of the emulator's HTTP shell. Every endpoint echoes what the shell
// handed it, so a test can see exactly which handler a request reached and with which validated inputs.

import { ENDPOINTS } from '../../../src/emulator/contract.js';
import type { Credentials, DomainState, Handler, Principal } from '../../../src/emulator/types.js';

/** The bearer token and session id the fake state accepts. */
export const FAKE_TOKEN = 'fake-token';
export const FAKE_SESSION = 'fake-session';

/** A principal-only domain state: one valid token and one valid session. */
export interface FakeState extends DomainState {
  /** How many times the shell asked to authenticate. */
  authenticateCalls: number;
}

/** Creates the fake state. */
export function createFakeState(): FakeState {
  const principal: Principal = { userId: 'user-guid-1', orgId: 0, accessType: 'FULL', token: FAKE_TOKEN };
  const state: FakeState = {
    authenticateCalls: 0,
    adminCredentials: { username: 'tsadmin', password: 'admin' },
    authenticate(credentials: Credentials) {
      state.authenticateCalls += 1;
      if (credentials.bearer === FAKE_TOKEN || credentials.sessionId === FAKE_SESSION) return principal;
      return null;
    },
  };
  return state;
}

/** What an echo handler answers with. */
export interface Echo {
  endpoint: string;
  params: Record<string, string>;
  body: Record<string, unknown>;
  principal: Principal | null;
}

/** One echo handler per contract endpoint: 200 endpoints answer with an `Echo`, 204 endpoints with no body. */
export function createEchoHandlers(): Record<string, Handler<FakeState>> {
  return Object.fromEntries(
    ENDPOINTS.map((endpoint): [string, Handler<FakeState>] => [
      endpoint.id,
      (ctx) =>
        endpoint.success.status === 204
          ? { status: 204 }
          : { status: 200, body: { endpoint: ctx.endpoint, params: ctx.params, body: ctx.body, principal: ctx.principal } },
    ]),
  );
}
