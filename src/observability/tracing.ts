// Internal to src/observability (re-exported by index.ts): OpenTelemetry traces, exported over OTLP/HTTP. Started only
// when OTEL_EXPORTER_OTLP_ENDPOINT is set, and then every OpenTelemetry module is loaded with a dynamic `import()`
// here: a subgraph without a collector loads none of them (only `import type` appears at the top of this file).
//
// Spans: one per GraphQL request (kind SERVER, child of the caller's W3C `traceparent` when it sends one, so the
// router's trace continues here) and one per upstream attempt (kind CLIENT, child of its request's span). The adapter
// reports an attempt once it has settled (`onUpstreamCall`), so its span is recorded afterwards with the attempt's
// measured start and end; attempts outside any GraphQL request (the readiness probe) are not traced. Attributes never
// carry personal or tenant data: operation type and name, the endpoint template (never the path, which can hold a
// username), status codes, error codes, counts. No document, no variables, no Org ids.

import type { Attributes, Context as OtelContext, Span, TextMapGetter, Tracer } from '@opentelemetry/api';
import type { Logger } from '../logger.js';
import type { UpstreamCallEvent } from '../thoughtspot/index.js';

/** The request headers, as Apollo Server's HeaderMap offers them (lower-case names). */
export interface HeaderCarrier {
  get(name: string): string | undefined;
  keys(): Iterable<string>;
}

/** The span of one GraphQL request. */
export interface OperationSpan {
  /** The document resolved to an operation: names the span after it. */
  resolved(type: string, name: string | null): void;
  /** The response is being sent; `errorCodes` are the `extensions.code` of its errors. */
  end(errorCodes: readonly string[]): void;
}

/** The app's tracer. */
export interface Tracing {
  /**
   * Starts the span of a GraphQL request. `key` identifies the request to `upstreamCall` (the app passes the request
   * scope's call log); `headers` carry the caller's trace context.
   */
  startOperation(key: object | undefined, headers: HeaderCarrier | undefined): OperationSpan;
  /** Records one settled upstream attempt under the span of the request `key` identifies (none: not recorded). */
  upstreamCall(key: object | undefined, event: UpstreamCallEvent): void;
  /** Exports what is buffered and stops. */
  shutdown(): Promise<void>;
}

/** Options of `startTracing`. */
export interface TracingOptions {
  /** OTLP/HTTP collector base URL (spans are posted to `<endpoint>/v1/traces`). */
  readonly endpoint: string;
  readonly serviceName: string;
  /** Receives the SDK's own warnings and errors (an unreachable collector, say). */
  readonly logger: Logger;
}

/** The name of the instrumentation scope of every span. */
export const TRACER_NAME = 'thoughtspot-directory-subgraph';
/** Longest operation name put on a span; the name is the caller's choice. */
const MAX_NAME_LENGTH = 64;

/** Loads the OpenTelemetry SDK and the OTLP exporter, registers them for the process, and returns the app's tracer. */
export async function startTracing(options: TracingOptions): Promise<Tracing> {
  const [api, sdk, exporter, resources, conventions] = await Promise.all([
    import('@opentelemetry/api'),
    import('@opentelemetry/sdk-trace-node'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/semantic-conventions'),
  ]);
  const { logger } = options;
  // The SDK reports export failures through the global diagnostic logger: into the app's log, at warn and above.
  api.diag.setLogger(
    {
      error: (message) => logger.warn('OpenTelemetry error', { detail: message }),
      warn: (message) => logger.warn('OpenTelemetry warning', { detail: message }),
      info: () => undefined,
      debug: () => undefined,
      verbose: () => undefined,
    },
    api.DiagLogLevel.WARN,
  );
  const provider = new sdk.NodeTracerProvider({
    resource: resources.resourceFromAttributes({ [conventions.ATTR_SERVICE_NAME]: options.serviceName }),
    spanProcessors: [new sdk.BatchSpanProcessor(new exporter.OTLPTraceExporter({ url: `${options.endpoint}/v1/traces` }))],
  });
  // The process-wide registration installs the W3C trace-context propagator (read below) and the AsyncLocalStorage
  // context manager; the spans themselves come from this provider's own tracer.
  provider.register();
  const tracer: Tracer = provider.getTracer(TRACER_NAME);
  const getter: TextMapGetter<HeaderCarrier> = {
    get: (carrier, key) => carrier.get(key.toLowerCase()),
    keys: (carrier) => [...carrier.keys()],
  };
  const spans = new WeakMap<object, Span>();

  return {
    startOperation(key, headers) {
      const parent: OtelContext = headers === undefined ? api.ROOT_CONTEXT : api.propagation.extract(api.ROOT_CONTEXT, headers, getter);
      const span = tracer.startSpan('GraphQL Operation', { kind: api.SpanKind.SERVER }, parent);
      if (key !== undefined) spans.set(key, span);
      return {
        resolved(type, name) {
          const attributes: Attributes = { 'graphql.operation.type': type };
          if (name !== null) attributes['graphql.operation.name'] = name.slice(0, MAX_NAME_LENGTH);
          span.setAttributes(attributes);
          span.updateName(name === null ? type : `${type} ${name.slice(0, MAX_NAME_LENGTH)}`);
        },
        end(errorCodes) {
          if (errorCodes.length > 0) {
            span.setAttribute('error.type', errorCodes[0] ?? 'UNKNOWN');
            span.setAttribute('graphql.error.count', errorCodes.length);
            span.setStatus({ code: api.SpanStatusCode.ERROR });
          }
          span.end();
        },
      };
    },
    upstreamCall(key, event) {
      const parent = key === undefined ? undefined : spans.get(key);
      if (parent === undefined) return;
      const end = Date.now();
      const [method = 'POST', template = event.endpoint] = event.endpoint.split(' ', 2);
      const attributes: Attributes = {
        'http.request.method': method,
        'url.template': template,
        'thoughtspot.attempt': event.attempt,
      };
      if (event.status !== null) attributes['http.response.status_code'] = event.status;
      if (event.attempt > 1) attributes['http.request.resend_count'] = event.attempt - 1;
      if (event.errorCode !== null) attributes['error.type'] = event.errorCode;
      if (event.rows !== undefined) attributes['thoughtspot.rows'] = event.rows;
      if (event.rateLimitWaitMs !== undefined) attributes['thoughtspot.rate_limit_wait_ms'] = event.rateLimitWaitMs;
      if (event.serviceTokenMint === true) attributes['thoughtspot.service_token_mint'] = true;
      const span = tracer.startSpan(
        event.endpoint,
        { kind: api.SpanKind.CLIENT, startTime: end - event.durationMs, attributes },
        api.trace.setSpan(api.ROOT_CONTEXT, parent),
      );
      if (event.errorCode !== null) span.setStatus({ code: api.SpanStatusCode.ERROR });
      span.end(end);
    },
    async shutdown() {
      await provider.shutdown();
    },
  };
}
