import { describe, expect, it } from 'vitest';
import {
  allowsOrg,
  effectiveScopes,
  ForbiddenError,
  hasScope,
  isScope,
  requireScope,
  SCOPES,
  type Caller,
  type Scope,
} from '../../../src/auth/index.js';

/** A caller holding exactly `scopes`, as a background job or a test would build one by hand (no implication applied). */
const holding = (...scopes: Scope[]): Pick<Caller, 'scopes'> => ({ scopes: new Set(scopes) });

describe('scope implication', () => {
  // Rows: the scope held; columns: read, write, admin, embed.
  const table: [Scope, boolean, boolean, boolean, boolean][] = [
    ['directory:admin', true, true, true, false],
    ['directory:write', true, true, false, false],
    ['directory:read', true, false, false, false],
    ['directory:embed', false, false, false, true],
  ];

  it.each(table)('%s grants read=%s write=%s admin=%s embed=%s', (held, read, write, admin, embed) => {
    const caller = holding(held);
    expect(SCOPES.map((scope) => hasScope(caller, scope))).toEqual([read, write, admin, embed]);
    // The effective set of a token applies the same rule.
    expect([...effectiveScopes([held])].sort()).toEqual(SCOPES.filter((_, index) => [read, write, admin, embed][index]).sort());
  });

  it('gives nothing to a caller without scopes, and unions what several scopes grant', () => {
    expect(SCOPES.some((scope) => hasScope(holding(), scope))).toBe(false);
    expect(effectiveScopes(['directory:embed', 'directory:write'])).toEqual(new Set(['directory:embed', 'directory:write', 'directory:read']));
  });

  it('knows exactly the four scopes', () => {
    expect(SCOPES).toEqual(['directory:read', 'directory:write', 'directory:admin', 'directory:embed']);
    expect(['directory:read', 'directory:embed'].every(isScope)).toBe(true);
    expect(['directory:READ', 'directory', 'directory:*', 'admin', ''].some(isScope)).toBe(false);
  });
});

describe('requireScope', () => {
  it('passes when the scope is held directly or implied', () => {
    expect(() => requireScope(holding('directory:admin'), 'directory:read')).not.toThrow();
    expect(() => requireScope(holding('directory:write'), 'directory:write')).not.toThrow();
  });

  it('throws a FORBIDDEN error naming the missing scope', () => {
    const cases: [Pick<Caller, 'scopes'>, Scope][] = [
      [holding('directory:read'), 'directory:write'],
      [holding('directory:write'), 'directory:admin'],
      [holding('directory:admin'), 'directory:embed'],
      [holding('directory:embed'), 'directory:read'],
    ];
    for (const [caller, scope] of cases) {
      let thrown: unknown;
      try {
        requireScope(caller, scope);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ForbiddenError);
      const error = thrown as ForbiddenError;
      expect(error.scope).toBe(scope);
      expect(error.message).toBe(`This operation requires the ${scope} scope, which the caller's token does not grant.`);
      // A field-level error: no HTTP status of its own, so the rest of the response stands.
      expect(error.extensions).toEqual({ code: 'FORBIDDEN' });
    }
  });
});

describe('allowsOrg', () => {
  it('allows every Organization for *, and only the named ones otherwise, compared exactly', () => {
    expect(allowsOrg({ orgs: '*' }, 'Acme')).toBe(true);
    const caller = { orgs: new Set(['Acme', 'Globex Corp']) };
    expect(allowsOrg(caller, 'Acme')).toBe(true);
    expect(allowsOrg(caller, 'Globex Corp')).toBe(true);
    for (const name of ['acme', 'ACME', 'Acme ', 'Globex', '*', '']) expect(allowsOrg(caller, name)).toBe(false);
    expect(allowsOrg({ orgs: new Set<string>() }, 'Acme')).toBe(false);
  });
});
