// Internal to src/emulator: deterministic identifiers. Seeds and runtime-created objects draw GUIDs and Org ids from
// one seeded generator, so two emulators fed the same calls in the same order hold byte-identical directories.
// Secrets (tokens, session ids, activation tokens) come from the OS random source instead: they must not be guessable
// or repeat across a state reset.

import { randomBytes } from 'node:crypto';

/** Hashes a string into four 32-bit words (cyrb128), the seed of {@link IdGenerator}. */
function hash128(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

const HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Formats a 32-bit word as eight lowercase hex digits. */
function hex32(word: number): string {
  return (
    (HEX[(word >>> 24) & 0xff] as string) +
    (HEX[(word >>> 16) & 0xff] as string) +
    (HEX[(word >>> 8) & 0xff] as string) +
    (HEX[word & 0xff] as string)
  );
}

/**
 * A seeded pseudo-random source (sfc32) that yields GUIDs, Org ids and picks. It is fast enough to mint 100,000 GUIDs
 * in a few milliseconds, which the `large` seed needs.
 */
export class IdGenerator {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: string) {
    [this.a, this.b, this.c, this.d] = hash128(seed);
    // Private: sfc32's first outputs are correlated with the seed; discarding a few decorrelates them.
    for (let i = 0; i < 15; i++) this.nextUint32();
  }

  /** The next 32-bit unsigned integer. */
  nextUint32(): number {
    this.a >>>= 0;
    this.b >>>= 0;
    this.c >>>= 0;
    this.d >>>= 0;
    let t = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    t = (t + this.d) | 0;
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1). */
  nextFloat(): number {
    return this.nextUint32() / 4294967296;
  }

  /** An integer in [0, n). */
  nextInt(n: number): number {
    return Math.floor(this.nextFloat() * n);
  }

  /** Picks one element of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    const item = items[this.nextInt(items.length)];
    if (item === undefined) throw new RangeError('pick() needs a non-empty list, but got an empty one.');
    return item;
  }

  /** A lowercase version-4 UUID, the format ThoughtSpot uses for every GUID (CONTRACT.md §4). */
  nextGuid(): string {
    const w1 = this.nextUint32();
    const w2 = (this.nextUint32() & 0xffff0fff) | 0x00004000;
    const w3 = ((this.nextUint32() & 0x3fffffff) | 0x80000000) >>> 0;
    const w4 = this.nextUint32();
    const h2 = hex32(w2 >>> 0);
    const h3 = hex32(w3);
    return `${hex32(w1)}-${h2.slice(0, 4)}-${h2.slice(4)}-${h3.slice(0, 4)}-${h3.slice(4)}${hex32(w4)}`;
  }

  /**
   * A large positive int32 Org id like the ones ThoughtSpot assigns (e.g. 583464508, CONTRACT.md §3). The Org id is
   * an int32 in the contract, so it stays below 2^31.
   */
  nextOrgId(): number {
    return 10_000_000 + (this.nextUint32() % 2_000_000_000);
  }
}

/** An unguessable token string: base64 of `<username>:<random>`, the shape of real v2 tokens (CONTRACT.md §2.2). */
export function mintTokenString(username: string): string {
  return Buffer.from(`${username}:${randomBytes(24).toString('base64url')}`, 'utf8').toString('base64');
}

/** An unguessable opaque string (session ids, one-off activation tokens). */
export function randomSecret(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}
