import { createHash, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createSecretBox, secretsKeyId, SecretsError, type EncryptedSecret } from '../../src/secrets.js';

const KEY = Buffer.alloc(32, 0x11);
const OLD_KEY = Buffer.alloc(32, 0x22);
const FOREIGN_KEY = Buffer.alloc(32, 0x33);
const CREDENTIAL = 'ts-secret-key: 3f9c…e1 ✓';

function secretsError(run: () => unknown): SecretsError {
  try {
    run();
  } catch (error) {
    if (error instanceof SecretsError) return error;
    throw error;
  }
  throw new Error('expected a SecretsError');
}

// Flips one bit of the decoded envelope at `index` (negative counts from the end) and re-encodes it.
function flipBit(secret: EncryptedSecret, index: number): EncryptedSecret {
  const bytes = Buffer.from(secret.ciphertext, 'base64');
  const at = index < 0 ? bytes.length + index : index;
  bytes[at] = (bytes[at] as number) ^ 0x01;
  return { ...secret, ciphertext: bytes.toString('base64') };
}

describe('secretsKeyId', () => {
  it('is the first 8 hex digits of the key’s SHA-256, so an operator can compute it', () => {
    expect(secretsKeyId(KEY)).toBe(createHash('sha256').update(KEY).digest('hex').slice(0, 8));
    expect(secretsKeyId(KEY)).toMatch(/^[0-9a-f]{8}$/);
    expect(secretsKeyId(KEY)).not.toBe(secretsKeyId(OLD_KEY));
  });
});

describe('createSecretBox', () => {
  it('round-trips a credential, under the current key, as base64 of IV, tag and ciphertext', () => {
    const box = createSecretBox({ current: KEY });
    const sealed = box.encrypt(CREDENTIAL, 'acme-prod');
    expect(sealed.keyId).toBe(secretsKeyId(KEY));
    expect(box.keyId).toBe(secretsKeyId(KEY));
    expect(Buffer.from(sealed.ciphertext, 'base64')).toHaveLength(12 + 16 + Buffer.byteLength(CREDENTIAL));
    expect(sealed.ciphertext).not.toContain('ts-secret-key');
    expect(box.decrypt(sealed, 'acme-prod')).toBe(CREDENTIAL);
    expect(box.decrypt(box.encrypt('', 'acme-prod'), 'acme-prod')).toBe('');
  });

  it('draws a fresh IV for every encryption, so equal credentials never look equal', () => {
    const box = createSecretBox({ current: KEY });
    const blobs = Array.from({ length: 20 }, () => box.encrypt(CREDENTIAL, 'acme-prod').ciphertext);
    expect(new Set(blobs).size).toBe(20);
    expect(new Set(blobs.map((blob) => Buffer.from(blob, 'base64').subarray(0, 12).toString('hex'))).size).toBe(20);
  });

  it('detects any change to the IV, the tag or the ciphertext', () => {
    const box = createSecretBox({ current: KEY });
    const sealed = box.encrypt(CREDENTIAL, 'acme-prod');
    for (const index of [0, 11, 12, 27, 28, -1]) {
      const error = secretsError(() => box.decrypt(flipBit(sealed, index), 'acme-prod'));
      expect(error.code).toBe('SECRETS_DECRYPT_FAILED');
      expect(error.message).toBe(
        `The stored secret under key ${box.keyId} failed authentication: it was altered, or it belongs to another context.`,
      );
    }
  });

  it('refuses a blob moved to another row (another context)', () => {
    const box = createSecretBox({ current: KEY });
    const sealed = box.encrypt(CREDENTIAL, 'acme-prod');
    const error = secretsError(() => box.decrypt(sealed, 'globex-prod'));
    expect(error.code).toBe('SECRETS_DECRYPT_FAILED');
    expect(error.message).not.toContain(CREDENTIAL);
  });

  it('refuses a truncated, non-base64 or shapeless envelope as malformed', () => {
    const box = createSecretBox({ current: KEY });
    const sealed = box.encrypt(CREDENTIAL, 'acme-prod');
    const truncated = Buffer.from(sealed.ciphertext, 'base64').subarray(0, 27).toString('base64');
    for (const ciphertext of [truncated, '', `${sealed.ciphertext.slice(0, -4)}!!!!`, `${sealed.ciphertext}\n`, sealed.ciphertext.slice(1)]) {
      const error = secretsError(() => box.decrypt({ keyId: sealed.keyId, ciphertext }, 'acme-prod'));
      expect(error.code).toBe('SECRETS_MALFORMED');
      expect(error.message).toBe(`The stored secret under key ${box.keyId} is not base64 of IV, tag and ciphertext.`);
    }
    const shapeless = secretsError(() => box.decrypt({ keyId: sealed.keyId } as EncryptedSecret, 'acme-prod'));
    expect(shapeless.code).toBe('SECRETS_MALFORMED');
  });

  it('decrypts blobs of a previous key, encrypts under the current one, and re-encrypts for rotation', () => {
    const before = createSecretBox({ current: OLD_KEY });
    const old = before.encrypt(CREDENTIAL, 'acme-prod');

    const after = createSecretBox({ current: KEY, previous: [OLD_KEY] });
    expect(after.isCurrent(old)).toBe(false);
    expect(after.decrypt(old, 'acme-prod')).toBe(CREDENTIAL);
    expect(after.encrypt(CREDENTIAL, 'acme-prod').keyId).toBe(secretsKeyId(KEY));

    const moved = after.reencrypt(old, 'acme-prod');
    expect(moved.keyId).toBe(secretsKeyId(KEY));
    expect(after.isCurrent(moved)).toBe(true);
    // Once every row is moved, the previous key can go.
    expect(createSecretBox({ current: KEY }).decrypt(moved, 'acme-prod')).toBe(CREDENTIAL);
    // Re-encryption checks the blob first: a blob in the wrong row does not get a fresh, valid envelope.
    expect(secretsError(() => after.reencrypt(old, 'globex-prod')).code).toBe('SECRETS_DECRYPT_FAILED');
  });

  it('names the unknown key of a blob whose key was rotated out, and nothing secret', () => {
    const sealed = createSecretBox({ current: FOREIGN_KEY }).encrypt(CREDENTIAL, 'acme-prod');
    const box = createSecretBox({ current: KEY, previous: [OLD_KEY] });
    const error = secretsError(() => box.decrypt(sealed, 'acme-prod'));
    expect(error.code).toBe('SECRETS_UNKNOWN_KEY');
    expect(error.message).toBe(
      `The stored secret was encrypted with key "${secretsKeyId(FOREIGN_KEY)}", which is neither SECRETS_KEY (${box.keyId}) nor in SECRETS_KEY_PREVIOUS.`,
    );
    // A blob relabelled with a known key id fails authentication instead of decrypting under the wrong key.
    expect(secretsError(() => box.decrypt({ ...sealed, keyId: box.keyId }, 'acme-prod')).code).toBe('SECRETS_DECRYPT_FAILED');
  });

  it('refuses keys that are not 32 bytes, without showing them', () => {
    for (const key of [Buffer.alloc(0), Buffer.alloc(16, 1), Buffer.alloc(31, 1), Buffer.alloc(33, 1)]) {
      expect(() => createSecretBox({ current: key })).toThrow(
        new TypeError(`A secrets key must be 32 bytes (AES-256), but got: ${key.length} bytes.`),
      );
    }
    expect(() => createSecretBox({ current: KEY, previous: [Buffer.alloc(24, 1)] })).toThrow(
      new TypeError('A secrets key must be 32 bytes (AES-256), but got: 24 bytes.'),
    );
  });

  it('accepts the current key listed again among the previous ones', () => {
    const box = createSecretBox({ current: KEY, previous: [KEY, OLD_KEY] });
    expect(box.decrypt(box.encrypt(CREDENTIAL, 'acme-prod'), 'acme-prod')).toBe(CREDENTIAL);
  });

  it('requires a context, so every blob is tied to its row', () => {
    const box = createSecretBox({ current: KEY });
    const context = new TypeError('The context of a stored secret (e.g. the connection id) must be a non-empty string.');
    expect(() => box.encrypt(CREDENTIAL, '')).toThrow(context);
    expect(() => box.decrypt(box.encrypt(CREDENTIAL, 'acme-prod'), '')).toThrow(context);
  });

  it('keeps its own copy of the keys, and does not show them when inspected', () => {
    const key = randomBytes(32);
    const box = createSecretBox({ current: key });
    const sealed = box.encrypt(CREDENTIAL, 'acme-prod');
    const hex = key.toString('hex');
    key.fill(0);
    expect(box.decrypt(sealed, 'acme-prod')).toBe(CREDENTIAL);
    expect(inspect(box, { depth: 10, showHidden: true })).not.toContain(hex.slice(0, 16));
  });
});
