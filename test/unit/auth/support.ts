// Helpers of the auth tests: a fixed clock, real tokens signed by jose, and a real JWKS endpoint on 127.0.0.1 whose
// key set and behaviour a test changes as it goes. Each test builds its own keys and server: nothing is shared.

import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { expect, onTestFinished } from 'vitest';
import { AuthenticationError, type AuthenticationFailure, type Authenticator } from '../../../src/auth/index.js';

/** The tests' wall clock, in seconds since the epoch (2025-06-15T16:00:00Z); authenticators get it as `now`. */
export const NOW_S = 1_750_003_200;
export const now = (): number => NOW_S * 1000;

export const ISSUER = 'https://idp.example.com/';
export const AUDIENCE = 'directory';
export const SECRET = 'an-hs256-test-secret-of-32-bytes';

/** The registered claims of a valid token; a test overrides or removes (`undefined`) what it checks. */
export const VALID: JWTPayload = { sub: 'svc-provisioner', iss: ISSUER, aud: AUDIENCE, iat: NOW_S - 60, exp: NOW_S + 300 };

/** Signs `claims` (merged over VALID; an `undefined` value removes the claim) with `key` under `header`. */
export async function mint(
  claims: Record<string, unknown>,
  key: CryptoKey | Uint8Array,
  header: { readonly alg: string; readonly kid?: string } = { alg: 'HS256' },
): Promise<string> {
  const payload = Object.fromEntries(Object.entries({ ...VALID, ...claims }).filter(([, value]) => value !== undefined));
  return new SignJWT(payload).setProtectedHeader(header).sign(key);
}

/** The secret of the HS256 tests as jose takes it. */
export const secretKey = (secret = SECRET): Uint8Array => new TextEncoder().encode(secret);

/** A key pair for RS256 or ES256 and its public JWK, labelled with `kid` unless it is null. */
export async function keyPair(alg: 'RS256' | 'ES256', kid: string | null): Promise<{ privateKey: CryptoKey; jwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const jwk: JWK = { ...(await exportJWK(publicKey)), alg, use: 'sig' };
  if (kid !== null) jwk.kid = kid;
  return { privateKey, jwk };
}

/** What the JWKS endpoint does with the next requests. */
export type JwksBehaviour = 'serve' | 'status-503' | 'not-json' | 'not-a-key-set' | 'reset' | 'hang';

export interface JwksServer {
  readonly url: string;
  /** The keys served while the behaviour is `serve`. */
  keys: JWK[];
  behaviour: JwksBehaviour;
  /** How many requests reached the endpoint. */
  readonly requests: number;
}

/** Starts a JWKS endpoint on 127.0.0.1 and port 0, closed when the test finishes. */
export async function startJwksServer(keys: JWK[]): Promise<JwksServer> {
  const held: ServerResponse[] = [];
  const state = { keys, behaviour: 'serve' as JwksBehaviour, requests: 0 };
  const server = createServer((request, response) => {
    state.requests += 1;
    switch (state.behaviour) {
      case 'serve':
        response.writeHead(200, { 'content-type': 'application/jwk-set+json' }).end(JSON.stringify({ keys: state.keys }));
        return;
      case 'status-503':
        response.writeHead(503, { 'content-type': 'text/plain' }).end('maintenance');
        return;
      case 'not-json':
        response.writeHead(200, { 'content-type': 'application/json' }).end('<html>login</html>');
        return;
      case 'not-a-key-set':
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ issuer: ISSUER }));
        return;
      case 'reset':
        request.socket.destroy();
        return;
      case 'hang':
        held.push(response);
        return;
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    get keys() {
      return state.keys;
    },
    set keys(next) {
      state.keys = next;
    },
    get behaviour() {
      return state.behaviour;
    },
    set behaviour(next) {
      state.behaviour = next;
    },
    get requests() {
      return state.requests;
    },
  };
}

/** Closes the authenticator when the test finishes. */
export function closing<T extends Authenticator>(authenticator: T): T {
  onTestFinished(() => authenticator.close());
  return authenticator;
}

/** The AuthenticationError `authenticate(header)` rejects with; asserts its reason, code and HTTP status. */
export async function refusal(authenticator: Authenticator, header: string | undefined, reason: AuthenticationFailure): Promise<AuthenticationError> {
  const error = await authenticator.authenticate(header).then(
    () => {
      throw new Error(`expected the authenticator to refuse with ${reason}`);
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AuthenticationError);
  const refused = error as AuthenticationError;
  expect(refused.reason).toBe(reason);
  expect(refused.extensions['code']).toBe('UNAUTHENTICATED');
  expect((refused.extensions['http'] as { status: number }).status).toBe(401);
  // Nothing of the credential comes back: not in the message, not in anything serialised.
  const token = header?.split(/\s+/)[1];
  if (token !== undefined && token.length > 8) {
    expect(refused.message).not.toContain(token);
    expect(JSON.stringify(refused)).not.toContain(token);
    for (const part of token.split('.').filter((segment) => segment.length > 8)) expect(refused.message).not.toContain(part);
  }
  return refused;
}

/** The WWW-Authenticate challenge an AuthenticationError asks Apollo Server to send. */
export function challengeOf(error: AuthenticationError): string | undefined {
  return (error.extensions['http'] as { headers: Map<string, string> }).headers.get('www-authenticate');
}
