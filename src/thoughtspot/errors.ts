// Public to the rest of src (through thoughtspot/index.ts): the adapter's closed error family. Every failure the
// adapter reports is one of these classes, with a stable `TS_ERR_*` code that callers switch on (house-style §4.3,
// rule 3). Messages and causes are redacted before they are stored: no token, secret key or password is ever kept.

/**
 * Every code the adapter can raise. The union is closed: a `switch (error.code)` that ends in
 * `throw new UnreachableCaseError(error)` (src/unreachable.ts) stops compiling when a code is added, until the new
 * code is mapped.
 */
export type ThoughtSpotErrorCode =
  | 'TS_ERR_UNAUTHENTICATED'
  | 'TS_ERR_FORBIDDEN'
  | 'TS_ERR_NOT_FOUND'
  | 'TS_ERR_BAD_REQUEST'
  | 'TS_ERR_CONFLICT'
  | 'TS_ERR_RATE_LIMITED'
  | 'TS_ERR_UPSTREAM'
  | 'TS_ERR_TIMEOUT'
  | 'TS_ERR_NETWORK'
  | 'TS_ERR_PROTOCOL'
  | 'TS_ERR_UNAVAILABLE'
  | 'TS_ERR_OVERLOADED'
  | 'TS_ERR_ABORTED';

/** The codes as a runtime list, in the order of the README table. */
export const THOUGHTSPOT_ERROR_CODES: readonly ThoughtSpotErrorCode[] = [
  'TS_ERR_UNAUTHENTICATED',
  'TS_ERR_FORBIDDEN',
  'TS_ERR_NOT_FOUND',
  'TS_ERR_BAD_REQUEST',
  'TS_ERR_CONFLICT',
  'TS_ERR_RATE_LIMITED',
  'TS_ERR_UPSTREAM',
  'TS_ERR_TIMEOUT',
  'TS_ERR_NETWORK',
  'TS_ERR_PROTOCOL',
  'TS_ERR_UNAVAILABLE',
  'TS_ERR_OVERLOADED',
  'TS_ERR_ABORTED',
];

/** The kinds of principal ThoughtSpot names in "Invalid <kind> identifiers" messages. */
export type PrincipalKind = 'user' | 'group' | 'role' | 'org' | 'metadata' | 'unknown';

/** What every adapter error knows about the call that failed. */
export interface ThoughtSpotErrorDetails {
  /** Contract endpoint id, e.g. `POST /api/rest/2.0/users/search` (path parameters left as templates). */
  readonly endpoint: string;
  /** HTTP status, when a response arrived. Absent for network failures and for calls refused client-side. */
  readonly status?: number | undefined;
  /** The Org the call ran in, when it ran in one. */
  readonly orgId?: number | undefined;
  /** ThoughtSpot's `incident_id_guid`, the number ThoughtSpot Support asks for. */
  readonly incidentId?: string | undefined;
  /** ThoughtSpot's `trace_id_guid` (may be `tracing-disabled`). */
  readonly traceId?: string | undefined;
  /** ThoughtSpot's numeric error code (10002, 10023…). Overloaded upstream: a hint, never the classifier. */
  readonly vendorCode?: number | undefined;
  /** ThoughtSpot's own message (the unwrapped `debug` text), redacted and truncated; kept for logs and userErrors. */
  readonly vendorMessage?: string | undefined;
  /** How many upstream attempts the call made before failing (0 when it was refused before any attempt). */
  readonly attempts?: number | undefined;
  /** The underlying error, already redacted. */
  readonly cause?: unknown;
}

/**
 * Base of the family. Never thrown itself: every error the adapter throws is one of the subclasses, so `code`
 * always names the subclass.
 */
export abstract class ThoughtSpotError extends Error {
  /** Stable machine-readable code; switch on it. */
  abstract readonly code: ThoughtSpotErrorCode;
  /** Whether the same call may succeed if made again later (the adapter has already retried what it safely could). */
  abstract readonly retryable: boolean;
  /** Contract endpoint id of the failed call. */
  readonly endpoint: string;
  /** HTTP status of the last response, if one arrived. */
  readonly status: number | undefined;
  /** Org the call ran in. */
  readonly orgId: number | undefined;
  /** ThoughtSpot's incident id, for support tickets. */
  readonly incidentId: string | undefined;
  /** ThoughtSpot's trace id. */
  readonly traceId: string | undefined;
  /** ThoughtSpot's numeric error code. */
  readonly vendorCode: number | undefined;
  /** ThoughtSpot's own message, redacted. */
  readonly vendorMessage: string | undefined;
  /** Upstream attempts made. */
  readonly attempts: number | undefined;

  constructor(message: string, details: ThoughtSpotErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.endpoint = details.endpoint;
    this.status = details.status;
    this.orgId = details.orgId;
    this.incidentId = details.incidentId;
    this.traceId = details.traceId;
    this.vendorCode = details.vendorCode;
    this.vendorMessage = details.vendorMessage;
    this.attempts = details.attempts;
  }

  /** A log-friendly, credential-free view of the error (what the adapter's own log lines carry). */
  toLogFields(): Record<string, unknown> {
    return {
      code: this.code,
      endpoint: this.endpoint,
      status: this.status,
      orgId: this.orgId,
      vendorCode: this.vendorCode,
      incidentId: this.incidentId,
      traceId: this.traceId,
      attempts: this.attempts,
      message: this.message,
    };
  }
}

/** The service credential was rejected (401), or minting a token failed authentication. */
export class ThoughtSpotAuthError extends ThoughtSpotError {
  override readonly name = 'ThoughtSpotAuthError';
  readonly code = 'TS_ERR_UNAUTHENTICATED' as const;
  readonly retryable = false;
}

/** The service account lacks a privilege or a feature is disabled (403, or ThoughtSpot's 500/10023 live quirk). */
export class ThoughtSpotForbiddenError extends ThoughtSpotError {
  override readonly name = 'ThoughtSpotForbiddenError';
  readonly code = 'TS_ERR_FORBIDDEN' as const;
  readonly retryable = false;
}

/**
 * An identifier did not resolve. ThoughtSpot never answers 404 (CONTRACT.md §6.3): it answers 400 with
 * "Invalid <kind> identifiers: a, b"; the adapter parses those out into `identifiers`.
 */
export class ThoughtSpotNotFoundError extends ThoughtSpotError {
  override readonly name = 'ThoughtSpotNotFoundError';
  readonly code = 'TS_ERR_NOT_FOUND' as const;
  readonly retryable = false;
  /** The kind of principal ThoughtSpot said it could not find. */
  readonly kind: PrincipalKind;
  /** The identifiers it named (may be empty when the message did not list them). */
  readonly identifiers: readonly string[];

  constructor(
    message: string,
    details: ThoughtSpotErrorDetails & { readonly kind: PrincipalKind; readonly identifiers: readonly string[] },
  ) {
    super(message, details);
    this.kind = details.kind;
    this.identifiers = details.identifiers;
  }
}

/**
 * ThoughtSpot rejected the request as invalid (400), or the adapter refused it before sending (then `status` is
 * undefined). `vendorMessage` carries the reason for a mutation's `userErrors`.
 */
export class ThoughtSpotRequestError extends ThoughtSpotError {
  override readonly name = 'ThoughtSpotRequestError';
  readonly code = 'TS_ERR_BAD_REQUEST' as const;
  readonly retryable = false;
}

/** A create or rename hit a name that already exists (ThoughtSpot says so in a 400; it never sends 409). */
export class ThoughtSpotConflictError extends ThoughtSpotError {
  override readonly name = 'ThoughtSpotConflictError';
  readonly code = 'TS_ERR_CONFLICT' as const;
  readonly retryable = false;
  /** The clashing name, when the message names it. */
  readonly conflictingName: string | undefined;

  constructor(message: string, details: ThoughtSpotErrorDetails & { readonly conflictingName?: string | undefined }) {
    super(message, details);
    this.conflictingName = details.conflictingName;
  }
}

/**
 * Too many requests: ThoughtSpot answered 429 until the adapter gave up, or its `Retry-After` reached past the call's
 * deadline. Always ThoughtSpot's verdict: when this client's own limiter cannot grant a slot in time, the call fails
 * with `ThoughtSpotOverloadedError` instead.
 */
export class ThoughtSpotRateLimitError extends ThoughtSpotError {
  override readonly name = 'ThoughtSpotRateLimitError';
  readonly code = 'TS_ERR_RATE_LIMITED' as const;
  readonly retryable = true;
  /** How long to wait before trying again, from `Retry-After` or the limiter; undefined when unknown. */
  readonly retryAfterMs: number | undefined;

  constructor(message: string, details: ThoughtSpotErrorDetails & { readonly retryAfterMs?: number | undefined }) {
    super(message, details);
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** ThoughtSpot or a gateway in front of it failed (5xx, maintenance pages). */
export class ThoughtSpotServerError extends ThoughtSpotError {
  override readonly name = 'ThoughtSpotServerError';
  readonly code = 'TS_ERR_UPSTREAM' as const;
  /** 502, 503, 504 and maintenance pages are transient; a plain 500 is not assumed to be. */
  readonly retryable: boolean;
  /** The `Retry-After` a 503 (maintenance) may carry, in milliseconds. */
  readonly retryAfterMs: number | undefined;

  constructor(
    message: string,
    details: ThoughtSpotErrorDetails & { readonly retryable: boolean; readonly retryAfterMs?: number | undefined },
  ) {
    super(message, details);
    this.retryable = details.retryable;
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** A connect, headers or body timeout, or the call's overall deadline. */
export class ThoughtSpotTimeoutError extends ThoughtSpotError {
  override readonly name = 'ThoughtSpotTimeoutError';
  readonly code = 'TS_ERR_TIMEOUT' as const;
  readonly retryable = true;
  /** Which limit was hit. */
  readonly phase: 'connect' | 'headers' | 'body' | 'deadline';

  constructor(message: string, details: ThoughtSpotErrorDetails & { readonly phase: ThoughtSpotTimeoutError['phase'] }) {
    super(message, details);
    this.phase = details.phase;
  }
}

/** The connection failed: refused, reset, DNS, TLS, socket closed mid-response. */
export class ThoughtSpotNetworkError extends ThoughtSpotError {
  override readonly name = 'ThoughtSpotNetworkError';
  readonly code = 'TS_ERR_NETWORK' as const;
  readonly retryable = true;
  /** True when the request provably never reached ThoughtSpot (the connection was never established). */
  readonly notSent: boolean;

  constructor(message: string, details: ThoughtSpotErrorDetails & { readonly notSent: boolean }) {
    super(message, details);
    this.notSent = details.notSent;
  }
}

/** ThoughtSpot answered something the adapter cannot read: a non-JSON success, a wrong shape, a redirect. */
export class ThoughtSpotProtocolError extends ThoughtSpotError {
  override readonly name = 'ThoughtSpotProtocolError';
  readonly code = 'TS_ERR_PROTOCOL' as const;
  readonly retryable = false;
}

/**
 * The circuit breaker is open: recent calls found the cluster dead, so this one failed fast without being sent.
 * A distinct code (rather than reusing TS_ERR_NETWORK) so operators can tell "the cluster is down" from "this call
 * was refused because the cluster was down", and so callers can read `retryAfterMs`.
 */
export class ThoughtSpotUnavailableError extends ThoughtSpotError {
  override readonly name = 'ThoughtSpotUnavailableError';
  readonly code = 'TS_ERR_UNAVAILABLE' as const;
  readonly retryable = true;
  /** When the breaker will let a probe through. */
  readonly retryAfterMs: number;

  constructor(message: string, details: ThoughtSpotErrorDetails & { readonly retryAfterMs: number }) {
    super(message, details);
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** The queues inside this client a call can wait in before it is sent (pipeline.ts, in the order a call meets them). */
export type OverloadedQueue = 'token' | 'concurrency' | 'rate-limit';

/**
 * The call was never sent: it waited in this client's own queues (for the service token being minted, a concurrency
 * slot or a rate-limiter slot) until its deadline passed, or the rate limiter saw at once that its turn would come
 * after the deadline. This client is overloaded, not ThoughtSpot: nothing reached the cluster, and the circuit breaker
 * does not count it. A distinct code because the remedy differs: fewer or cheaper requests (or a higher configured
 * rate), not waiting for ThoughtSpot to recover.
 */
export class ThoughtSpotOverloadedError extends ThoughtSpotError {
  override readonly name = 'ThoughtSpotOverloadedError';
  readonly code = 'TS_ERR_OVERLOADED' as const;
  /** Sending the same call again at once only joins the same queue; the caller decides when load has fallen. */
  readonly retryable = false;
  /** The queue the call was in when it gave up. */
  readonly queue: OverloadedQueue;
  /** How long the call waited in this client's queues before it gave up, in milliseconds. */
  readonly waitedMs: number;

  constructor(message: string, details: ThoughtSpotErrorDetails & { readonly queue: OverloadedQueue; readonly waitedMs: number }) {
    super(message, details);
    this.queue = details.queue;
    this.waitedMs = details.waitedMs;
  }
}

/**
 * The caller's AbortSignal fired (the per-call `signal` option or the ambient call context's), or the client was
 * closed; the call (and its retries) stopped. Not an upstream failure.
 */
export class ThoughtSpotAbortedError extends ThoughtSpotError {
  override readonly name = 'ThoughtSpotAbortedError';
  readonly code = 'TS_ERR_ABORTED' as const;
  readonly retryable = false;
  /**
   * The aborting signal's `reason`, exactly as the caller's signal carried it (undefined when the client was
   * closed). Kept by reference, not copied or redacted, because it is the caller's own value and the caller tells
   * its reasons apart by identity or class (the GraphQL layer's "deadline passed" vs "upstream budget spent"). The
   * redacted copy in `cause` is what logs should print.
   */
  readonly reason: unknown;

  constructor(message: string, details: ThoughtSpotErrorDetails & { readonly reason?: unknown }) {
    super(message, details);
    this.reason = details.reason;
  }
}

/** Every concrete class of the family. */
export type AnyThoughtSpotError =
  | ThoughtSpotAuthError
  | ThoughtSpotForbiddenError
  | ThoughtSpotNotFoundError
  | ThoughtSpotRequestError
  | ThoughtSpotConflictError
  | ThoughtSpotRateLimitError
  | ThoughtSpotServerError
  | ThoughtSpotTimeoutError
  | ThoughtSpotNetworkError
  | ThoughtSpotProtocolError
  | ThoughtSpotUnavailableError
  | ThoughtSpotOverloadedError
  | ThoughtSpotAbortedError;

/** Narrow an unknown thrown value to the adapter's family (code-based, so it survives duplicated module copies). */
export function isThoughtSpotError(value: unknown): value is AnyThoughtSpotError {
  return (
    value instanceof Error &&
    typeof (value as { code?: unknown }).code === 'string' &&
    (THOUGHTSPOT_ERROR_CODES as readonly string[]).includes((value as unknown as { code: string }).code) &&
    typeof (value as { endpoint?: unknown }).endpoint === 'string'
  );
}
