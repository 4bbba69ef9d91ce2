// Public to the rest of src: logs, metrics, traces and readiness (issue "Production readiness"; README, Operations).
// Only the composition root and the Apollo plugins use it. Importing it loads pino and prom-client, never
// OpenTelemetry: `startTracing` loads that on demand.

export { createPinoLogger, LOG_REDACT_PATHS, LOG_REDACTED, MAX_LOG_STRING_LENGTH, type PinoLoggerOptions } from './logging.js';
export {
  ANONYMOUS_OPERATION,
  createMetrics,
  MAX_OPERATION_LABELS,
  OTHER_OPERATION,
  type HttpRoute,
  type Metrics,
  type MetricsSources,
  type OperationOutcome,
  type OperationSample,
} from './metrics.js';
export { createReadiness, READY_CHECK_TIMEOUT_MS, type CheckState, type Readiness, type ReadinessOptions, type ReadinessReport } from './readiness.js';
export { startTracing, TRACER_NAME, type HeaderCarrier, type OperationSpan, type Tracing, type TracingOptions } from './tracing.js';
