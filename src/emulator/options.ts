// Internal to src/emulator: the defaults of the behaviour switches and of the rate limiter, and the checks that
// every patch of them (programmatic, admin route, CLI) goes through, so a typo fails loudly instead of silently
// changing nothing.

import type { Fidelity, RateLimitOptions } from './types.js';

/**
 * The contract's suggested defaults for every behaviour switch (CONTRACT.md §16, "Emulator default" column).
 * Frozen: copy it before changing anything.
 */
export const DEFAULT_FIDELITY: Readonly<Fidelity> = Object.freeze({
  errorShape: 'B',
  credentialPrecedence: 'secret_key',
  trustedAuth: true,
  // A fixed, UUID-shaped key (real secret keys are GUIDs) so that seeds, tests and the CLI's curl example agree.
  secretKey: '5ec7e7c0-de5e-4c0d-a11e-7a5c0ffee000',
  orgsEnabled: true,
  rbacEnabled: true,
  permissionErrorsAs500: false,
  caseInsensitiveUsernames: true,
  maxRecordSize: Infinity,
  minPasswordLength: 1,
  defaultTokenValiditySec: 300,
  maxTokenValiditySec: 31_536_000,
  listAllGroup: false,
  primaryGroupSearchSpansOrgs: true,
  logoutRevokesTokens: true,
  activationLinkValidityDays: 14,
});

/** The documented limit: 100 requests per second per client IP with a burst of 10, no Retry-After (CONTRACT.md §7). */
export const DEFAULT_RATE_LIMIT: Readonly<RateLimitOptions> = Object.freeze({
  enabled: true,
  requestsPerSecond: 100,
  burst: 10,
  retryAfterHeader: false,
});

/** The prefix of the emulator's own admin route; ThoughtSpot never serves anything under it. */
export const DEFAULT_ADMIN_PREFIX = '/__emulator';

type FieldCheck = (value: unknown) => string | null;

const isPositiveInteger: FieldCheck = (v) =>
  typeof v === 'number' && Number.isInteger(v) && v > 0 ? null : 'a positive integer';
const isNonNegativeInteger: FieldCheck = (v) =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 ? null : 'a non-negative integer';
const isBoolean: FieldCheck = (v) => (typeof v === 'boolean' ? null : 'a boolean');
const oneOf =
  (...values: readonly string[]): FieldCheck =>
  (v) =>
    typeof v === 'string' && values.includes(v) ? null : `one of ${values.map((x) => `"${x}"`).join(', ')}`;

const FIDELITY_CHECKS: Readonly<Record<keyof Fidelity, FieldCheck>> = {
  errorShape: oneOf('A', 'B'),
  credentialPrecedence: oneOf('secret_key', 'password'),
  trustedAuth: isBoolean,
  secretKey: (v) => (typeof v === 'string' && v.length > 0 ? null : 'a non-empty string'),
  orgsEnabled: isBoolean,
  rbacEnabled: isBoolean,
  permissionErrorsAs500: isBoolean,
  caseInsensitiveUsernames: isBoolean,
  maxRecordSize: (v) =>
    v === Infinity || (typeof v === 'number' && Number.isInteger(v) && v > 0)
      ? null
      : 'a positive integer or Infinity (null over JSON)',
  minPasswordLength: isNonNegativeInteger,
  defaultTokenValiditySec: isPositiveInteger,
  maxTokenValiditySec: isPositiveInteger,
  listAllGroup: isBoolean,
  primaryGroupSearchSpansOrgs: isBoolean,
  logoutRevokesTokens: isBoolean,
  activationLinkValidityDays: isPositiveInteger,
};

const RATE_LIMIT_CHECKS: Readonly<Record<keyof RateLimitOptions, FieldCheck>> = {
  enabled: isBoolean,
  requestsPerSecond: (v) =>
    typeof v === 'number' && Number.isFinite(v) && v > 0 ? null : 'a positive number',
  burst: isNonNegativeInteger,
  retryAfterHeader: isBoolean,
};

/** The error every bad option patch throws; its message lists every problem at once. */
export class EmulatorOptionsError extends TypeError {
  override readonly name = 'EmulatorOptionsError';
}

function checkPatch<T extends object>(
  what: string,
  checks: Readonly<Record<keyof T & string, FieldCheck>>,
  patch: unknown,
): Partial<T> {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) {
    throw new EmulatorOptionsError(`${what} must be an object, but got: ${JSON.stringify(patch) ?? String(patch)}.`);
  }
  const problems: string[] = [];
  for (const [key, value] of Object.entries(patch)) {
    if (!Object.hasOwn(checks, key)) {
      problems.push(`unknown ${what} option "${key}" (expected one of ${Object.keys(checks).join(', ')})`);
      continue;
    }
    const expected = checks[key as keyof T & string](value);
    if (expected !== null) {
      problems.push(`${what}.${key} must be ${expected}, but got: ${JSON.stringify(value) ?? String(value)}`);
    }
  }
  if (problems.length > 0) throw new EmulatorOptionsError(`Invalid ${what}: ${problems.join('; ')}.`);
  return patch as Partial<T>;
}

/**
 * Checks a partial `Fidelity` and returns it typed. `maxRecordSize: null` is read as `Infinity`, because JSON (the
 * admin route) cannot carry Infinity. Throws `EmulatorOptionsError` naming every bad or unknown field.
 */
export function checkFidelityPatch(patch: unknown): Partial<Fidelity> {
  if (patch !== null && typeof patch === 'object' && (patch as { maxRecordSize?: unknown }).maxRecordSize === null) {
    patch = { ...patch, maxRecordSize: Infinity };
  }
  return checkPatch<Fidelity>('fidelity', FIDELITY_CHECKS, patch);
}

/** Checks a partial `RateLimitOptions`. Throws `EmulatorOptionsError` naming every bad or unknown field. */
export function checkRateLimitPatch(patch: unknown): Partial<RateLimitOptions> {
  return checkPatch<RateLimitOptions>('rateLimit', RATE_LIMIT_CHECKS, patch);
}

/** Checks a global added latency in milliseconds. */
export function checkLatencyMs(value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  throw new EmulatorOptionsError(
    `latencyMs must be a non-negative number of milliseconds, but got: ${JSON.stringify(value) ?? String(value)}.`,
  );
}
