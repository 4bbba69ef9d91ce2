// The authenticator with a shared HS256 secret: the header, every check on the token, the clock tolerance and the
// claims that make the caller. Tokens are real, signed by jose; the clock is fixed (support.ts `now`).

import { base64url, CompactSign, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  createAuthenticator,
  LOCAL_CALLER,
  type Authenticator,
  type AuthenticatorOptions,
  type ClaimNames,
} from '../../../src/auth/index.js';
import { AUDIENCE, challengeOf, ISSUER, mint, NOW_S, now, refusal, SECRET, secretKey } from './support.js';

function hs256(overrides: Partial<Extract<AuthenticatorOptions, { mode: 'jwt' }>> = {}): Authenticator {
  return createAuthenticator(
    { mode: 'jwt', key: { kind: 'secret', secret: SECRET }, issuer: ISSUER, audience: AUDIENCE, ...overrides },
    { now },
  );
}

const bearer = (token: string): string => `Bearer ${token}`;

describe('createAuthenticator with a shared secret (HS256)', () => {
  it('turns a valid token into the caller its claims describe', async () => {
    const token = await mint(
      { scope: 'openid directory:write profile', orgs: ['Acme', 'Globex'], conn: 'acme-prod' },
      secretKey(),
    );
    const caller = await hs256().authenticate(bearer(token));
    expect(caller).toEqual({
      subject: 'svc-provisioner',
      scopes: new Set(['directory:write', 'directory:read']),
      orgs: new Set(['Acme', 'Globex']),
      connectionId: 'acme-prod',
    });
  });

  it('reads the scheme case-insensitively and tolerates surrounding blanks', async () => {
    const token = await mint({ scope: 'directory:read' }, secretKey());
    for (const header of [`bearer ${token}`, `BEARER  ${token}`, `  Bearer\t${token}  `]) {
      expect((await hs256().authenticate(header)).subject).toBe('svc-provisioner');
    }
  });

  it('asks for credentials when there are none, with a bare Bearer challenge (RFC 6750 §3.1)', async () => {
    for (const header of [undefined, '', '   ']) {
      const error = await refusal(hs256(), header, 'missing_credentials');
      expect(error.message).toBe('Authentication required: send an Authorization header with a Bearer token.');
      expect(challengeOf(error)).toBe('Bearer');
    }
  });

  it('refuses other schemes and malformed Bearer credentials', async () => {
    const token = await mint({}, secretKey());
    const basic = await refusal(hs256(), `Basic ${Buffer.from('svc:pw').toString('base64')}`, 'invalid_scheme');
    expect(basic.message).toBe('The Authorization header must use the Bearer scheme.');
    expect(challengeOf(basic)).toBe('Bearer');
    await refusal(hs256(), token, 'invalid_scheme');
    for (const header of ['Bearer', `Bearer ${token} extra`, 'Bearer not-a-jwt', 'Bearer a.b.c', `Bearer ${token}.x.y`]) {
      const error = await refusal(hs256(), header, 'malformed');
      expect(error.message).toBe('The bearer token is not a well-formed signed JWT.');
      expect(challengeOf(error)).toBe('Bearer error="invalid_token", error_description="The bearer token is not a well-formed signed JWT."');
    }
    // Well signed, but its payload is not a JSON object.
    const signed = await new CompactSign(new TextEncoder().encode('["not", "an", "object"]')).setProtectedHeader({ alg: 'HS256' }).sign(secretKey());
    await refusal(hs256(), bearer(signed), 'malformed');
  });

  it('refuses a token signed with another secret, or altered after signing', async () => {
    const other = await mint({}, secretKey('another-hs256-secret-of-32-bytes'));
    const error = await refusal(hs256(), bearer(other), 'bad_signature');
    expect(error.message).toBe('The bearer token signature is not valid.');
    const [header, , signature] = (await mint({ scope: 'directory:read' }, secretKey())).split('.');
    const elevated = base64url.encode(JSON.stringify({ sub: 'svc-provisioner', iss: ISSUER, aud: AUDIENCE, exp: NOW_S + 300, scope: 'directory:admin', orgs: ['*'] }));
    await refusal(hs256(), bearer(`${header}.${elevated}.${signature}`), 'bad_signature');
  });

  it('accepts HS256 only: never none, never another HMAC, never a public-key algorithm', async () => {
    const unsecured = `${base64url.encode('{"alg":"none","typ":"JWT"}')}.${base64url.encode(JSON.stringify({ sub: 'x', iss: ISSUER, aud: AUDIENCE, exp: NOW_S + 300 }))}.`;
    const error = await refusal(hs256(), bearer(unsecured), 'algorithm_not_allowed');
    expect(error.message).toBe('The bearer token is signed with an algorithm this service does not accept.');
    const hs512 = await mint({}, new TextEncoder().encode(`${SECRET}${SECRET}`), { alg: 'HS512' });
    await refusal(hs256(), bearer(hs512), 'algorithm_not_allowed');
    const { privateKey } = await generateKeyPair('RS256');
    await refusal(hs256(), bearer(await mint({}, privateKey, { alg: 'RS256' })), 'algorithm_not_allowed');
  });

  it('refuses an expired token and one not valid yet', async () => {
    const expired = await refusal(hs256(), bearer(await mint({ exp: NOW_S - 3600 }, secretKey())), 'expired');
    expect(expired.message).toBe('The bearer token has expired.');
    expect(challengeOf(expired)).toBe('Bearer error="invalid_token", error_description="The bearer token has expired."');
    const early = await refusal(hs256(), bearer(await mint({ nbf: NOW_S + 3600 }, secretKey())), 'not_yet_valid');
    expect(early.message).toBe('The bearer token is not valid yet.');
  });

  it('forgives clock skew up to the tolerance, 30 s by default, on both ends', async () => {
    const accepts = async (authenticator: Authenticator, claims: Record<string, unknown>): Promise<void> => {
      await expect(authenticator.authenticate(bearer(await mint(claims, secretKey())))).resolves.toMatchObject({ subject: 'svc-provisioner' });
    };
    // jose's rule: expired once exp <= now - tolerance; not yet valid while nbf > now + tolerance.
    await accepts(hs256(), { exp: NOW_S - 29 });
    await refusal(hs256(), bearer(await mint({ exp: NOW_S - 30 }, secretKey())), 'expired');
    await accepts(hs256(), { nbf: NOW_S + 30 });
    await refusal(hs256(), bearer(await mint({ nbf: NOW_S + 31 }, secretKey())), 'not_yet_valid');

    await accepts(hs256({ clockToleranceS: 120 }), { exp: NOW_S - 119, nbf: NOW_S + 120 });
    await refusal(hs256({ clockToleranceS: 0 }), bearer(await mint({ exp: NOW_S }, secretKey())), 'expired');
    await refusal(hs256({ clockToleranceS: 0 }), bearer(await mint({ nbf: NOW_S + 1 }, secretKey())), 'not_yet_valid');
    await accepts(hs256({ clockToleranceS: 0 }), { exp: NOW_S + 1, nbf: NOW_S });
  });

  it('requires the configured issuer and audience', async () => {
    const issuer = await refusal(hs256(), bearer(await mint({ iss: 'https://evil.example.com/' }, secretKey())), 'wrong_issuer');
    expect(issuer.message).toBe('The bearer token was not issued by the expected issuer.');
    await refusal(hs256(), bearer(await mint({ iss: undefined }, secretKey())), 'wrong_issuer');
    const audience = await refusal(hs256(), bearer(await mint({ aud: 'billing' }, secretKey())), 'wrong_audience');
    expect(audience.message).toBe('The bearer token was not issued for this service (audience).');
    await refusal(hs256(), bearer(await mint({ aud: undefined }, secretKey())), 'wrong_audience');
    // A token for several audiences, ours among them, is for us.
    await expect(hs256().authenticate(bearer(await mint({ aud: ['billing', AUDIENCE] }, secretKey())))).resolves.toBeDefined();
  });

  it('requires a subject and an expiry', async () => {
    for (const sub of [undefined, '', '  ', 42]) {
      const error = await refusal(hs256(), bearer(await mint({ sub }, secretKey())), 'missing_subject');
      expect(error.message).toBe('The bearer token has no subject (sub claim).');
    }
    const forever = await refusal(hs256(), bearer(await mint({ exp: undefined }, secretKey())), 'invalid_claims');
    expect(forever.message).toBe("The bearer token's exp claim is missing or malformed.");
    await refusal(hs256(), bearer(await mint({ exp: 'tomorrow' }, secretKey())), 'invalid_claims');
  });

  it('refuses to build an authenticator on a secret shorter than 32 bytes, or without an issuer or audience', () => {
    expect(() => hs256({ key: { kind: 'secret', secret: 'x'.repeat(31) } })).toThrow(
      new TypeError('The JWT secret must be at least 32 bytes, but got: 31 bytes.'),
    );
    expect(() => hs256({ issuer: '' })).toThrow(new TypeError('The JWT issuer and audience must not be empty.'));
    expect(() => hs256({ clockToleranceS: -1 })).toThrow(TypeError);
  });
});

describe('the caller built from the claims', () => {
  const callerOf = async (claims: Record<string, unknown>, names?: ClaimNames) =>
    hs256(names === undefined ? {} : { claims: names }).authenticate(bearer(await mint(claims, secretKey())));
  const refusedFor = async (claims: Record<string, unknown>, claim: string) => {
    const error = await refusal(hs256(), bearer(await mint(claims, secretKey())), 'invalid_claims');
    expect(error.message).toBe(`The bearer token's ${claim} claim is missing or malformed.`);
  };

  it('reads scopes from a space-separated string or an array, from scope or else scp, ignoring unknown ones', async () => {
    expect((await callerOf({ scope: '  directory:embed   email directory:READ ' })).scopes).toEqual(new Set(['directory:embed']));
    expect((await callerOf({ scope: ['directory:read', 'offline_access', 'directory:write directory:admin'] })).scopes).toEqual(
      new Set(['directory:read']),
    );
    expect((await callerOf({ scp: ['directory:admin'] })).scopes).toEqual(new Set(['directory:admin', 'directory:write', 'directory:read']));
    expect((await callerOf({ scp: 'directory:write' })).scopes).toEqual(new Set(['directory:write', 'directory:read']));
    // `scope` wins when both are present.
    expect((await callerOf({ scope: 'directory:read', scp: 'directory:admin' })).scopes).toEqual(new Set(['directory:read']));
    expect((await callerOf({})).scopes).toEqual(new Set());
    await refusedFor({ scope: 7 }, 'scope');
    await refusedFor({ scp: ['directory:read', 7] }, 'scp');
  });

  it('grants no Organization without the claim, every one for ["*"], and refuses * mixed with names', async () => {
    expect((await callerOf({})).orgs).toEqual(new Set());
    expect((await callerOf({ orgs: [] })).orgs).toEqual(new Set());
    expect((await callerOf({ orgs: ['*'] })).orgs).toBe('*');
    expect((await callerOf({ orgs: '*' })).orgs).toBe('*');
    // One name as a plain string, as some IdPs flatten one-element arrays; names keep their spaces and case.
    expect((await callerOf({ orgs: 'Acme Corp' })).orgs).toEqual(new Set(['Acme Corp']));
    await refusedFor({ orgs: ['*', 'Acme'] }, 'orgs');
    await refusedFor({ orgs: ['Acme', { name: 'Globex' }] }, 'orgs');
    await refusedFor({ orgs: { Acme: true } }, 'orgs');
  });

  it('targets the default connection without the claim, and refuses a connection id of the wrong shape', async () => {
    expect((await callerOf({})).connectionId).toBeNull();
    expect((await callerOf({ conn: 'acme.thoughtspot.cloud' })).connectionId).toBe('acme.thoughtspot.cloud');
    await refusedFor({ conn: '' }, 'conn');
    await refusedFor({ conn: '../other' }, 'conn');
    await refusedFor({ conn: 42 }, 'conn');
  });

  it('reads the claims under configured names, such as an IdP’s namespaced custom claims', async () => {
    const names: ClaimNames = { scope: ['https://example.com/scopes'], orgs: 'https://example.com/orgs', connection: 'https://example.com/conn' };
    const caller = await callerOf(
      {
        'https://example.com/scopes': ['directory:read'],
        'https://example.com/orgs': ['Acme'],
        'https://example.com/conn': 'acme-prod',
        // The default names mean nothing once others are configured.
        scope: 'directory:admin',
        orgs: ['*'],
        conn: 'globex-prod',
      },
      names,
    );
    expect(caller).toEqual({ subject: 'svc-provisioner', scopes: new Set(['directory:read']), orgs: new Set(['Acme']), connectionId: 'acme-prod' });
  });

  it('names a malformed configured claim in the message, and keeps the challenge header sendable', async () => {
    const orgs = 'https://exämple.com/"orgs"';
    const authenticator = hs256({ claims: { scope: ['scope'], orgs, connection: 'conn' } });
    const error = await refusal(authenticator, bearer(await mint({ [orgs]: 42 }, secretKey())), 'invalid_claims');
    expect(error.message).toBe(`The bearer token's ${orgs} claim is missing or malformed.`);
    expect(challengeOf(error)).toBe(
      'Bearer error="invalid_token", error_description="The bearer token\'s https://exmple.com/orgs claim is missing or malformed."',
    );
  });
});

describe('createAuthenticator with AUTH_MODE=none', () => {
  it('gives every request the local caller, whatever the header says', async () => {
    const authenticator = createAuthenticator({ mode: 'none' });
    for (const header of [undefined, 'Bearer nonsense', 'Basic eDp5']) {
      expect(await authenticator.authenticate(header)).toBe(LOCAL_CALLER);
    }
    expect(LOCAL_CALLER).toEqual({
      subject: 'local',
      scopes: new Set(['directory:read', 'directory:write', 'directory:admin', 'directory:embed']),
      orgs: '*',
      connectionId: null,
    });
    await authenticator.close();
  });
});
