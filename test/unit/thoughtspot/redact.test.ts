import { describe, expect, it } from 'vitest';
import { REDACTED, SecretRegistry, redactText, redactValue, sanitizeCause } from '../../../src/thoughtspot/redact.js';

describe('redactText', () => {
  it('redacts bearer credentials in headers and messages', () => {
    expect(redactText('Authorization: Bearer eyJhbGciOi.abc-def_ghi=')).toBe(`Authorization: Bearer ${REDACTED}`);
    expect(redactText('sent bearer dXNlcjpvcGFxdWU= twice')).toBe(`sent bearer ${REDACTED} twice`);
  });

  it('redacts every credential field of a JSON body', () => {
    const body = JSON.stringify({
      username: 'svc',
      secret_key: 'k-123',
      password: 'p"w\\d',
      new_password: 'n',
      current_password: 'c',
      token: 't',
      auth_token: 'a',
      default_password: 'd',
    });
    const out = redactText(body);
    expect(JSON.parse(out)).toEqual({
      username: 'svc',
      secret_key: REDACTED,
      password: REDACTED,
      new_password: REDACTED,
      current_password: REDACTED,
      token: REDACTED,
      auth_token: REDACTED,
      default_password: REDACTED,
    });
  });

  it('redacts credential fields in JSON embedded in a JSON string (shape B debug text)', () => {
    const inner = JSON.stringify([JSON.stringify({ password: 'hunter2', name: 'x' })]);
    expect(redactText(inner)).not.toContain('hunter2');
  });

  it('redacts credentials in query strings and activation links', () => {
    expect(redactText('https://h/#/activate?id=1&token=abc123&x=1')).toBe(`https://h/#/activate?id=1&token=${REDACTED}&x=1`);
    expect(redactText('secret_key=zzz&username=u')).toBe(`secret_key=${REDACTED}&username=u`);
  });

  it('redacts known secrets wherever they appear, longest first', () => {
    const registry = new SecretRegistry();
    registry.add('live-token-0123456789');
    registry.add('live-token');
    expect(redactText('got live-token-0123456789 and live-token', registry)).toBe(`got ${REDACTED} and ${REDACTED}`);
  });

  it('redacts the JSON-escaped form of a known secret', () => {
    const registry = new SecretRegistry();
    registry.add('pa"ss\\word');
    expect(redactText(JSON.stringify({ note: 'pa"ss\\word' }), registry)).not.toContain('ss\\\\word');
  });

  it('ignores secrets too short to search for', () => {
    const registry = new SecretRegistry();
    registry.add('ab');
    expect(redactText('abc', registry)).toBe('abc');
  });

  it('keeps a bounded number of secrets, oldest out first', () => {
    const registry = new SecretRegistry();
    for (let index = 0; index < 600; index += 1) registry.add(`token-number-${index}`);
    expect(registry.list()).toHaveLength(512);
    expect(registry.list()).not.toContain('token-number-0');
    expect(registry.list()).toContain('token-number-599');
  });

  it('never evicts a pinned credential, however many tokens are added after it', () => {
    const registry = new SecretRegistry();
    registry.pin('the-service-secret-key');
    registry.pin('pass"word\\with-escapes');
    for (let index = 0; index < 2_000; index += 1) registry.add(`minted-token-${index}`);
    expect(redactText('echoed the-service-secret-key back', registry)).toBe(`echoed ${REDACTED} back`);
    expect(redactText(JSON.stringify({ note: 'pass"word\\with-escapes' }), registry)).not.toContain('with-escapes');
    // Only the minted tokens are bounded: the newest 512 are known, the oldest have fallen out.
    const tokens = registry.list().filter((secret) => secret.startsWith('minted-token-'));
    expect(tokens).toHaveLength(512);
    expect(tokens).toContain('minted-token-1999');
    expect(tokens).not.toContain('minted-token-1487');
  });

  it('does not demote a pinned secret to the evictable tier when it is added again', () => {
    const registry = new SecretRegistry();
    registry.pin('the-service-secret-key');
    registry.add('the-service-secret-key');
    for (let index = 0; index < 600; index += 1) registry.add(`minted-token-${index}`);
    expect(registry.list()).toContain('the-service-secret-key');
  });

  it('keeps a call\'s own secrets in its scoped registry however full the shared one is', () => {
    const registry = new SecretRegistry();
    for (let index = 0; index < 512; index += 1) registry.add(`minted-token-${index}`);
    const scoped = registry.with(['per-call-password']);
    expect(redactText('per-call-password', scoped)).toBe(REDACTED);
    expect(redactText('minted-token-0', scoped)).toBe(REDACTED);
  });

  it('adds per-call secrets without changing the shared registry', () => {
    const registry = new SecretRegistry();
    registry.add('shared-secret');
    const scoped = registry.with(['per-call-password', undefined]);
    expect(redactText('per-call-password shared-secret', scoped)).toBe(`${REDACTED} ${REDACTED}`);
    expect(redactText('per-call-password', registry)).toBe('per-call-password');
  });
});

describe('redactValue', () => {
  it('replaces credential-named keys whatever their case or separator', () => {
    const registry = new SecretRegistry();
    registry.add('the-service-secret');
    const input = {
      headers: { Authorization: 'Bearer x', 'Set-Cookie': 'JSESSIONID=1' },
      secretKey: 'the-service-secret',
      nested: [{ newPassword: 'n', note: 'uses the-service-secret' }],
      count: 3,
    };
    expect(redactValue(input, registry)).toEqual({
      headers: { Authorization: REDACTED, 'Set-Cookie': REDACTED },
      secretKey: REDACTED,
      nested: [{ newPassword: REDACTED, note: `uses ${REDACTED}` }],
      count: 3,
    });
    expect(input.secretKey).toBe('the-service-secret');
  });

  it('turns errors into name, code and redacted message', () => {
    const error = Object.assign(new Error('failed with Bearer abc'), { code: 'ECONNRESET', socket: { huge: true } });
    expect(redactValue({ error })).toEqual({ error: { name: 'Error', message: `failed with Bearer ${REDACTED}`, code: 'ECONNRESET' } });
  });

  it('survives cycles and deep nesting', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic['self'] = cyclic;
    expect(redactValue(cyclic)).toEqual({ a: 1, self: '[Circular]' });
    let deep: Record<string, unknown> = { leaf: true };
    for (let index = 0; index < 20; index += 1) deep = { deep };
    expect(JSON.stringify(redactValue(deep))).toContain('[Truncated]');
  });
});

describe('sanitizeCause', () => {
  it('copies name, code, message and stack, redacted, with the cause chain', () => {
    const registry = new SecretRegistry();
    registry.add('tok-abcdef');
    const inner = Object.assign(new Error('socket said tok-abcdef'), { code: 'ECONNRESET' });
    const outer = Object.assign(new Error('request failed: Bearer tok-abcdef', { cause: inner }), { code: 'UND_ERR_SOCKET' });
    outer.name = 'SocketError';
    const copy = sanitizeCause(outer, registry);
    expect(copy.name).toBe('SocketError');
    expect((copy as Error & { code?: string }).code).toBe('UND_ERR_SOCKET');
    expect(copy.message).toBe(`request failed: Bearer ${REDACTED}`);
    expect(copy.stack).not.toContain('tok-abcdef');
    expect((copy.cause as Error).message).toBe(`socket said ${REDACTED}`);
  });

  it('wraps non-errors', () => {
    expect(sanitizeCause('plain Bearer xyz').message).toBe(`plain Bearer ${REDACTED}`);
  });
});
