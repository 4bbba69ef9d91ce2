import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { RequestAborted, badUserInput } from '../../../src/errors/codes.js';
import { createFormatError, toGraphQLError } from '../../../src/errors/format.js';
import {
  ThoughtSpotAbortedError,
  ThoughtSpotAuthError,
  ThoughtSpotConflictError,
  ThoughtSpotForbiddenError,
  ThoughtSpotNetworkError,
  ThoughtSpotNotFoundError,
  ThoughtSpotProtocolError,
  ThoughtSpotRateLimitError,
  ThoughtSpotRequestError,
  ThoughtSpotServerError,
  ThoughtSpotTimeoutError,
  ThoughtSpotUnavailableError,
  type AnyThoughtSpotError,
} from '../../../src/thoughtspot/index.js';

const endpoint = 'POST /api/rest/2.0/users/search';
// Everything an upstream failure could carry that must never reach a client.
const secrets = {
  vendorMessage: 'Bearer eyJhbGciOi.secret-token for https://acme.thoughtspot.cloud/api/rest/2.0/users/search',
};
const details = { endpoint, status: 500, orgId: 7, ...secrets, incidentId: 'incident-1' };

const table: [AnyThoughtSpotError, GraphQLFormattedError['extensions'], string][] = [
  [new ThoughtSpotAuthError('401 from https://acme.thoughtspot.cloud', details), { code: 'UPSTREAM_UNAVAILABLE' }, 'Directory service is unavailable.'],
  [new ThoughtSpotForbiddenError('403', details), { code: 'FORBIDDEN' }, 'The directory service account is not permitted to perform this operation.'],
  [new ThoughtSpotNotFoundError('400 invalid', { ...details, kind: 'user', identifiers: ['x'] }), { code: 'INTERNAL_SERVER_ERROR' }, 'Internal server error'],
  [new ThoughtSpotRequestError('400', details), { code: 'INTERNAL_SERVER_ERROR' }, 'Internal server error'],
  [new ThoughtSpotConflictError('dup', details), { code: 'INTERNAL_SERVER_ERROR' }, 'Internal server error'],
  [new ThoughtSpotRateLimitError('429', { ...details, retryAfterMs: 1500 }), { code: 'UPSTREAM_RATE_LIMITED', retryAfterMs: 1500 }, 'The directory service is rate limited; try again later.'],
  [new ThoughtSpotRateLimitError('429', details), { code: 'UPSTREAM_RATE_LIMITED' }, 'The directory service is rate limited; try again later.'],
  [new ThoughtSpotServerError('502 html', { ...details, retryable: true }), { code: 'UPSTREAM_UNAVAILABLE' }, 'Directory service is unavailable.'],
  [new ThoughtSpotTimeoutError('headers timeout', { ...details, phase: 'headers' }), { code: 'UPSTREAM_TIMEOUT' }, 'The directory service did not answer in time.'],
  [new ThoughtSpotNetworkError('ECONNREFUSED 10.0.0.1', { ...details, notSent: true }), { code: 'UPSTREAM_UNAVAILABLE' }, 'Directory service is unavailable.'],
  [new ThoughtSpotProtocolError('not json', details), { code: 'INTERNAL_SERVER_ERROR' }, 'Internal server error'],
  [new ThoughtSpotUnavailableError('breaker open', { ...details, retryAfterMs: 4000 }), { code: 'UPSTREAM_UNAVAILABLE', retryAfterMs: 4000 }, 'Directory service is unavailable.'],
  [new ThoughtSpotAbortedError('aborted', details), { code: 'INTERNAL_SERVER_ERROR' }, 'Internal server error'],
];

// What graphql-js hands formatError for an error thrown in a resolver: a GraphQLError with a path wrapping it.
function asResolverError(error: Error): { formatted: GraphQLFormattedError; error: GraphQLError } {
  const wrapped = new GraphQLError(error.message, { path: ['users'], originalError: error });
  return { formatted: { ...wrapped.toJSON(), extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['at x'] } }, error: wrapped };
}

describe('toGraphQLError', () => {
  it.each(table.map(([error, extensions, message]) => [error.code, error, extensions, message] as const))(
    'maps %s',
    (_code, error, extensions, message) => {
      const mapped = toGraphQLError(error);
      expect(mapped.message).toBe(message);
      expect(mapped.extensions).toEqual(extensions);
    },
  );
});

describe('formatError', () => {
  const logged: { message: string; fields: Record<string, unknown> | undefined }[] = [];
  const formatError = createFormatError({ error: (message, fields) => logged.push({ message, fields }) });

  it('translates every adapter error and leaks nothing of the upstream call', () => {
    for (const [error, extensions, message] of table) {
      const { formatted, error: wrapped } = asResolverError(error);
      const out = formatError(formatted, wrapped);
      expect(out).toEqual({ message, path: ['users'], extensions });
      const json = JSON.stringify(out);
      for (const leak of ['acme', 'token', 'Bearer', '10.0.0.1', 'incident', 'stacktrace', endpoint]) expect(json).not.toContain(leak);
    }
  });

  it('masks unknown errors as INTERNAL_SERVER_ERROR and logs the original', () => {
    logged.length = 0;
    const { formatted, error } = asResolverError(new TypeError("Cannot read properties of undefined (reading 'x')"));
    expect(formatError(formatted, error)).toEqual({
      message: 'Internal server error',
      path: ['users'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(logged).toEqual([
      { message: 'internal error masked', fields: { message: "Cannot read properties of undefined (reading 'x')", name: 'TypeError', path: ['users'] } },
    ]);
  });

  it('masks a GraphQLError whose code is not on the allow-list', () => {
    const error = new GraphQLError('Cannot return null for non-nullable field User.username.', { path: ['user', 'username'] });
    const out = formatError({ message: error.message, path: ['user', 'username'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }, error);
    expect(out.message).toBe('Internal server error');
  });

  it('passes our own BAD_USER_INPUT errors with their argument name, without a stack', () => {
    const error = badUserInput('Argument "first" must be an integer between 0 and 100, but got: 101.', 'first');
    const wrapped = new GraphQLError(error.message, { path: ['users'], originalError: error, extensions: error.extensions });
    const out = formatError({ ...wrapped.toJSON(), extensions: { ...error.extensions, stacktrace: ['at y'] } }, wrapped);
    expect(out).toEqual({
      message: 'Argument "first" must be an integer between 0 and 100, but got: 101.',
      path: ['users'],
      extensions: { code: 'BAD_USER_INPUT', argumentName: 'first' },
    });
  });

  it("passes Apollo's request-level errors whatever their class is named (Apollo subclasses GraphQLError)", () => {
    // Apollo's SyntaxError, ValidationError, UserInputError… set `name` to their own class name; a check on the name
    // "GraphQLError" masked every one of them. The HTTP suites (test/e2e/abuse.test.ts) drive the real classes.
    for (const [name, code] of [
      ['SyntaxError', 'GRAPHQL_PARSE_FAILED'],
      ['ValidationError', 'GRAPHQL_VALIDATION_FAILED'],
      ['UserInputError', 'BAD_USER_INPUT'],
      ['BadRequestError', 'BAD_REQUEST'],
      ['PersistedQueryNotFoundError', 'PERSISTED_QUERY_NOT_FOUND'],
    ] as const) {
      const error = new (class extends GraphQLError {
        override readonly name = name;
      })(`a ${name}`, { extensions: { code } });
      expect(formatError({ message: error.message, extensions: { code } }, error)).toEqual({ message: `a ${name}`, extensions: { code } });
    }
  });

  it('reports an upstream call cut short by the request deadline or budget as that cause', () => {
    const reason = new RequestAborted('DEADLINE_EXCEEDED', 'The request ran past its 25000 ms deadline; this part was not completed.', {
      limit: 25_000,
    });
    const { formatted, error } = asResolverError(new ThoughtSpotAbortedError('aborted', { ...details, reason }));
    expect(formatError(formatted, error)).toEqual({
      message: reason.message,
      path: ['users'],
      extensions: { code: 'DEADLINE_EXCEEDED', limit: 25_000 },
    });
  });

  it("passes Apollo's request-level errors (validation) unchanged", () => {
    const error = new GraphQLError('Cannot query field "nope" on type "Query".', { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    const out = formatError({ message: error.message, locations: [{ line: 1, column: 3 }], extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }, error);
    expect(out).toEqual({
      message: 'Cannot query field "nope" on type "Query".',
      locations: [{ line: 1, column: 3 }],
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
  });
});
