// Internal to src/thoughtspot: the life of one adapter call. For each attempt, in this order: token (cached or
// minted once), a breaker check, a concurrency slot, a rate-limiter slot, the breaker's admission, one HTTP exchange,
// then the verdict: decode, re-mint once on 401, retry with backoff, or fail. Everything is bounded by the call's
// deadline. retry.ts explains why this is a loop here and not undici's retry interceptor.

import type { Dispatcher } from 'undici';
import type { CallOptions, Logger, UpstreamCallEvent } from './types.js';
import {
  ThoughtSpotAbortedError,
  ThoughtSpotAuthError,
  ThoughtSpotProtocolError,
  ThoughtSpotRateLimitError,
  ThoughtSpotServerError,
  ThoughtSpotTimeoutError,
  ThoughtSpotUnavailableError,
  isThoughtSpotError,
  type AnyThoughtSpotError,
} from './errors.js';
import { errorFromResponse, parseErrorBody } from './error-body.js';
import { redactText, redactValue, sanitizeCause, type SecretRegistry } from './redact.js';
import { backoffDelayMs, isRetryable, parseRetryAfter, type CallKind, type RetryPolicy } from './retry.js';
import type { RateLimiter } from './rate-limiter.js';
import type { BreakerOutcome, CircuitBreaker } from './breaker.js';
import type { Semaphore } from './semaphore.js';
import type { TokenManager } from './auth.js';
import { errorFromTransport, sendOnce, type RawResponse } from './transport.js';
import { createCallSignal, DeadlineExceeded, sleep } from './timers.js';
import { WireShapeError } from './decode.js';
import { NOOP_LOGGER } from './options.js';
import type { RequestBody } from './wire.js';

/** One adapter call, as the resource modules describe it. */
export interface CallSpec<T> {
  /** Contract endpoint id, e.g. `POST /api/rest/2.0/users/{user_identifier}/update`. */
  readonly endpoint: string;
  readonly method: 'GET' | 'POST';
  /** Path below the base URL, e.g. `/api/rest/2.0/users/abc/update` (identifiers already encoded). */
  readonly path: string;
  /** The Org whose token authenticates the call; for token mints, the Org being minted for (reporting only). */
  readonly orgId: number | null;
  /** `bearer`: send the Org's service token. `none`: the call is itself a login (token endpoints). */
  readonly auth: 'bearer' | 'none';
  readonly kind: CallKind;
  readonly body?: RequestBody;
  /** Values from this call's input that must never appear in an error or log line (new passwords, tokens). */
  readonly secrets?: readonly (string | undefined)[];
  /** Convert the parsed JSON (undefined for an empty body, e.g. 204) into the result; throw WireShapeError on shape. */
  readonly decode: (json: unknown) => T;
  readonly options?: CallOptions | undefined;
}

/** Everything the pipeline is wired to. */
export interface PipelineDeps {
  readonly origin: string;
  /** Path prefix of the base URL (usually empty). */
  readonly basePath: string;
  readonly dispatcher: Dispatcher;
  readonly headers: Readonly<Record<string, string>>;
  readonly headersTimeoutMs: number;
  readonly bodyTimeoutMs: number;
  readonly deadlineMs: number;
  readonly retry: RetryPolicy;
  readonly limiter: RateLimiter | null;
  readonly breaker: CircuitBreaker;
  readonly semaphore: Semaphore;
  readonly registry: SecretRegistry;
  readonly logger: Logger;
  readonly onUpstreamCall: ((event: UpstreamCallEvent) => void) | undefined;
  /** Wall clock for Retry-After dates. */
  readonly wallNow: () => number;
  readonly random: () => number;
  readonly isClosed: () => boolean;
}

/** Runs calls. One per client; shared by every resource module. */
export class Pipeline {
  /** Set by the client once the token manager (which itself calls the pipeline) exists. */
  tokens: TokenManager | null = null;

  constructor(private readonly deps: PipelineDeps) {}

  /** Log through the injected logger with redacted fields; a throwing logger never breaks a call. */
  log(level: 'debug' | 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown>, registry?: SecretRegistry): void {
    // Redacting fields costs a few microseconds per line; with no logger configured there is nobody to read them.
    if (this.deps.logger === NOOP_LOGGER) return;
    try {
      this.deps.logger[level](redactText(message, registry ?? this.deps.registry), redactValue(fields, registry ?? this.deps.registry) as Record<string, unknown>);
    } catch {
      // Logging is best effort.
    }
  }

  /** Run one call to completion: a result, or exactly one adapter error. */
  async execute<T>(spec: CallSpec<T>): Promise<T> {
    const registry = spec.secrets === undefined || spec.secrets.length === 0 ? this.deps.registry : this.deps.registry.with(spec.secrets);
    const orgId = spec.orgId ?? undefined;
    const deadlineMs = spec.options?.deadlineMs ?? this.deps.deadlineMs;
    if (this.deps.isClosed()) {
      throw new ThoughtSpotAbortedError(`${spec.endpoint} was not sent: the ThoughtSpot client is closed.`, {
        endpoint: spec.endpoint,
        orgId,
        attempts: 0,
      });
    }
    const call = createCallSignal(deadlineMs, spec.options?.signal);
    let attempt = 0;
    let lastError: AnyThoughtSpotError | undefined;
    try {
      let retries = 0;
      let reminted = false;
      for (;;) {
        const outcome = await this.attempt(spec, registry, call.signal, call.remainingMs, attempt + 1);
        if (outcome.sent) attempt += 1;
        if (outcome.ok) return outcome.value;
        const error = outcome.error;
        lastError = error;
        if (!outcome.sent) throw error;
        // A 401 means ThoughtSpot did not execute the request, so re-minting and re-sending once is safe for writes
        // too. A second 401 with a brand-new token means the credentials themselves are the problem.
        if (error instanceof ThoughtSpotAuthError && spec.auth === 'bearer' && !reminted && outcome.token !== undefined) {
          reminted = true;
          this.tokens?.invalidate(spec.orgId ?? 0, outcome.token);
          this.log('info', 'ThoughtSpot rejected the cached token; minting a new one and re-sending once', {
            endpoint: spec.endpoint,
            orgId,
            attempt,
          });
          continue;
        }
        if (!isRetryable(error, spec.kind) || retries >= this.deps.retry.maxRetries) throw error;
        // Retry-After is honoured on 429 and on the 502/503/504 that may carry it (RFC 9110 §10.2.3).
        const retryAfterMs =
          error instanceof ThoughtSpotRateLimitError || error instanceof ThoughtSpotServerError ? error.retryAfterMs : undefined;
        const delayMs = retryAfterMs ?? backoffDelayMs(retries + 1, this.deps.retry, this.deps.random);
        if (error instanceof ThoughtSpotRateLimitError && this.deps.limiter !== null) {
          // ThoughtSpot's bucket is shared by every call from this host; slow all of them down, not only this one.
          if (retryAfterMs !== undefined) this.deps.limiter.holdUntil(performance.now() + retryAfterMs);
          else this.deps.limiter.drain();
        }
        if (delayMs >= call.remainingMs()) {
          // Sleeping past the deadline only to fail then helps nobody; fail now with the real reason.
          this.log('warn', 'not retrying ThoughtSpot call: the wait would pass its deadline', {
            endpoint: spec.endpoint,
            orgId,
            attempt,
            errorCode: error.code,
            delayMs,
          });
          throw error;
        }
        retries += 1;
        this.log('warn', 'retrying ThoughtSpot call', {
          endpoint: spec.endpoint,
          orgId,
          attempt,
          errorCode: error.code,
          status: error.status,
          delayMs,
          retryAfterMs,
        });
        await sleep(delayMs, call.signal);
      }
    } catch (thrown) {
      throw this.finalError(thrown, spec, orgId, attempt, lastError, registry, call.signal);
    } finally {
      call.dispose();
    }
  }

  private finalError(
    thrown: unknown,
    spec: CallSpec<unknown>,
    orgId: number | undefined,
    attempts: number,
    lastError: AnyThoughtSpotError | undefined,
    registry: SecretRegistry,
    signal: AbortSignal,
  ): AnyThoughtSpotError {
    if (isThoughtSpotError(thrown)) return thrown;
    // Only a wait (backoff, queue, token) can end here: attempts translate their own failures.
    const base = { endpoint: spec.endpoint, orgId, attempts, cause: lastError ?? sanitizeCause(thrown, registry) };
    if (signal.aborted && signal.reason instanceof DeadlineExceeded) {
      return new ThoughtSpotTimeoutError(
        `${spec.endpoint} did not complete within its deadline of ${signal.reason.deadlineMs} ms (${attempts} attempt${attempts === 1 ? '' : 's'}${lastError === undefined ? '' : `, last: ${lastError.code}`}).`,
        { ...base, phase: 'deadline', status: lastError?.status },
      );
    }
    if (signal.aborted) return new ThoughtSpotAbortedError(`${spec.endpoint} was aborted by the caller.`, base);
    return new ThoughtSpotProtocolError(`${spec.endpoint} failed inside the adapter: ${redactText(String(thrown), registry)}`, base);
  }

  private async attempt<T>(
    spec: CallSpec<T>,
    registry: SecretRegistry,
    signal: AbortSignal,
    remainingMs: () => number,
    attempt: number,
  ): Promise<
    | { readonly ok: true; readonly value: T; readonly sent: true }
    | { readonly ok: false; readonly error: AnyThoughtSpotError; readonly sent: boolean; readonly token?: string }
  > {
    const orgId = spec.orgId ?? undefined;
    const base = { endpoint: spec.endpoint, orgId, attempts: attempt - 1 };

    // Fail fast while the breaker is open, before queueing for a token, a connection or a rate slot.
    const refusal = this.breakerRefusal(spec, orgId, attempt - 1);
    if (refusal !== undefined) return { ok: false, error: refusal, sent: false };

    const token = spec.auth === 'bearer' ? await this.requireTokens().get(spec.orgId ?? 0, signal) : undefined;

    const release = await this.deps.semaphore.acquire(signal);
    let admittedProbe: boolean | null = null;
    let outcome: BreakerOutcome = 'neutral';
    const startedAt = performance.now();
    let status: number | null = null;
    let errorCode: string | null = null;
    try {
      if (this.deps.limiter !== null) {
        const refusal = await this.deps.limiter.acquire(signal, remainingMs());
        if (refusal !== undefined) {
          const error = new ThoughtSpotRateLimitError(
            `${spec.endpoint} was not sent: the client-side rate limit has no slot for ${Math.ceil(refusal.refused)} ms, beyond the call's remaining deadline.`,
            { ...base, retryAfterMs: Math.ceil(refusal.refused) },
          );
          return { ok: false, error, sent: false };
        }
      }
      const admission = this.deps.breaker.admit();
      if (!admission.allowed) {
        return { ok: false, error: this.unavailable(spec, orgId, attempt - 1, admission.retryAfterMs), sent: false };
      }
      admittedProbe = admission.probe;

      const headers: Record<string, string> = { ...this.deps.headers };
      if (spec.body !== undefined) headers['content-type'] = 'application/json';
      if (token !== undefined) headers['authorization'] = `Bearer ${token}`;
      let raw: RawResponse;
      try {
        raw = await sendOnce(this.deps.dispatcher, this.deps.origin, {
          method: spec.method,
          path: this.deps.basePath + spec.path,
          headers,
          body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
          signal,
          headersTimeoutMs: this.deps.headersTimeoutMs,
          bodyTimeoutMs: this.deps.bodyTimeoutMs,
        });
      } catch (thrown) {
        const error = errorFromTransport(thrown, { endpoint: spec.endpoint, orgId, attempt, signal, registry });
        errorCode = error.code;
        outcome = breakerVerdict(error);
        return { ok: false, error, sent: true, ...(token === undefined ? {} : { token }) };
      }
      status = raw.status;
      const result = this.interpret(spec, raw, registry, attempt);
      outcome = result.ok ? 'success' : breakerVerdict(result.error);
      if (!result.ok) {
        errorCode = result.error.code;
        return { ok: false, error: result.error, sent: true, ...(token === undefined ? {} : { token }) };
      }
      return { ok: true, value: result.value, sent: true };
    } finally {
      release();
      if (admittedProbe !== null) {
        this.deps.breaker.record(outcome, admittedProbe);
        this.report(spec, orgId, status, performance.now() - startedAt, attempt, errorCode);
      }
    }
  }

  private interpret<T>(
    spec: CallSpec<T>,
    raw: RawResponse,
    registry: SecretRegistry,
    attempt: number,
  ): { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: AnyThoughtSpotError } {
    const orgId = spec.orgId ?? undefined;
    const context = {
      endpoint: spec.endpoint,
      orgId,
      status: raw.status,
      contentType: raw.contentType,
      bodyText: raw.bodyText,
      retryAfterMs: parseRetryAfter(raw.retryAfter, this.deps.wallNow()),
      location: raw.location,
      attempt,
      registry,
    };
    if (raw.status < 200 || raw.status >= 300) return { ok: false, error: errorFromResponse(context) };
    // Any 2xx is success (CONTRACT.md §1: builds answer 200 where 204 is documented); 204 has no body to read.
    const text = raw.status === 204 ? '' : raw.bodyText.trim();
    let json: unknown;
    if (text !== '') {
      const html = /html/i.test(raw.contentType ?? '') || text.startsWith('<');
      if (html) {
        const parsed = parseErrorBody(raw.contentType, text, registry);
        if (parsed.maintenance === true) return { ok: false, error: errorFromResponse(context) };
        return {
          ok: false,
          error: new ThoughtSpotProtocolError(
            `ThoughtSpot answered ${spec.endpoint} with ${raw.status} and an HTML page${parsed.message === undefined ? '' : ` titled "${parsed.message}"`} instead of JSON.`,
            { endpoint: spec.endpoint, orgId, status: raw.status, attempts: attempt },
          ),
        };
      }
      try {
        json = JSON.parse(text);
      } catch {
        return {
          ok: false,
          error: new ThoughtSpotProtocolError(
            `ThoughtSpot answered ${spec.endpoint} with ${raw.status} and a body that is not JSON: "${excerpt(redactText(text, registry), 80)}".`,
            { endpoint: spec.endpoint, orgId, status: raw.status, attempts: attempt },
          ),
        };
      }
    }
    try {
      return { ok: true, value: spec.decode(json) };
    } catch (thrown) {
      if (!(thrown instanceof WireShapeError)) throw thrown;
      return {
        ok: false,
        error: new ThoughtSpotProtocolError(
          `ThoughtSpot's answer to ${spec.endpoint} does not match the contract: ${redactText(thrown.message, registry)}.`,
          { endpoint: spec.endpoint, orgId, status: raw.status, attempts: attempt },
        ),
      };
    }
  }

  private breakerRefusal(spec: CallSpec<unknown>, orgId: number | undefined, attempts: number): ThoughtSpotUnavailableError | undefined {
    const breaker = this.deps.breaker;
    if (breaker.state !== 'open') return undefined;
    const admission = breaker.admit();
    if (admission.allowed) {
      // `state` said open, so admit() cannot grant; kept for type narrowing only.
      breaker.record('neutral', admission.probe);
      return undefined;
    }
    return this.unavailable(spec, orgId, attempts, admission.retryAfterMs);
  }

  private unavailable(spec: CallSpec<unknown>, orgId: number | undefined, attempts: number, retryAfterMs: number): ThoughtSpotUnavailableError {
    return new ThoughtSpotUnavailableError(
      `${spec.endpoint} was not sent: recent calls found ThoughtSpot unreachable, so the circuit breaker is open for another ${retryAfterMs} ms.`,
      { endpoint: spec.endpoint, orgId, attempts, retryAfterMs },
    );
  }

  private requireTokens(): TokenManager {
    if (this.tokens === null) throw new Error('Pipeline used before its token manager was attached');
    return this.tokens;
  }

  private report(
    spec: CallSpec<unknown>,
    orgId: number | undefined,
    status: number | null,
    durationMs: number,
    attempt: number,
    errorCode: string | null,
  ): void {
    const event: UpstreamCallEvent = {
      endpoint: spec.endpoint,
      orgId: orgId ?? null,
      status,
      durationMs: Math.round(durationMs * 1000) / 1000,
      attempt,
      errorCode,
    };
    this.log('debug', 'ThoughtSpot call', { ...event });
    if (this.deps.onUpstreamCall === undefined) return;
    try {
      this.deps.onUpstreamCall(event);
    } catch (error) {
      this.log('warn', 'onUpstreamCall threw; ignoring', { error });
    }
  }
}

// Redaction happens before cutting, so a secret straddling the cut is never left half-visible.
function excerpt(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/** What an attempt's failure says about the cluster's health. */
function breakerVerdict(error: AnyThoughtSpotError): BreakerOutcome {
  switch (error.code) {
    case 'TS_ERR_NETWORK':
    case 'TS_ERR_TIMEOUT':
      return 'failure';
    case 'TS_ERR_UPSTREAM':
      // 502/503/504 and maintenance pages say the cluster is down; a plain 500 is one request failing, and
      // ThoughtSpot also sends 500 for some permission errors (CONTRACT.md §16 Q15), so it does not count.
      return error.retryable ? 'failure' : 'success';
    case 'TS_ERR_PROTOCOL':
      // Unparseable HTTP (no status) suggests something broken in the path; a readable response that we could not
      // decode still proves the cluster is alive.
      return error.status === undefined ? 'failure' : 'success';
    case 'TS_ERR_ABORTED':
      return 'neutral';
    case 'TS_ERR_UNAUTHENTICATED':
    case 'TS_ERR_FORBIDDEN':
    case 'TS_ERR_NOT_FOUND':
    case 'TS_ERR_BAD_REQUEST':
    case 'TS_ERR_CONFLICT':
    case 'TS_ERR_RATE_LIMITED':
    case 'TS_ERR_UNAVAILABLE':
      return 'success';
  }
}
