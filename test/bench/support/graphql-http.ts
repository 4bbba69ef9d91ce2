// A GraphQL-over-HTTP client for the benchmarks that need the answer's data (mutations: the created group's ID,
// `userErrors`), beside load.ts's client, which keeps only the outcome. Same rules as load.ts: one undici pool of
// `connections` sockets, a bearer token of a caller with every scope minted with the test JWT settings (the subgraph
// child is configured with them: measure.ts `startSubgraphProcess` passes TEST_AUTH_ENV) and renewed before it
// expires, an `x-request-id` per request, and a request the server has not answered within `timeoutMs` counted as
// failed. The clock starts after the token is in hand.

import { Pool } from 'undici';
import { mintTestToken } from '../../support/tokens.js';
import type { ClientError, Exchange } from './load.js';

/** One request's outcome, with the answer's `data` (null when there was none). */
export interface DataExchange extends Exchange {
  readonly data: unknown;
}

export interface DataClient {
  send(kind: string, query: string, variables?: Record<string, unknown>): Promise<DataExchange>;
  close(): Promise<void>;
}

const TOKEN_LIFETIME_S = 600;
const TOKEN_RENEW_BEFORE_MS = 120_000;

let counter = 0;

export function createDataClient(url: string, connections: number, timeoutMs: number, subject = 'bench-client'): DataClient {
  const pool = new Pool(new URL(url).origin, { connections, keepAliveTimeout: 10_000, pipelining: 1 });
  let token: { readonly value: Promise<string>; readonly renewAt: number } | null = null;
  const credential = (): Promise<string> => {
    const now = Date.now();
    if (token === null || now >= token.renewAt) {
      token = {
        value: mintTestToken({ sub: subject, expiresInS: TOKEN_LIFETIME_S }).then((t) => `Bearer ${t}`),
        renewAt: now + TOKEN_LIFETIME_S * 1000 - TOKEN_RENEW_BEFORE_MS,
      };
    }
    return token.value;
  };
  return {
    async send(kind, query, variables) {
      counter += 1;
      const requestId = `${kind}-${counter}`;
      const body = JSON.stringify(variables === undefined ? { query } : { query, variables });
      const authorization = await credential();
      const startedAt = performance.now();
      let status = 0;
      let text = '';
      let transportError: string | null = null;
      try {
        const response = await pool.request({
          method: 'POST',
          path: '/graphql',
          headers: { 'content-type': 'application/json', accept: 'application/json', 'x-request-id': requestId, authorization },
          body,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        });
        status = response.statusCode;
        text = await response.body.text();
      } catch (err) {
        transportError = err instanceof Error ? `${(err as { code?: string }).code ?? err.name}: ${err.message}` : String(err);
      }
      const latencyMs = performance.now() - startedAt;
      let errors: ClientError[] = [];
      let data: unknown = null;
      if (transportError === null) {
        try {
          const parsed = JSON.parse(text) as { data?: unknown; errors?: ClientError[] };
          errors = Array.isArray(parsed.errors) ? parsed.errors : [];
          data = parsed.data ?? null;
        } catch {
          transportError = `unparseable body (HTTP ${status}): ${text.slice(0, 200)}`;
        }
      }
      const outcome: Exchange['outcome'] = transportError !== null || status !== 200 || data === null ? 'failed' : errors.length > 0 ? 'partial' : 'ok';
      return { requestId, kind, startedAt, latencyMs, status, outcome, errors, transportError, data };
    },
    close: () => pool.close(),
  };
}
