// Public to the rest of src: the request-log plugin. One log line per GraphQL request with what an operator needs
// to see the batching at work: the operation, its duration, the upstream calls it caused (by endpoint, token mints
// included) and the error codes it returned. No variables, no result data, no PII.

import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../context.js';
import type { Logger } from '../logger.js';

/** What the plugin logs for one request. */
export interface RequestLogEntry {
  readonly requestId: string;
  readonly operationName: string | null;
  readonly durationMs: number;
  /** Upstream HTTP attempts, retries and token mints included. */
  readonly upstreamCalls: number;
  readonly upstreamByEndpoint: Readonly<Record<string, number>>;
  /** `extensions.code` of every error in the response, in order. */
  readonly errorCodes: readonly string[];
}

/** Options of `requestLogPlugin`. */
export interface RequestLogOptions {
  readonly logger: Pick<Logger, 'info'>;
  /** Also receives every entry (tests, metrics exporters). */
  readonly onEntry?: (entry: RequestLogEntry) => void;
  /** Injected clock in milliseconds (default `performance.now`). */
  readonly now?: () => number;
}

/** Creates the request-log plugin. */
export function requestLogPlugin(options: RequestLogOptions): ApolloServerPlugin<Context> {
  const now = options.now ?? (() => performance.now());
  return {
    requestDidStart() {
      const started = now();
      return Promise.resolve({
        willSendResponse({ contextValue, operationName, response }) {
          const errors = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
          const entry: RequestLogEntry = {
            requestId: contextValue.requestId,
            operationName: operationName ?? null,
            durationMs: Math.round((now() - started) * 10) / 10,
            upstreamCalls: contextValue.upstream.calls,
            upstreamByEndpoint: contextValue.upstream.byEndpoint(),
            errorCodes: errors.map((error) => String(error.extensions?.['code'] ?? 'UNKNOWN')),
          };
          options.logger.info('graphql request', { ...entry });
          options.onEntry?.(entry);
          return Promise.resolve();
        },
      });
    },
  };
}
