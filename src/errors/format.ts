// Public to the rest of src: the one choke point between errors and clients (DESIGN.md §8, house-style §4.3 tier 2).
// Every error a client sees carries `extensions.code` from ErrorCode (codes.ts) or from Apollo Server's built-in
// codes; `formatError` translates adapter errors and masks everything else, so no upstream body, URL, token or stack
// ever reaches a client.

import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';
import { ApolloServerErrorCode } from '@apollo/server/errors';
import type { Logger } from '../logger.js';
import type { AnyThoughtSpotError } from '../thoughtspot/index.js';
import { isThoughtSpotError } from '../thoughtspot/index.js';
import { UnreachableCaseError } from '../unreachable.js';
import { ERROR_MESSAGES, ErrorCode, RequestAborted } from './codes.js';

/**
 * Codes whose errors reach clients unchanged (message included): ours, and Apollo's request-level built-ins, which
 * Apollo raises as its own subclasses of GraphQLError (SyntaxError, ValidationError, UserInputError, BadRequestError,
 * PersistedQueryNotFoundError…), so they are recognised by their code, never by their class name.
 */
const PASS_THROUGH_CODES: ReadonlySet<string> = new Set<string>([
  ...Object.values(ErrorCode).filter((code) => code !== ErrorCode.INTERNAL_SERVER_ERROR),
  ApolloServerErrorCode.GRAPHQL_PARSE_FAILED,
  ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED,
  ApolloServerErrorCode.BAD_REQUEST,
  ApolloServerErrorCode.PERSISTED_QUERY_NOT_FOUND,
  ApolloServerErrorCode.PERSISTED_QUERY_NOT_SUPPORTED,
  ApolloServerErrorCode.OPERATION_RESOLUTION_FAILURE,
]);

/** Extension keys a client may see; anything else (stacktrace, exception, upstream details) is dropped. */
const PASS_THROUGH_EXTENSIONS: readonly string[] = ['code', 'argumentName', 'retryAfterMs', 'measure', 'value', 'limit'];

/**
 * Translates an adapter error into the client-facing GraphQL error (house-style §4.3). The switch is exhaustive
 * over the adapter's closed code family: adding a code there stops this file compiling until it is mapped here.
 */
export function toGraphQLError(error: AnyThoughtSpotError): GraphQLError {
  switch (error.code) {
    // The service credential was rejected or a breaker is open: an operator problem, not the caller's, so the
    // caller is told the directory is unavailable rather than that *they* are unauthenticated.
    case 'TS_ERR_UNAUTHENTICATED':
    case 'TS_ERR_UPSTREAM':
    case 'TS_ERR_NETWORK':
      return coded(ErrorCode.UPSTREAM_UNAVAILABLE, ERROR_MESSAGES.UPSTREAM_UNAVAILABLE);
    case 'TS_ERR_UNAVAILABLE':
      return coded(ErrorCode.UPSTREAM_UNAVAILABLE, ERROR_MESSAGES.UPSTREAM_UNAVAILABLE, {
        retryAfterMs: error.retryAfterMs,
      });
    case 'TS_ERR_FORBIDDEN':
      return coded(ErrorCode.FORBIDDEN, ERROR_MESSAGES.FORBIDDEN);
    case 'TS_ERR_RATE_LIMITED':
      return coded(
        ErrorCode.UPSTREAM_RATE_LIMITED,
        ERROR_MESSAGES.UPSTREAM_RATE_LIMITED,
        error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs },
      );
    case 'TS_ERR_TIMEOUT':
      return coded(ErrorCode.UPSTREAM_TIMEOUT, ERROR_MESSAGES.UPSTREAM_TIMEOUT);
    // Reads never expect these: a not-found on a single lookup is turned into null before it gets here, and a
    // 400, a conflict, an unreadable answer or an abort on a read is a bug or an operator matter, never something
    // the caller can fix. Mutations map NOT_FOUND, BAD_REQUEST and CONFLICT to userErrors themselves.
    case 'TS_ERR_NOT_FOUND':
    case 'TS_ERR_BAD_REQUEST':
    case 'TS_ERR_CONFLICT':
    case 'TS_ERR_PROTOCOL':
      return coded(ErrorCode.INTERNAL_SERVER_ERROR, ERROR_MESSAGES.INTERNAL_SERVER_ERROR);
    // An abort the request itself caused (deadline, budget, shutdown) is reported as that cause; any other abort is
    // a bug.
    case 'TS_ERR_ABORTED':
      return error.reason instanceof RequestAborted
        ? error.reason.toGraphQLError()
        : coded(ErrorCode.INTERNAL_SERVER_ERROR, ERROR_MESSAGES.INTERNAL_SERVER_ERROR);
    case 'TS_ERR_OVERLOADED':
      return coded(ErrorCode.OVERLOADED, ERROR_MESSAGES.OVERLOADED);
    default:
      throw new UnreachableCaseError(error);
  }
}

/**
 * Builds Apollo Server's `formatError`: adapter errors are translated, errors with a known code pass with only the
 * allowed extensions, and everything else is logged and masked as `INTERNAL_SERVER_ERROR` with a generic message.
 */
export function createFormatError(
  logger: Pick<Logger, 'error'>,
): (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError {
  return (formatted, error) => {
    const original = unwrapResolverError(error);
    const position = positionOf(formatted);
    if (isThoughtSpotError(original)) {
      const translated = toGraphQLError(original);
      if (translated.extensions['code'] === ErrorCode.INTERNAL_SERVER_ERROR) {
        logger.error('upstream error masked', { ...original.toLogFields(), path: formatted.path });
      }
      return { message: translated.message, ...position, extensions: { ...translated.extensions } };
    }
    if (original instanceof RequestAborted) {
      return { message: original.message, ...position, extensions: { ...original.extensions, code: original.code } };
    }
    const code = formatted.extensions?.['code'];
    if (isGraphQLError(original) && typeof code === 'string' && PASS_THROUGH_CODES.has(code)) {
      return { message: formatted.message, ...position, extensions: pick(formatted.extensions ?? {}) };
    }
    // A few of Apollo's request errors carry no code, only an HTTP 4xx status (an unsupported persisted-query
    // version, a hash that does not match its query): they are the client's mistake, raised before execution.
    if (isGraphQLError(original) && original.path === undefined && isClientStatus(original.extensions['http'])) {
      return { message: formatted.message, ...position, extensions: { code: ApolloServerErrorCode.BAD_REQUEST } };
    }
    logger.error('internal error masked', {
      message: original instanceof Error ? original.message : String(original),
      name: original instanceof Error ? original.name : typeof original,
      path: formatted.path,
    });
    return {
      message: ERROR_MESSAGES.INTERNAL_SERVER_ERROR,
      ...position,
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
  };
}

// Private: Apollo's `unwrapResolverError` and `instanceof GraphQLError` both assume a single copy of graphql-js. The
// graphql package ships CommonJS and ESM builds, and a tool that loads both (vitest does) makes `instanceof` lie, so
// these checks go by shape: a located error has a path and an original error; a GraphQLError (or one of Apollo's
// subclasses, whose `name` is their own class name) has `extensions` and `locations` of its own.
function unwrapResolverError(error: unknown): unknown {
  if (isGraphQLError(error)) {
    const { path, originalError } = error as { path?: unknown; originalError?: unknown };
    if (path !== undefined && originalError != null) return originalError;
  }
  return error;
}

function isGraphQLError(value: unknown): value is GraphQLError {
  if (!(value instanceof Error) || !Object.hasOwn(value, 'locations')) return false;
  const { extensions } = value as { extensions?: unknown };
  return typeof extensions === 'object' && extensions !== null;
}

function isClientStatus(http: unknown): boolean {
  const status = (http as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}

function coded(code: ErrorCode, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extra } });
}

function positionOf(formatted: GraphQLFormattedError): Pick<GraphQLFormattedError, 'locations' | 'path'> {
  return {
    ...(formatted.locations === undefined ? {} : { locations: formatted.locations }),
    ...(formatted.path === undefined ? {} : { path: formatted.path }),
  };
}

function pick(extensions: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const key of PASS_THROUGH_EXTENSIONS) {
    if (extensions[key] !== undefined) kept[key] = extensions[key];
  }
  return kept;
}
