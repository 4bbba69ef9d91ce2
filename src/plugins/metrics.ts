// Public to the rest of src: the metrics plugin. Counts every GraphQL request by operation (name bounded by the
// metrics module), type and outcome, times it, and counts the error codes it answered (observability/metrics.ts).

import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../context.js';
import type { Metrics, OperationOutcome } from '../observability/index.js';

/** Options of `metricsPlugin`. */
export interface MetricsPluginOptions {
  readonly metrics: Pick<Metrics, 'operation'>;
  /** Injected clock in milliseconds (default `performance.now`). */
  readonly now?: () => number;
}

/** Creates the metrics plugin. */
export function metricsPlugin(options: MetricsPluginOptions): ApolloServerPlugin<Context> {
  const now = options.now ?? (() => performance.now());
  return {
    requestDidStart() {
      const started = now();
      return Promise.resolve({
        willSendResponse({ operation, operationName, request, response }) {
          const result = response.body.kind === 'single' ? response.body.singleResult : response.body.initialResult;
          const errors = result.errors ?? [];
          const outcome: OperationOutcome = errors.length === 0 ? 'success' : result.data === undefined || result.data === null ? 'error' : 'partial';
          options.metrics.operation({
            // A document that never resolved to an operation (parse or validation failure) has only the requested name.
            name: operationName ?? request.operationName ?? null,
            type: operation?.operation ?? null,
            outcome,
            durationMs: now() - started,
            errorCodes: errors.map((error) => String(error.extensions?.['code'] ?? 'UNKNOWN')),
          });
          return Promise.resolve();
        },
      });
    },
  };
}
