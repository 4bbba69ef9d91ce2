import { describe, expect, it } from 'vitest';
import { compileNamePattern, NAME_PATTERN_MAX_LENGTH } from '../../src/name-pattern.js';

/** The names among `names` that `pattern` matches, in order. */
function matching(pattern: string, names: readonly string[]): string[] {
  const match = compileNamePattern(pattern);
  return names.filter((name) => match(name));
}

const NAMES = ['alice', 'Alice.Smith', 'malice', 'bob', 'bobby-alice', 'ALICE', 'al', ''];

describe('compileNamePattern semantics', () => {
  it('matches a pattern without % as the whole name, ignoring case', () => {
    expect(matching('alice', NAMES)).toEqual(['alice', 'ALICE']);
    expect(matching('AL', NAMES)).toEqual(['al']);
    expect(matching('lic', NAMES)).toEqual([]);
  });

  it('anchors a trailing % as a prefix match', () => {
    expect(matching('alice%', NAMES)).toEqual(['alice', 'Alice.Smith', 'ALICE']);
  });

  it('anchors a leading % as a suffix match', () => {
    expect(matching('%alice', NAMES)).toEqual(['alice', 'malice', 'bobby-alice', 'ALICE']);
  });

  it('matches %x% anywhere in the name', () => {
    expect(matching('%LIC%', NAMES)).toEqual(['alice', 'Alice.Smith', 'malice', 'bobby-alice', 'ALICE']);
    expect(matching('%bob%', NAMES)).toEqual(['bob', 'bobby-alice']);
  });

  it('finds several segments in order, without overlapping the prefix and the suffix', () => {
    expect(matching('b%a%e', NAMES)).toEqual(['bobby-alice']);
    expect(matching('%y%c%', NAMES)).toEqual(['bobby-alice']);
    expect(matching('%c%y%', NAMES)).toEqual([]);
    expect(compileNamePattern('a%a')('a')).toBe(false);
    expect(compileNamePattern('a%a')('aa')).toBe(true);
    expect(compileNamePattern('ab%bc')('abc')).toBe(false);
    expect(compileNamePattern('%bc%ab%')('abcabc')).toBe(true);
  });

  it('collapses runs of % into one wildcard', () => {
    expect(matching('al%%%ce', NAMES)).toEqual(matching('al%ce', NAMES));
    expect(matching('%%bob%%', NAMES)).toEqual(['bob', 'bobby-alice']);
  });

  it('matches only the empty name with the empty pattern, and every name with % alone', () => {
    expect(matching('', NAMES)).toEqual(['']);
    expect(matching('%', NAMES)).toEqual(NAMES);
    expect(matching('%%%%', NAMES)).toEqual(NAMES);
  });

  it('treats _ and regular-expression metacharacters as literal characters', () => {
    expect(compileNamePattern('sales_emea')('sales_emea')).toBe(true);
    expect(compileNamePattern('sales_emea')('salesXemea')).toBe(false);
    expect(compileNamePattern('a.c')('abc')).toBe(false);
    expect(compileNamePattern('a.c')('A.C')).toBe(true);
    expect(compileNamePattern('.*')('anything')).toBe(false);
    expect(compileNamePattern('.*')('.*')).toBe(true);
    for (const literal of ['(a|b)', '[ab]', 'a+b?', '^a$', 'a{2}', 'c:\\users']) {
      expect(compileNamePattern(literal)(literal)).toBe(true);
      expect(compileNamePattern(literal)('a')).toBe(false);
    }
    // A backslash does not escape %: `x\%y` is `x\` followed by the wildcard and `y`.
    expect(compileNamePattern('x\\%y')('x\\anything y')).toBe(true);
  });

  it('folds case per character beyond ASCII', () => {
    expect(compileNamePattern('ÉLODIE')('élodie')).toBe(true);
    expect(compileNamePattern('%σ')('ΟΔΟΣ')).toBe(true);
    expect(compileNamePattern('ΟΔΟΣ')('οδος')).toBe(true);
    expect(compileNamePattern('ß')('ẞ')).toBe(true);
    // Expanding mappings are not applied: ß is one character and ss two.
    expect(compileNamePattern('ss')('ß')).toBe(false);
    expect(compileNamePattern('😀x%')('😀X-ray')).toBe(true);
  });

  it('can be reused across names', () => {
    const match = compileNamePattern('%ops%');
    expect([match('DevOps-Team'), match('devs'), match('OPS')]).toEqual([true, false, true]);
  });
});

describe('compileNamePattern on hostile patterns', () => {
  // These patterns froze or crashed the regular-expression implementation it replaced. The assertions are on the
  // results only: finishing at all is the point, and the test runner's own timeout bounds the run.

  it('answers "%" x 16 + "x" against 10,000 characters without backtracking', () => {
    const pattern = '%'.repeat(16) + 'x';
    expect(compileNamePattern(pattern)('a'.repeat(10_000))).toBe(false);
    expect(compileNamePattern(pattern)('a'.repeat(10_000) + 'X')).toBe(true);
  });

  it('answers many wildcard segments against a long near-miss', () => {
    const pattern = '%a'.repeat(16) + '%x';
    expect(compileNamePattern(pattern)('a'.repeat(10_000))).toBe(false);
    expect(compileNamePattern(pattern)('a'.repeat(10_000) + 'x')).toBe(true);
  });

  it('compiles and answers a 100,000-character pattern', () => {
    const literal = 'a'.repeat(100_000);
    expect(compileNamePattern(literal)(literal.toUpperCase())).toBe(true);
    expect(compileNamePattern(literal)('a'.repeat(99_999))).toBe(false);
    const wild = '%a'.repeat(50_000);
    expect(wild).toHaveLength(100_000);
    expect(compileNamePattern(wild)('a'.repeat(50_000))).toBe(true);
    expect(compileNamePattern(wild)('a'.repeat(49_999))).toBe(false);
    expect(compileNamePattern(wild)('alice')).toBe(false);
  });
});

describe('NAME_PATTERN_MAX_LENGTH', () => {
  it('is 255 characters', () => {
    expect(NAME_PATTERN_MAX_LENGTH).toBe(255);
  });
});
