// Public to the rest of src: the ThoughtSpot adapter's whole surface. Loaders, resolvers and the composition root
// import from here and nowhere else in src/thoughtspot (test/unit/layering.test.ts enforces it).

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
  isThoughtSpotError,
  THOUGHTSPOT_ERROR_CODES,
} from './errors.js';
export type { AnyThoughtSpotError } from './errors.js';
export * from './records.js';
export type * from './types.js';
