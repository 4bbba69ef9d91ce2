// Public to the rest of src: the tracing plugin, installed only when tracing is on. One span per GraphQL request,
// continuing the caller's W3C trace context; the request's upstream attempts become its children through the request
// scope's call log, which both this plugin (as `contextValue.upstream`) and the adapter hook in app.ts can reach.

import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../context.js';
import type { Tracing } from '../observability/index.js';

/** Creates the tracing plugin. */
export function tracingPlugin(tracing: Pick<Tracing, 'startOperation'>): ApolloServerPlugin<Context> {
  return {
    requestDidStart({ request, contextValue }) {
      const span = tracing.startOperation(contextValue.upstream, request.http?.headers);
      return Promise.resolve({
        didResolveOperation({ operation }) {
          if (operation !== undefined) span.resolved(operation.operation, operation.name?.value ?? null);
          return Promise.resolve();
        },
        willSendResponse({ response }) {
          const result = response.body.kind === 'single' ? response.body.singleResult : response.body.initialResult;
          span.end((result.errors ?? []).map((error) => String(error.extensions?.['code'] ?? 'UNKNOWN')));
          return Promise.resolve();
        },
      });
    },
  };
}
