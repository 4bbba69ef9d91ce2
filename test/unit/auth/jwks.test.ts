// The authenticator with the issuer's JWKS (RS256, ES256): a real key set served over HTTP on 127.0.0.1, its cache,
// key rotation, the cooldown that bounds refetches, and every way the key set can be unavailable.

import { errors } from 'jose';
import { Agent } from 'undici';
import { describe, expect, it } from 'vitest';
import { createAuthenticator, type Authenticator, type AuthenticatorOverrides } from '../../../src/auth/index.js';
import { AUDIENCE, challengeOf, closing, ISSUER, keyPair, mint, now, refusal, secretKey, startJwksServer, type JwksServer } from './support.js';

function viaJwks(server: JwksServer, jwks: AuthenticatorOverrides['jwks'] = {}): Authenticator {
  return closing(
    createAuthenticator({ mode: 'jwt', key: { kind: 'jwks', url: server.url }, issuer: ISSUER, audience: AUDIENCE }, { now, jwks }),
  );
}

const bearer = (token: string): string => `Bearer ${token}`;

describe('createAuthenticator with a JWKS (RS256, ES256)', () => {
  it('accepts RS256 and ES256 tokens, fetching the key set once for many tokens', async () => {
    const rsa = await keyPair('RS256', 'rsa-1');
    const ec = await keyPair('ES256', 'ec-1');
    const server = await startJwksServer([rsa.jwk, ec.jwk]);
    const authenticator = viaJwks(server);
    const rsaToken = await mint({ scope: 'directory:read', orgs: ['Acme'] }, rsa.privateKey, { alg: 'RS256', kid: 'rsa-1' });
    const ecToken = await mint({ scope: 'directory:embed', sub: 'embed-backend' }, ec.privateKey, { alg: 'ES256', kid: 'ec-1' });
    expect(await authenticator.authenticate(bearer(rsaToken))).toEqual({
      subject: 'svc-provisioner',
      scopes: new Set(['directory:read']),
      orgs: new Set(['Acme']),
      connectionId: null,
    });
    expect((await authenticator.authenticate(bearer(ecToken))).scopes).toEqual(new Set(['directory:embed']));
    await Promise.all([authenticator.authenticate(bearer(rsaToken)), authenticator.authenticate(bearer(ecToken))]);
    expect(server.requests).toBe(1);
  });

  it('accepts a token with a new key id once the issuer has rotated its keys', async () => {
    const first = await keyPair('RS256', 'key-2025-05');
    const second = await keyPair('ES256', 'key-2025-06');
    const server = await startJwksServer([first.jwk]);
    // No cooldown: the refetch an unknown key id triggers is allowed at once.
    const authenticator = viaJwks(server, { cooldownMs: 0 });
    await authenticator.authenticate(bearer(await mint({}, first.privateKey, { alg: 'RS256', kid: 'key-2025-05' })));
    expect(server.requests).toBe(1);

    server.keys = [second.jwk];
    const rotated = await authenticator.authenticate(bearer(await mint({ sub: 'after-rotation' }, second.privateKey, { alg: 'ES256', kid: 'key-2025-06' })));
    expect(rotated.subject).toBe('after-rotation');
    expect(server.requests).toBe(2);

    // The retired key is gone from the set: its tokens now fail as signed with an unknown key.
    const retired = await refusal(
      authenticator,
      bearer(await mint({}, first.privateKey, { alg: 'RS256', kid: 'key-2025-05' })),
      'unknown_key',
    );
    expect(retired.message).toBe('The bearer token is signed with a key this service does not know.');
  });

  it('does not fetch again within the cooldown, however many unknown key ids arrive', async () => {
    const known = await keyPair('ES256', 'known');
    const later = await keyPair('ES256', 'later');
    const server = await startJwksServer([known.jwk]);
    // An hour of cooldown: nothing in this test may refetch.
    const authenticator = viaJwks(server, { cooldownMs: 3_600_000 });
    await authenticator.authenticate(bearer(await mint({}, known.privateKey, { alg: 'ES256', kid: 'known' })));
    server.keys = [known.jwk, later.jwk];
    for (const kid of ['later', 'made-up-1', 'made-up-2']) {
      await refusal(authenticator, bearer(await mint({}, later.privateKey, { alg: 'ES256', kid })), 'unknown_key');
    }
    expect(server.requests).toBe(1);
  });

  it('refuses a token that names a known key id but was signed by another key', async () => {
    const genuine = await keyPair('ES256', 'k1');
    const forger = await keyPair('ES256', null);
    const server = await startJwksServer([genuine.jwk]);
    const error = await refusal(viaJwks(server), bearer(await mint({ scope: 'directory:admin' }, forger.privateKey, { alg: 'ES256', kid: 'k1' })), 'bad_signature');
    expect(challengeOf(error)).toBe('Bearer error="invalid_token", error_description="The bearer token signature is not valid."');
  });

  it('tries each candidate key for a token without a key id, as during an issuer’s rotation', async () => {
    const old = await keyPair('ES256', null);
    const current = await keyPair('ES256', null);
    const stranger = await keyPair('ES256', null);
    const server = await startJwksServer([old.jwk, current.jwk]);
    const authenticator = viaJwks(server);
    expect((await authenticator.authenticate(bearer(await mint({ sub: 'by-current' }, current.privateKey, { alg: 'ES256' })))).subject).toBe('by-current');
    expect((await authenticator.authenticate(bearer(await mint({ sub: 'by-old' }, old.privateKey, { alg: 'ES256' })))).subject).toBe('by-old');
    await refusal(authenticator, bearer(await mint({}, stranger.privateKey, { alg: 'ES256' })), 'bad_signature');
    // The claims are still checked, once the signature holds.
    await refusal(authenticator, bearer(await mint({ aud: 'billing' }, current.privateKey, { alg: 'ES256' })), 'wrong_audience');
  });

  it('refuses HS256 and none before any key is fetched (no RS/HS confusion)', async () => {
    const rsa = await keyPair('RS256', 'k1');
    const server = await startJwksServer([rsa.jwk]);
    const authenticator = viaJwks(server);
    // An HMAC "signed" with the public key's modulus, the classic confusion attack.
    const confused = await mint({}, new TextEncoder().encode(String(rsa.jwk.n)), { alg: 'HS256', kid: 'k1' });
    await refusal(authenticator, bearer(confused), 'algorithm_not_allowed');
    await refusal(authenticator, bearer(await mint({}, secretKey(), { alg: 'HS256' })), 'algorithm_not_allowed');
    expect(server.requests).toBe(0);
  });

  it('checks times, issuer and audience as with a secret', async () => {
    const rsa = await keyPair('ES256', 'k1');
    const server = await startJwksServer([rsa.jwk]);
    const authenticator = viaJwks(server);
    const sign = (claims: Record<string, unknown>) => mint(claims, rsa.privateKey, { alg: 'ES256', kid: 'k1' });
    await refusal(authenticator, bearer(await sign({ exp: 1 })), 'expired');
    await refusal(authenticator, bearer(await sign({ iss: 'https://other.example.com/' })), 'wrong_issuer');
    await refusal(authenticator, bearer(await sign({ sub: undefined })), 'missing_subject');
  });
});

describe('an unavailable JWKS', () => {
  it.each([
    ['answers 503', 'status-503', errors.JOSEError],
    ['answers something that is not JSON', 'not-json', errors.JOSEError],
    ['answers JSON that is not a key set', 'not-a-key-set', errors.JWKSInvalid],
    ['drops the connection', 'reset', TypeError],
  ] as const)('is reported as keys_unavailable when the endpoint %s, and the token is not blamed', async (_what, behaviour, cause) => {
    const rsa = await keyPair('ES256', 'k1');
    const server = await startJwksServer([rsa.jwk]);
    server.behaviour = behaviour;
    const error = await refusal(viaJwks(server), bearer(await mint({}, rsa.privateKey, { alg: 'ES256', kid: 'k1' })), 'keys_unavailable');
    expect(error.message).toBe('The bearer token could not be verified because the signing keys are unavailable; try again later.');
    // RFC 6750 §3.1: the token was not judged, so the challenge carries no invalid_token.
    expect(challengeOf(error)).toBe('Bearer');
    expect(error.cause).toBeInstanceOf(cause);
    expect(server.requests).toBeGreaterThan(0);
  });

  it('is reported as keys_unavailable when the endpoint does not answer in time, and recovers when it does', async () => {
    const rsa = await keyPair('ES256', 'k1');
    const server = await startJwksServer([rsa.jwk]);
    server.behaviour = 'hang';
    const authenticator = viaJwks(server, { timeoutMs: 50 });
    const token = bearer(await mint({}, rsa.privateKey, { alg: 'ES256', kid: 'k1' }));
    const error = await refusal(authenticator, token, 'keys_unavailable');
    expect(error.cause).toBeInstanceOf(errors.JWKSTimeout);

    // A failed fetch is not cached: the next request fetches again and succeeds.
    server.behaviour = 'serve';
    expect((await authenticator.authenticate(token)).subject).toBe('svc-provisioner');
  });
});

describe('Authenticator.close', () => {
  it('closes the dispatcher it made, and leaves one it was given open', async () => {
    const rsa = await keyPair('ES256', 'k1');
    const server = await startJwksServer([rsa.jwk]);
    const token = bearer(await mint({}, rsa.privateKey, { alg: 'ES256', kid: 'k1' }));

    const dispatcher = new Agent();
    const given = createAuthenticator(
      { mode: 'jwt', key: { kind: 'jwks', url: server.url }, issuer: ISSUER, audience: AUDIENCE },
      { now, dispatcher },
    );
    await given.authenticate(token);
    await given.close();
    expect(dispatcher.closed).toBe(false);
    await dispatcher.close();

    const own = createAuthenticator(
      { mode: 'jwt', key: { kind: 'jwks', url: server.url }, issuer: ISSUER, audience: AUDIENCE },
      { now, jwks: { cooldownMs: 0 } },
    );
    await own.authenticate(token);
    await own.close();
    // Its connections are gone: a later fetch (a token with a new key id) cannot be made.
    const fresh = await keyPair('ES256', 'k2');
    server.keys = [rsa.jwk, fresh.jwk];
    await refusal(own, bearer(await mint({}, fresh.privateKey, { alg: 'ES256', kid: 'k2' })), 'keys_unavailable');
  });
});
