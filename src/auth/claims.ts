// Internal to src/auth: from the claims of a verified token to a `Caller`. The signature, issuer, audience and times
// are jose's to check (authenticator.ts); this file decides what the remaining claims mean, and refuses a token
// whose claims have the wrong shape rather than guessing what the issuer meant.

import type { JWTPayload } from 'jose';
import { AuthenticationError } from './errors.js';
import { effectiveScopes, isScope, type Caller, type Scope } from './scopes.js';

/** Where the caller's claims are found in the token (AUTH_CLAIM_* in the configuration). */
export interface ClaimNames {
  /**
   * The scope claims, tried in order; the first one present is read. The default, `scope` then `scp`, covers the
   * standard claim (RFC 8693 §4.2, a space-separated string) and the name several IdPs use instead (an array at Okta,
   * a space-separated string at Microsoft Entra ID).
   */
  readonly scope: readonly string[];
  /** The Organizations claim: an array of Organization names, or `["*"]`. */
  readonly orgs: string;
  /** The connection claim: a connection id. */
  readonly connection: string;
}

/** The claim names the design uses (DESIGN.md §7a), for IdPs that can issue them as they are. */
export const DEFAULT_CLAIM_NAMES: ClaimNames = Object.freeze({
  scope: Object.freeze(['scope', 'scp']),
  orgs: 'orgs',
  connection: 'conn',
});

/** The shape of a connection id; anything else cannot name a connection, so the claim is malformed. */
const CONNECTION_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * Builds the caller from a verified token's claims. `sub` must be a non-empty string. The scope claim may be a
 * space-separated string or an array of strings; scopes this subgraph does not know are ignored, as OAuth clients
 * routinely carry scopes meant for other services. The Organizations claim may be an array of names, `["*"]` for all,
 * or a single string (some IdPs flatten one-element arrays); a missing claim grants no Organization, and `*` mixed
 * with names is refused as ambiguous. The connection claim, when present, must be a connection id.
 */
export function callerFromClaims(payload: JWTPayload, names: ClaimNames): Caller {
  const subject = payload.sub;
  if (typeof subject !== 'string' || subject.trim() === '') throw new AuthenticationError('missing_subject');
  return {
    subject,
    scopes: effectiveScopes(readScopes(payload, names.scope)),
    orgs: readOrgs(payload[names.orgs], names.orgs),
    connectionId: readConnection(payload[names.connection], names.connection),
  };
}

function readScopes(payload: JWTPayload, claims: readonly string[]): Scope[] {
  const claim = claims.find((name) => payload[name] !== undefined);
  if (claim === undefined) return [];
  const value = payload[claim];
  // A string is split on whitespace (RFC 6749 §3.3); an array's elements are whole scope tokens, which cannot contain
  // a space, so an element with one is simply not a scope we know.
  const tokens = typeof value === 'string' ? value.split(/\s+/) : stringArray(value, claim);
  return tokens.filter(isScope);
}

function readOrgs(value: unknown, claim: string): '*' | ReadonlySet<string> {
  if (value === undefined) return new Set();
  const names = typeof value === 'string' ? [value] : stringArray(value, claim);
  if (!names.includes('*')) return new Set(names);
  // `["*", "acme"]` is either a bug at the issuer or an attempt to look like a narrow grant; neither is worth the
  // risk of reading it as every Organization.
  if (names.some((name) => name !== '*')) throw new AuthenticationError('invalid_claims', { claim });
  return '*';
}

function readConnection(value: unknown, claim: string): string | null {
  if (value === undefined) return null;
  if (typeof value !== 'string' || !CONNECTION_ID.test(value)) throw new AuthenticationError('invalid_claims', { claim });
  return value;
}

function stringArray(value: unknown, claim: string): string[] {
  if (!Array.isArray(value) || !value.every((item): item is string => typeof item === 'string')) {
    throw new AuthenticationError('invalid_claims', { claim });
  }
  return value;
}
