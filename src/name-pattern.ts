// Public to the rest of src: ThoughtSpot's `name_pattern` matching (CONTRACT.md §5), shared by the resolvers'
// filters and the emulator's `users/search` and `groups/search`. A pure leaf module: it imports nothing, so both
// sides of the adapter ↔ emulator pair can use it without depending on each other.
//
// Terminology: a pattern is split at `%` into *segments*, the literal text between wildcards. `a%b%%c` has the
// segments `a`, `b`, `` and `c`; the empty segment between two adjacent `%` matches nothing and is dropped, which
// is how runs of `%` collapse into one wildcard.

/**
 * The longest `name_pattern` accepted, in UTF-16 code units (`String.prototype.length`, which is also how Java,
 * ThoughtSpot's server language, counts).
 *
 * ThoughtSpot documents no limit (CONTRACT.md §5, §11.2, §11.3; `contract.json` declares none), so this is our
 * choice: 255 is the usual bound of a name column, long enough for any pattern over a real principal name, and it
 * keeps a hostile pattern from costing more than a bounded amount of work per compared name. `compileNamePattern`
 * itself accepts any length; callers that take patterns from clients check this bound first and refuse longer ones.
 */
export const NAME_PATTERN_MAX_LENGTH = 255;

/** The only wildcard. `_` is an ordinary character here, unlike in SQL: ThoughtSpot documents `%` alone. */
const WILDCARD = '%';

/**
 * Compiles a `name_pattern` into a predicate over names.
 *
 * Semantics (CONTRACT.md §5): a case-insensitive SQL-LIKE match where `%` matches any run of characters (including
 * none) and is the only wildcard. No wildcard is implied, so a pattern without `%` matches the whole name exactly,
 * ignoring case; the empty pattern matches only the empty name, and `%` alone matches every name. `_`, backslashes
 * and regular-expression metacharacters are literal; there is no escape syntax, as none is documented.
 *
 * Case folding is per character: each code point is upper-cased, then lower-cased, and a character whose mapping
 * would turn it into several characters is kept as it is. So `É` matches `é` and `Σ`, `σ`, `ς` match one another,
 * while `ß` does not match `ss` (the comparison Java's `String.equalsIgnoreCase` makes, and no locale rules).
 *
 * Cost: compiling is linear in the pattern. Each call folds the name once and then anchors the first segment as a
 * prefix, the last as a suffix, and finds the middle ones left to right with `indexOf`, never revisiting a
 * position: O(name + pattern) in practice and O(name × pattern) at worst, with no backtracking. Taking every
 * middle segment at its leftmost occurrence is enough, because an earlier end leaves every later segment at least
 * as much room.
 *
 * @example
 * const match = compileNamePattern('%ops%');
 * match('DevOps-Team'); // true
 * match('devs');        // false
 */
export function compileNamePattern(pattern: string): (text: string) => boolean {
  const segments = pattern.split(WILDCARD).map(foldCase);
  if (segments.length === 1) {
    const exact = segments[0]!;
    return (text) => foldCase(text) === exact;
  }
  const prefix = segments[0]!;
  const suffix = segments[segments.length - 1]!;
  const middle = segments.slice(1, -1).filter((segment) => segment.length > 0);
  let minLength = prefix.length + suffix.length;
  for (const segment of middle) minLength += segment.length;
  return (text) => {
    const name = foldCase(text);
    // The length check also keeps the prefix and the suffix from overlapping: `a%a` does not match `a`.
    if (name.length < minLength || !name.startsWith(prefix) || !name.endsWith(suffix)) return false;
    const end = name.length - suffix.length;
    let from = prefix.length;
    for (const segment of middle) {
      const at = name.indexOf(segment, from);
      if (at === -1 || at + segment.length > end) return false;
      from = at + segment.length;
    }
    return true;
  };
}

// Private: the case fold described on compileNamePattern. Names are nearly always ASCII, where lower-casing the
// whole string is the same fold and much cheaper than walking it code point by code point.
function foldCase(text: string): string {
  if (isAscii(text)) return text.toLowerCase();
  let out = '';
  for (const char of text) {
    const upper = char.toUpperCase();
    const base = isOneCodePoint(upper) ? upper : char;
    const lower = base.toLowerCase();
    out += isOneCodePoint(lower) ? lower : base;
  }
  return out;
}

// Private: a loop rather than a regular expression, because a character class over the control range trips the
// linter's no-control-regex rule and says nothing clearer.
function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

// Private: `toUpperCase('ß')` is `SS` and `toLowerCase('İ')` is `i̇` (two code points); such expansions are not kept.
function isOneCodePoint(text: string): boolean {
  return text.length === 1 || (text.length === 2 && text.codePointAt(0)! > 0xffff);
}
