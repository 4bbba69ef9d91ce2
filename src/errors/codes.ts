// Public to the rest of src: the subgraph's error codes and the client-facing errors that need nothing but graphql
// (DESIGN.md §8, house-style §4.3 tier 2). A leaf: it imports only `graphql`, so relay/, plugins/ and resolvers/ can
// raise coded errors without loading the adapter (and undici). The translation of adapter errors and the masking of
// everything else live in format.ts.

import { GraphQLError } from 'graphql';

/** The subgraph's own error codes, in `extensions.code`. Apollo's built-in codes (parse, validation…) pass too. */
export const ErrorCode = {
  /** The caller is not authenticated to this subgraph. */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /**
   * Not permitted: ThoughtSpot refused the service account the operation (a missing privilege, or a disabled
   * feature), or a browser origin outside CORS_ORIGINS sent a preflight, or the caller's token lacks the scope the
   * operation needs (the message names the scope).
   */
  FORBIDDEN: 'FORBIDDEN',
  /** An argument was wrong: a malformed ID or cursor, a page size out of range. The message names the argument. */
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  /** ThoughtSpot's rate limit was hit even after retries; `extensions.retryAfterMs` says when to try again if known. */
  UPSTREAM_RATE_LIMITED: 'UPSTREAM_RATE_LIMITED',
  /** ThoughtSpot did not answer in time. */
  UPSTREAM_TIMEOUT: 'UPSTREAM_TIMEOUT',
  /** ThoughtSpot could not be reached, failed, or rejected the service credentials. */
  UPSTREAM_UNAVAILABLE: 'UPSTREAM_UNAVAILABLE',
  /**
   * This subgraph's own queue to ThoughtSpot was too long for the call to wait (other requests hold the shared rate
   * budget); ThoughtSpot was not asked. Retry shortly.
   */
  OVERLOADED: 'OVERLOADED',
  /**
   * The query's static cost is above a configured limit; refused before any upstream call. `extensions.measure`
   * (`depth`, `nodes` or `lists`), `extensions.value` and `extensions.limit` say which limit and by how much.
   */
  QUERY_TOO_COMPLEX: 'QUERY_TOO_COMPLEX',
  /** The request ran past its whole-request deadline; the parts not finished by then are null. */
  DEADLINE_EXCEEDED: 'DEADLINE_EXCEEDED',
  /** The request made as many upstream calls as one request may (`extensions.limit`); the rest are null. */
  UPSTREAM_BUDGET_EXCEEDED: 'UPSTREAM_BUDGET_EXCEEDED',
  /** The server is shutting down; retry on another instance. */
  SHUTTING_DOWN: 'SHUTTING_DOWN',
  /** Anything unexpected; the message is always the generic one. */
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The fixed, client-safe message of each code that does not carry its own. */
export const ERROR_MESSAGES = {
  UNAUTHENTICATED: 'Authentication required: send an Authorization header with a Bearer token.',
  FORBIDDEN: 'The directory service account is not permitted to perform this operation.',
  UPSTREAM_RATE_LIMITED: 'The directory service is rate limited; try again later.',
  UPSTREAM_TIMEOUT: 'The directory service did not answer in time.',
  UPSTREAM_UNAVAILABLE: 'Directory service is unavailable.',
  OVERLOADED: 'The directory service is busy with other requests; try again shortly.',
  SHUTTING_DOWN: 'The server is shutting down; retry on another instance.',
  INTERNAL_SERVER_ERROR: 'Internal server error',
} as const;

/**
 * Why a request's signal was aborted: its deadline passed, its upstream call budget ran out, or the server is
 * stopping. The request scope (context.ts) aborts with one of these; upstream calls cut short by it fail with the
 * adapter's TS_ERR_ABORTED carrying it as the reason, and formatError reports the reason's code instead.
 */
export class RequestAborted extends Error {
  override readonly name = 'RequestAborted';
  constructor(
    readonly code: typeof ErrorCode.DEADLINE_EXCEEDED | typeof ErrorCode.UPSTREAM_BUDGET_EXCEEDED | typeof ErrorCode.SHUTTING_DOWN,
    message: string,
    readonly extensions: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }

  /** The client-facing error. */
  toGraphQLError(): GraphQLError {
    return new GraphQLError(this.message, { extensions: { code: this.code, ...this.extensions } });
  }
}

/** A `BAD_USER_INPUT` error about one argument; `extensions.argumentName` names it for programmatic clients. */
export function badUserInput(message: string, argumentName?: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: argumentName === undefined ? { code: ErrorCode.BAD_USER_INPUT } : { code: ErrorCode.BAD_USER_INPUT, argumentName },
  });
}
