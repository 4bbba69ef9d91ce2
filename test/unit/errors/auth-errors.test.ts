// The caller-facing auth errors through Apollo Server itself, with the project's formatError: an authentication
// failure thrown by the context function becomes an HTTP 401 with a WWW-Authenticate challenge and the code
// UNAUTHENTICATED; a missing scope in a resolver becomes a FORBIDDEN error on that field. Neither is masked.

import { ApolloServer, HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { AuthenticationError, createAuthenticator, requireScope, type Caller } from '../../../src/auth/index.js';
import { createFormatError } from '../../../src/errors/format.js';

interface Context {
  readonly caller: Caller;
}

const SECRET = 'an-hs256-test-secret-of-32-bytes';

async function startServer(logged: string[]): Promise<ApolloServer<Context>> {
  const server = new ApolloServer<Context>({
    typeDefs: 'type Query { me: String, provision: String }',
    resolvers: {
      Query: {
        me: (_parent, _args, { caller }) => caller.subject,
        provision: (_parent, _args, { caller }) => {
          requireScope(caller, 'directory:write');
          return 'done';
        },
      },
    },
    formatError: createFormatError({ error: (message) => logged.push(message) }),
    logger: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
  await server.start();
  return server;
}

async function post(server: ApolloServer<Context>, query: string, authorization: string | undefined) {
  const authenticator = createAuthenticator({
    mode: 'jwt',
    key: { kind: 'secret', secret: SECRET },
    issuer: 'https://idp.example.com/',
    audience: 'directory',
  });
  const response = await server.executeHTTPGraphQLRequest({
    httpGraphQLRequest: {
      method: 'POST',
      headers: new HeaderMap([['content-type', 'application/json']]),
      search: '',
      body: { query },
    },
    context: async () => ({ caller: await authenticator.authenticate(authorization) }),
  });
  expect(response.body.kind).toBe('complete');
  return {
    status: response.status ?? 200,
    challenge: response.headers.get('www-authenticate'),
    body: JSON.parse((response.body as { string: string }).string) as { data?: unknown; errors?: unknown[] },
  };
}

describe('authentication and scope errors through Apollo Server and formatError', () => {
  it('answers 401 UNAUTHENTICATED with a Bearer challenge when the context function refuses the caller', async () => {
    const logged: string[] = [];
    const server = await startServer(logged);
    try {
      const missing = await post(server, '{ me }', undefined);
      expect(missing).toEqual({
        status: 401,
        challenge: 'Bearer',
        body: { errors: [{ message: 'Authentication required: send an Authorization header with a Bearer token.', extensions: { code: 'UNAUTHENTICATED' } }] },
      });

      const forged = await post(server, '{ me }', 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl');
      expect(forged.status).toBe(401);
      expect(forged.challenge).toBe('Bearer error="invalid_token", error_description="The bearer token signature is not valid."');
      expect(forged.body).toEqual({ errors: [{ message: 'The bearer token signature is not valid.', extensions: { code: 'UNAUTHENTICATED' } }] });
      expect(JSON.stringify(forged.body)).not.toContain('eyJ');
      expect(logged).toEqual([]);
    } finally {
      await server.stop();
    }
  });

  it('fails only the field whose scope is missing, with FORBIDDEN naming the scope', async () => {
    const logged: string[] = [];
    const server = await startServer(logged);
    try {
      const token = await new SignJWT({ sub: 'reader', scope: 'directory:read', orgs: ['Acme'] })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer('https://idp.example.com/')
        .setAudience('directory')
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode(SECRET));
      const result = await post(server, '{ me provision }', `Bearer ${token}`);
      expect(result.status).toBe(200);
      expect(result.body).toEqual({
        data: { me: 'reader', provision: null },
        errors: [
          {
            message: "This operation requires the directory:write scope, which the caller's token does not grant.",
            locations: [{ line: 1, column: 6 }],
            path: ['provision'],
            extensions: { code: 'FORBIDDEN' },
          },
        ],
      });
      expect(logged).toEqual([]);
    } finally {
      await server.stop();
    }
  });

  it('keeps the code and message when formatError is handed the error directly, dropping the http extension', () => {
    const formatError = createFormatError({ error: () => {} });
    const error = new AuthenticationError('expired');
    expect(error).toBeInstanceOf(GraphQLError);
    expect(formatError(error.toJSON(), error)).toEqual({ message: 'The bearer token has expired.', extensions: { code: 'UNAUTHENTICATED' } });
  });
});
