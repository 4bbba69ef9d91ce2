// Internal to src/thoughtspot: the life of one adapter call. For each attempt, in this order: token (cached or
// minted once), a breaker check, a concurrency slot, a rate-limiter slot, the breaker's admission, one HTTP exchange,
// then the verdict: decode, re-mint once on 401, retry with backoff, or fail. Everything is bounded by the call's
// deadline and by the caller's signals (the per-call option and the ambient call context). retry.ts explains why this
// is a loop here and not undici's retry interceptor.
//
// The three waits before the exchange are this client's own queues. A call that never left them failed because this
// client is overloaded, not because ThoughtSpot is: it fails with TS_ERR_OVERLOADED and the circuit breaker never
// hears of it. Otherwise one expensive GraphQL request could exhaust the queues, and the breaker would open for every
// client while ThoughtSpot was answering 200.

import type { Dispatcher } from 'undici';
import type { Logger } from '../logger.js';
import type { CallContext, CallOptions, UpstreamCallEvent } from './types.js';
import {
  ThoughtSpotAbortedError,
  ThoughtSpotAuthError,
  ThoughtSpotOverloadedError,
  ThoughtSpotProtocolError,
  ThoughtSpotRateLimitError,
  ThoughtSpotServerError,
  ThoughtSpotTimeoutError,
  ThoughtSpotUnavailableError,
  isThoughtSpotError,
  type AnyThoughtSpotError,
  type OverloadedQueue,
} from './errors.js';
import { errorFromResponse, parseErrorBody } from './error-body.js';
import { redactText, redactValue, sanitizeCause, type SecretRegistry } from './redact.js';
import { backoffDelayMs, isRetryable, parseRetryAfter, type CallKind, type RetryPolicy } from './retry.js';
import type { Limiter } from './rate-limiter.js';
import type { BreakerOutcome, CircuitBreaker } from './breaker.js';
import type { Semaphore } from './semaphore.js';
import type { TokenManager } from './auth.js';
import { errorFromTransport, sendOnce, type RawResponse } from './transport.js';
import { createCallSignal, DeadlineExceeded, sleep, type CallSignal, type MonotonicClock } from './timers.js';
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
  /**
   * The call serves many requests at once (the service token's single-flight mint): it ignores the ambient call
   * context, so no one request's signal can cancel it, and it queues as its own flow rather than behind the backlog of
   * the request that happened to start it.
   */
  readonly detached?: boolean;
  /** Called each time an attempt is handed to the transport. */
  readonly onSend?: () => void;
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
  /** Client-side pacing (rate-limiter.ts): one budget per process, or one shared by every replica. */
  readonly limiter: Limiter | null;
  readonly breaker: CircuitBreaker;
  readonly semaphore: Semaphore;
  readonly registry: SecretRegistry;
  readonly logger: Logger;
  readonly onUpstreamCall: ((event: UpstreamCallEvent) => void) | undefined;
  /** The ambient call context (`ThoughtSpotClientOptions.callContext`), read once per call. */
  readonly callContext: (() => CallContext | undefined) | undefined;
  /** Monotonic clock of pacing, backoff, deadlines and attempt durations (shared with the rate limiter). */
  readonly clock: MonotonicClock;
  /** Wall clock for Retry-After dates. */
  readonly wallNow: () => number;
  readonly random: () => number;
  readonly isClosed: () => boolean;
}

/** What one call carries from attempt to attempt. */
interface CallState {
  readonly call: CallSignal;
  /** The flow the call queues in (undefined: the anonymous flow). */
  readonly flow: object | undefined;
  readonly deadlineMs: number;
  /** The context's `beforeSend` (CallContext), run before each attempt leaves. */
  readonly beforeSend: (() => void) | undefined;
  /** The queue the call is waiting in right now, or null when it is not waiting in one of ours. */
  queue: OverloadedQueue | null;
}

/** How the queues are named in messages. */
const QUEUE_NAMES: Readonly<Record<OverloadedQueue, string>> = {
  token: 'the service token to be minted',
  concurrency: 'a concurrency slot',
  'rate-limit': 'a client-side rate-limit slot',
};

/** Runs calls. One per client; shared by every resource module. */
export class Pipeline {
  /** Set by the client once the token manager (which itself calls the pipeline) exists. */
  tokens: TokenManager | null = null;
  /** The flow of detached calls (service-token mints), served in turn with the requests' flows. */
  private readonly serviceFlow: object = Object.freeze({ name: 'service-token' });

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
    const ambient = spec.detached === true ? { flow: this.serviceFlow } : this.ambientContext(spec);
    const call = createCallSignal(deadlineMs, [spec.options?.signal, ambient.signal], this.deps.clock);
    const state: CallState = { call, flow: ambient.flow, deadlineMs, beforeSend: ambient.beforeSend, queue: null };
    let attempt = 0;
    let lastError: AnyThoughtSpotError | undefined;
    try {
      let retries = 0;
      let reminted = false;
      for (;;) {
        const outcome = await this.attempt(spec, registry, state, attempt + 1);
        if (outcome.sent) attempt += 1;
        if (outcome.ok) return outcome.value;
        const error = outcome.error;
        if (!outcome.sent) {
          // A retry our own queues could not send in time: what ThoughtSpot said last is the real reason the call
          // failed, as when a backoff would pass the deadline (below).
          if (error instanceof ThoughtSpotOverloadedError && lastError !== undefined) throw lastError;
          throw error;
        }
        lastError = error;
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
          if (retryAfterMs !== undefined) this.deps.limiter.holdUntil(this.deps.clock.now() + retryAfterMs);
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
        await sleep(delayMs, call.signal, this.deps.clock);
      }
    } catch (thrown) {
      throw this.finalError(thrown, spec, orgId, attempt, lastError, registry, state);
    } finally {
      call.dispose();
    }
  }

  /**
   * The ambient call context, read once for this call. A throwing or malformed `callContext` is the app's bug, but
   * it must not fail the call: the call then runs without the context (unbounded by the request's signal, in the
   * anonymous flow), and the problem is logged, as a throwing `onUpstreamCall` is.
   */
  private ambientContext(spec: CallSpec<unknown>): {
    readonly flow?: object;
    readonly signal?: AbortSignal;
    readonly beforeSend?: () => void;
  } {
    const source = this.deps.callContext;
    if (source === undefined) return {};
    let context: CallContext | undefined;
    try {
      context = source();
    } catch (error) {
      this.log('warn', 'callContext threw; running the call without a context', { endpoint: spec.endpoint, error });
      return {};
    }
    if (context === undefined || context === null || typeof context !== 'object') return {};
    const flow = context.flow ?? context;
    const signal = context.signal;
    const beforeSend = context.beforeSend;
    return {
      ...(typeof flow === 'object' && flow !== null ? { flow } : {}),
      ...(signal instanceof AbortSignal ? { signal } : {}),
      ...(typeof beforeSend === 'function' ? { beforeSend: beforeSend.bind(context) } : {}),
    };
  }

  private finalError(
    thrown: unknown,
    spec: CallSpec<unknown>,
    orgId: number | undefined,
    attempts: number,
    lastError: AnyThoughtSpotError | undefined,
    registry: SecretRegistry,
    state: CallState,
  ): AnyThoughtSpotError {
    if (isThoughtSpotError(thrown)) return thrown;
    const signal = state.call.signal;
    // Only a wait (backoff, queue, token) can end here: attempts translate their own failures.
    const base = { endpoint: spec.endpoint, orgId, attempts, cause: lastError ?? sanitizeCause(thrown, registry) };
    if (signal.aborted && signal.reason instanceof DeadlineExceeded) {
      if (attempts === 0 && state.queue !== null) {
        // Never sent: the whole deadline went on waiting in this client's own queues.
        const why = `its deadline of ${signal.reason.deadlineMs} ms passed while it waited for ${QUEUE_NAMES[state.queue]}`;
        return this.overloaded(spec, orgId, state, state.queue, why);
      }
      return new ThoughtSpotTimeoutError(
        `${spec.endpoint} did not complete within its deadline of ${signal.reason.deadlineMs} ms (${attempts} attempt${attempts === 1 ? '' : 's'}${lastError === undefined ? '' : `, last: ${lastError.code}`}).`,
        { ...base, phase: 'deadline', status: lastError?.status },
      );
    }
    if (signal.aborted) {
      return new ThoughtSpotAbortedError(`${spec.endpoint} was aborted by the caller.`, { ...base, reason: signal.reason });
    }
    return new ThoughtSpotProtocolError(`${spec.endpoint} failed inside the adapter: ${redactText(String(thrown), registry)}`, base);
  }

  /** A never-sent call's failure; all the time since it started went on waiting in this client's queues. */
  private overloaded(
    spec: CallSpec<unknown>,
    orgId: number | undefined,
    state: CallState,
    queue: OverloadedQueue,
    why: string,
  ): ThoughtSpotOverloadedError {
    const waitedMs = Math.round(state.call.elapsedMs());
    return new ThoughtSpotOverloadedError(
      `${spec.endpoint} waited in this client's own queue for ${waitedMs} ms and was not sent to ThoughtSpot: ${why}.`,
      { endpoint: spec.endpoint, orgId, attempts: 0, queue, waitedMs },
    );
  }

  private async attempt<T>(
    spec: CallSpec<T>,
    registry: SecretRegistry,
    state: CallState,
    attempt: number,
  ): Promise<
    | { readonly ok: true; readonly value: T; readonly sent: true }
    | { readonly ok: false; readonly error: AnyThoughtSpotError; readonly sent: boolean; readonly token?: string }
  > {
    const orgId = spec.orgId ?? undefined;
    const { call, flow } = state;
    const signal = call.signal;

    // Fail fast while the breaker is open, before queueing for a token, a connection or a rate slot.
    const refusal = this.breakerRefusal(spec, orgId, attempt - 1);
    if (refusal !== undefined) return { ok: false, error: refusal, sent: false };

    let token: string | undefined;
    if (spec.auth === 'bearer') {
      const tokens = this.requireTokens();
      state.queue = 'token';
      try {
        token = await tokens.get(spec.orgId ?? 0, signal);
      } catch (error) {
        // Waiting for a mint that ThoughtSpot has already been asked for is waiting on ThoughtSpot, not on us.
        if (signal.aborted && tokens.mintReachedThoughtSpot(spec.orgId ?? 0)) state.queue = null;
        throw error;
      }
    }

    state.queue = 'concurrency';
    const release = await this.deps.semaphore.acquire(signal, flow);
    let admittedProbe: boolean | null = null;
    let outcome: BreakerOutcome = 'neutral';
    let sentAt = 0;
    let status: number | null = null;
    let errorCode: string | null = null;
    let rows: number | undefined;
    let rateLimitWaitMs: number | undefined;
    try {
      // The request's own say (its upstream call budget), once the call holds a concurrency slot and before it takes a
      // rate-limit slot, so a refused call costs other requests nothing: a refusal is the caller's abort.
      if (state.beforeSend !== undefined) {
        try {
          state.beforeSend();
        } catch (reason) {
          const error = new ThoughtSpotAbortedError(`${spec.endpoint} was not sent: the call context refused it.`, {
            endpoint: spec.endpoint,
            orgId,
            attempts: attempt - 1,
            reason,
          });
          return { ok: false, error, sent: false };
        }
      }
      if (this.deps.limiter !== null) {
        state.queue = 'rate-limit';
        const remainingMs = call.remainingMs();
        const waitFrom = this.deps.clock.now();
        const refused = await this.deps.limiter.acquire(signal, { maxWaitMs: remainingMs, flow });
        rateLimitWaitMs = this.deps.clock.now() - waitFrom;
        if (refused !== undefined) {
          const why = `the client-side rate limit has no slot for this call for another ${Math.ceil(refused.refused)} ms, beyond its remaining deadline of ${Math.floor(remainingMs)} ms`;
          return { ok: false, error: this.overloaded(spec, orgId, state, 'rate-limit', why), sent: false };
        }
      }
      state.queue = null;
      const admission = this.deps.breaker.admit();
      if (!admission.allowed) {
        return { ok: false, error: this.unavailable(spec, orgId, attempt - 1, admission.retryAfterMs), sent: false };
      }
      admittedProbe = admission.probe;

      const headers: Record<string, string> = { ...this.deps.headers };
      if (spec.body !== undefined) headers['content-type'] = 'application/json';
      if (token !== undefined) headers['authorization'] = `Bearer ${token}`;
      let raw: RawResponse;
      sentAt = this.deps.clock.now();
      const sentWithMs = call.remainingMs();
      try {
        spec.onSend?.();
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
        outcome = this.transportVerdict(error, sentWithMs, state.deadlineMs);
        return { ok: false, error, sent: true, ...(token === undefined ? {} : { token }) };
      }
      status = raw.status;
      const result = this.interpret(spec, raw, registry, attempt);
      outcome = result.ok ? 'success' : breakerVerdict(result.error);
      if (!result.ok) {
        errorCode = result.error.code;
        return { ok: false, error: result.error, sent: true, ...(token === undefined ? {} : { token }) };
      }
      if (Array.isArray(result.value)) rows = result.value.length;
      return { ok: true, value: result.value, sent: true };
    } finally {
      release();
      if (admittedProbe !== null) {
        this.deps.breaker.record(outcome, admittedProbe);
        this.report(spec, orgId, status, this.deps.clock.now() - sentAt, attempt, errorCode, { rows, rateLimitWaitMs });
      }
    }
  }

  /**
   * The breaker's verdict on an attempt the transport failed. The call's own deadline cutting the exchange short is
   * evidence against ThoughtSpot only when ThoughtSpot had a fair share of time to answer: at least half of the
   * headers timeout (or of the call's deadline, when that is shorter). A call that spent its deadline in our queues
   * and left with milliseconds to spare proves nothing about the cluster; counting it let a flood of queued calls
   * open the breaker while ThoughtSpot was answering 200.
   */
  private transportVerdict(error: AnyThoughtSpotError, sentWithMs: number, deadlineMs: number): BreakerOutcome {
    if (error instanceof ThoughtSpotTimeoutError && error.phase === 'deadline') {
      return sentWithMs >= Math.min(this.deps.headersTimeoutMs, deadlineMs) / 2 ? 'failure' : 'neutral';
    }
    return breakerVerdict(error);
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
    extra: { readonly rows: number | undefined; readonly rateLimitWaitMs: number | undefined },
  ): void {
    const event: UpstreamCallEvent = {
      endpoint: spec.endpoint,
      orgId: orgId ?? null,
      status,
      durationMs: Math.round(durationMs * 1000) / 1000,
      attempt,
      errorCode,
      ...(extra.rows === undefined ? {} : { rows: extra.rows }),
      ...(extra.rateLimitWaitMs === undefined ? {} : { rateLimitWaitMs: Math.round(extra.rateLimitWaitMs * 1000) / 1000 }),
      ...(spec.detached === true ? { serviceTokenMint: true as const } : {}),
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
    case 'TS_ERR_OVERLOADED':
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
