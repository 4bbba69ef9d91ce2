// Public to the rest of src: the ThoughtSpot adapter's whole surface. Loaders, resolvers and the composition root
// import from here and nowhere else in src/thoughtspot (eslint enforces it).

export { createThoughtSpotClient } from './client.js';
export {
  ThoughtSpotError,
  ThoughtSpotAuthError,
  ThoughtSpotForbiddenError,
  ThoughtSpotNotFoundError,
  ThoughtSpotRequestError,
  ThoughtSpotConflictError,
  ThoughtSpotRateLimitError,
  ThoughtSpotServerError,
  ThoughtSpotTimeoutError,
  ThoughtSpotNetworkError,
  ThoughtSpotProtocolError,
  ThoughtSpotUnavailableError,
  ThoughtSpotOverloadedError,
  ThoughtSpotAbortedError,
  UnreachableCaseError,
  isThoughtSpotError,
  THOUGHTSPOT_ERROR_CODES,
} from './errors.js';
export type { ThoughtSpotErrorCode, AnyThoughtSpotError, PrincipalKind, ThoughtSpotErrorDetails, OverloadedQueue } from './errors.js';
export {
  ThoughtSpotConfigError,
  DEFAULT_BODY_TIMEOUT_MS,
  DEFAULT_BURST,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_COOLDOWN_MS,
  DEFAULT_DEADLINE_MS,
  DEFAULT_FAILURE_THRESHOLD,
  DEFAULT_HEADERS_TIMEOUT_MS,
  DEFAULT_MAX_CONCURRENCY,
  DEFAULT_MAX_DELAY_MS,
  DEFAULT_MAX_RETRIES,
  DEFAULT_MIN_DELAY_MS,
  DEFAULT_REQUESTS_PER_SECOND,
  DEFAULT_TOKEN_VALIDITY_SECONDS,
} from './options.js';
export { DEFAULT_SORT } from './shared.js';
export { DEFAULT_ITERATION_PAGE_SIZE } from './users.js';
export * from './records.js';
export type * from './types.js';
