// Public to the rest of src: encryption of connection credentials at rest (DESIGN.md §1: the subgraph keeps
// connections "and their encrypted credentials"). AES-256-GCM from node:crypto, with a key rotation scheme:
// - every encryption uses the current key (SECRETS_KEY) and a fresh random 96-bit IV, the size GCM is specified for
//   (NIST SP 800-38D §8.2.2; random IVs are safe for up to 2^32 encryptions under one key, far beyond credentials);
// - every blob names its key by a short fingerprint, so decryption picks the key that made it, and blobs made under
//   a previous key (SECRETS_KEY_PREVIOUS) still decrypt until `reencrypt` has moved them to the current one;
// - a caller-given context string (the connection id) is bound in as associated data, so a blob copied into another
//   row fails to decrypt instead of handing that row someone else's credential.
// Errors name key ids and what went wrong, never a plaintext or key bytes.

import { createCipheriv, createDecipheriv, createHash, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';

/** The size of an AES-256 key. */
export const SECRETS_KEY_BYTES = 32;

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A credential as it is stored: the store moves these two strings in and out unchanged. */
export interface EncryptedSecret {
  /** The fingerprint (`secretsKeyId`) of the key that encrypted it. */
  readonly keyId: string;
  /** Base64 of IV (12 bytes), GCM tag (16 bytes) and ciphertext, in that order. */
  readonly ciphertext: string;
}

/** What went wrong with a stored secret. */
export type SecretsErrorCode =
  /** The blob names a key that is neither SECRETS_KEY nor in SECRETS_KEY_PREVIOUS (rotated out too early, or another deployment's). */
  | 'SECRETS_UNKNOWN_KEY'
  /** The blob is not an envelope this module wrote (bad base64, too short, fields missing). */
  | 'SECRETS_MALFORMED'
  /** The key is right but authentication failed: the blob was altered, or it belongs to another context. */
  | 'SECRETS_DECRYPT_FAILED';

/** A stored secret could not be decrypted. The message is safe to log: it holds key ids, never secrets. */
export class SecretsError extends Error {
  override readonly name = 'SecretsError';
  constructor(
    readonly code: SecretsErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Encrypts and decrypts connection credentials under the current key and the previous ones. */
export interface SecretBox {
  /** The fingerprint of the current key, the one `encrypt` uses. */
  readonly keyId: string;
  /** Encrypts `plaintext` under the current key, bound to `context` (e.g. the connection id). */
  encrypt(plaintext: string, context: string): EncryptedSecret;
  /**
   * Decrypts with the key the blob names. Throws `SecretsError`: SECRETS_UNKNOWN_KEY, SECRETS_MALFORMED, or
   * SECRETS_DECRYPT_FAILED (altered, or `context` is not the one it was encrypted with).
   */
  decrypt(secret: EncryptedSecret, context: string): string;
  /** Whether the blob is under the current key already, so that a rotation pass can skip it. */
  isCurrent(secret: EncryptedSecret): boolean;
  /**
   * The same plaintext under the current key (a fresh IV each time), for a rotation pass over the stored rows. The
   * blob is decrypted first, so a tampered or misplaced one fails here exactly as `decrypt` would.
   */
  reencrypt(secret: EncryptedSecret, context: string): EncryptedSecret;
}

/**
 * The fingerprint that names a key in stored blobs: the first 8 hex digits of its SHA-256. An operator can compute
 * it for a key in hand (`echo "$SECRETS_KEY" | base64 -d | sha256sum | cut -c1-8`) to see which blobs need it. It
 * tells nothing useful about the key: a 32-bit prefix of a hash of 256 random bits.
 */
export function secretsKeyId(key: Uint8Array): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/**
 * Creates the box over `current` (SECRETS_KEY) and `previous` (SECRETS_KEY_PREVIOUS), each exactly 32 bytes. The key
 * bytes are copied into KeyObjects, so later changes to the buffers do not reach the box, and the keys do not show
 * up when the box is logged or inspected. Throws a TypeError for a key of the wrong size, or for two different keys
 * with the same fingerprint (which would make blobs ambiguous).
 */
export function createSecretBox(keys: { readonly current: Uint8Array; readonly previous?: readonly Uint8Array[] }): SecretBox {
  const byId = new Map<string, KeyObject>();
  for (const key of [keys.current, ...(keys.previous ?? [])]) {
    if (key.byteLength !== SECRETS_KEY_BYTES) {
      throw new TypeError(`A secrets key must be ${SECRETS_KEY_BYTES} bytes (AES-256), but got: ${key.byteLength} bytes.`);
    }
    const id = secretsKeyId(key);
    const object = createSecretKey(key);
    const known = byId.get(id);
    // The same key listed twice (current and previous alike during a careless rotation) is harmless; two different
    // keys behind one fingerprint cannot be told apart on decryption.
    if (known !== undefined && !known.equals(object)) {
      throw new TypeError(`Two different secrets keys share the fingerprint ${id}; replace one of them.`);
    }
    if (known === undefined) byId.set(id, object);
  }
  const currentId = secretsKeyId(keys.current);
  const currentKey = byId.get(currentId) as KeyObject;

  const encrypt = (plaintext: string, context: string): EncryptedSecret => {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, currentKey, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(associatedData(context));
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { keyId: currentId, ciphertext: Buffer.concat([iv, cipher.getAuthTag(), data]).toString('base64') };
  };

  const decrypt = (secret: EncryptedSecret, context: string): string => {
    const aad = associatedData(context);
    const { keyId, ciphertext } = (secret ?? {}) as Partial<EncryptedSecret>;
    if (typeof keyId !== 'string' || typeof ciphertext !== 'string') {
      throw new SecretsError('SECRETS_MALFORMED', 'The stored secret is not an envelope of keyId and ciphertext.');
    }
    const key = byId.get(keyId);
    if (key === undefined) {
      throw new SecretsError(
        'SECRETS_UNKNOWN_KEY',
        `The stored secret was encrypted with key ${JSON.stringify(keyId.slice(0, 16))}, which is neither SECRETS_KEY (${currentId}) nor in SECRETS_KEY_PREVIOUS.`,
      );
    }
    const bytes = strictBase64(ciphertext);
    if (bytes === null || bytes.byteLength < IV_BYTES + TAG_BYTES) {
      throw new SecretsError('SECRETS_MALFORMED', `The stored secret under key ${keyId} is not base64 of IV, tag and ciphertext.`);
    }
    const decipher = createDecipheriv(ALGORITHM, key, bytes.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    decipher.setAAD(aad);
    try {
      return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      // Node reports only "Unsupported state or unable to authenticate data"; which of the two causes it was cannot
      // be known, by design of GCM.
      throw new SecretsError(
        'SECRETS_DECRYPT_FAILED',
        `The stored secret under key ${keyId} failed authentication: it was altered, or it belongs to another context.`,
      );
    }
  };

  return {
    keyId: currentId,
    encrypt,
    decrypt,
    isCurrent: (secret) => secret.keyId === currentId,
    reencrypt: (secret, context) => encrypt(decrypt(secret, context), context),
  };
}

// Private: the context is what ties a blob to its row, so an empty one (which would tie it to nothing) is a bug in the
// caller, reported as such rather than silently accepted.
function associatedData(context: string): Buffer {
  if (typeof context !== 'string' || context === '') {
    throw new TypeError('The context of a stored secret (e.g. the connection id) must be a non-empty string.');
  }
  return Buffer.from(context, 'utf8');
}

// Private: Buffer.from(…, 'base64') skips characters it does not know, so a damaged blob could decode to something
// shorter instead of failing; only canonical, padded base64 (what `encrypt` writes) is accepted.
function strictBase64(text: string): Buffer | null {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return null;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : null;
}
