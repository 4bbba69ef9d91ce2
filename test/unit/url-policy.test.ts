import { describe, expect, it } from 'vitest';
import { isLoopbackHost, trustedUrl } from '../../src/url-policy.js';

describe('trustedUrl', () => {
  it('takes https anywhere and http on a loopback host outside production only', () => {
    expect(trustedUrl('https://acme.thoughtspot.cloud', { production: true, allowQuery: false })?.href).toBe('https://acme.thoughtspot.cloud/');
    expect(trustedUrl('http://127.0.0.1:4100', { production: false, allowQuery: false })?.href).toBe('http://127.0.0.1:4100/');
    expect(trustedUrl('http://127.0.0.1:4100', { production: true, allowQuery: false })).toBeNull();
    expect(trustedUrl('http://acme.example', { production: false, allowQuery: false })).toBeNull();
    expect(trustedUrl('ftp://acme.example', { production: false, allowQuery: true })).toBeNull();
  });

  it('refuses credentials, fragments, unparsable text, and a query unless allowed', () => {
    expect(trustedUrl('https://user:pw@acme.example', { production: false, allowQuery: true })).toBeNull();
    expect(trustedUrl('https://acme.example/#x', { production: false, allowQuery: true })).toBeNull();
    expect(trustedUrl('not a url', { production: false, allowQuery: true })).toBeNull();
    expect(trustedUrl('https://idp.example/jwks?tenant=1', { production: true, allowQuery: true })).not.toBeNull();
    expect(trustedUrl('https://idp.example/jwks?tenant=1', { production: true, allowQuery: false })).toBeNull();
  });

  it('knows the loopback names', () => {
    expect(['localhost', '127.0.0.1', '127.8.9.10', '[::1]'].map(isLoopbackHost)).toEqual([true, true, true, true]);
    expect(['localhost.evil.example', '128.0.0.1', '::1', '10.0.0.1'].map(isLoopbackHost)).toEqual([false, false, false, false]);
  });
});
