// Internal to src/auth (the rest of src reaches these through auth/index.ts): the two ways a caller is turned away.
// Both are GraphQL errors carrying `extensions.code` from ErrorCode, in the manner of Apollo's GraphQLErrorWithCode
// (house-style §4.3 tier 2), so that wherever they are thrown (the context function, a resolver) formatError passes
// them to the client as they are, with their fixed, client-safe message, and nothing else needs to translate them.

import { GraphQLError } from 'graphql';
import { ERROR_MESSAGES, ErrorCode } from '../errors/codes.js';
import type { Scope } from './scopes.js';

/**
 * Why a request was not authenticated. `keys_unavailable` is the one that is not the caller's doing: the JWKS could
 * not be fetched or read, so no token could have been verified. It is still answered 401 (the request is not
 * authenticated, and a client retrying later is the right reaction), but it should be logged as an operator problem
 * (an error), where the others are routine client mistakes (debug or info).
 */
export type AuthenticationFailure =
  | 'missing_credentials'
  | 'invalid_scheme'
  | 'malformed'
  | 'algorithm_not_allowed'
  | 'unknown_key'
  | 'bad_signature'
  | 'expired'
  | 'not_yet_valid'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'missing_subject'
  | 'invalid_claims'
  | 'keys_unavailable';

/**
 * The client-facing sentence of each failure. None quotes the token or any of its claim values: a message may end up
 * in a browser console or a log shipped elsewhere, and a token there is a credential there.
 */
const MESSAGES: Readonly<Record<Exclude<AuthenticationFailure, 'invalid_claims'>, string>> = {
  missing_credentials: ERROR_MESSAGES.UNAUTHENTICATED,
  invalid_scheme: 'The Authorization header must use the Bearer scheme.',
  malformed: 'The bearer token is not a well-formed signed JWT.',
  algorithm_not_allowed: 'The bearer token is signed with an algorithm this service does not accept.',
  unknown_key: 'The bearer token is signed with a key this service does not know.',
  bad_signature: 'The bearer token signature is not valid.',
  expired: 'The bearer token has expired.',
  not_yet_valid: 'The bearer token is not valid yet.',
  wrong_issuer: 'The bearer token was not issued by the expected issuer.',
  wrong_audience: 'The bearer token was not issued for this service (audience).',
  missing_subject: 'The bearer token has no subject (sub claim).',
  keys_unavailable: 'The bearer token could not be verified because the signing keys are unavailable; try again later.',
};

/**
 * The request carries no usable caller credential. Answered with HTTP 401 and `extensions.code` UNAUTHENTICATED; the
 * `WWW-Authenticate` challenge follows RFC 6750 §3: no error code when the request had no bearer credential at all
 * (or the keys to judge it were unavailable), `invalid_token` when the token was judged and refused.
 *
 * `reason` is for logs and metrics; `cause` holds the underlying jose or network error for the log, never for the
 * client.
 */
export class AuthenticationError extends GraphQLError {
  override readonly name = 'AuthenticationError';
  override readonly cause: unknown;

  /**
   * @param claim - for `invalid_claims`, the name of the claim that was malformed (a name from the configuration or
   *   a registered claim name, never a value from the token).
   */
  constructor(
    readonly reason: AuthenticationFailure,
    options: { readonly cause?: unknown; readonly claim?: string } = {},
  ) {
    const message =
      reason !== 'invalid_claims'
        ? MESSAGES[reason]
        : options.claim === undefined
          ? 'The bearer token has malformed claims.'
          : `The bearer token's ${options.claim} claim is missing or malformed.`;
    // RFC 6750 §3 allows only printable ASCII without `"` and `\` in error_description, and Node refuses to send a
    // header with characters outside Latin-1; a configured claim name (a URL, say) may hold either, so they go.
    const description = message.replace(/[^\x20\x21\x23-\x5B\x5D-\x7E]/g, '');
    const challenge =
      reason === 'missing_credentials' || reason === 'invalid_scheme' || reason === 'keys_unavailable'
        ? 'Bearer'
        : `Bearer error="invalid_token", error_description="${description}"`;
    super(message, {
      extensions: {
        code: ErrorCode.UNAUTHENTICATED,
        // Apollo Server takes the status and headers of the response from here and strips `http` from what the
        // client sees. A plain Map is what its check accepts (`headers instanceof Map`; its HeaderMap is one).
        http: { status: 401, headers: new Map([['www-authenticate', challenge]]) },
      },
    });
    this.cause = options.cause;
  }
}

/**
 * The caller is authenticated but its token does not grant `scope` (after implication: see `hasScope`). Reported
 * with `extensions.code` FORBIDDEN and a message naming the scope. It sets no HTTP status: thrown in a resolver, it
 * fails that field, and the rest of the response stands.
 */
export class ForbiddenError extends GraphQLError {
  override readonly name = 'ForbiddenError';

  constructor(readonly scope: Scope) {
    super(`This operation requires the ${scope} scope, which the caller's token does not grant.`, {
      extensions: { code: ErrorCode.FORBIDDEN },
    });
  }
}
