// Tracing (issue "Production readiness", item 3). Without OTEL_EXPORTER_OTLP_ENDPOINT the app loads no OpenTelemetry
// module at all; with it, every GraphQL request is a span that continues the caller's W3C trace context, and every
// upstream attempt a child span, exported over OTLP/HTTP (to a collector played here by a node:http server).
//
// Which OpenTelemetry modules get loaded is observed through vitest's module mocks: each factory records its package
// and hands back the real module, and a factory runs only when something imports its package.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp, type App } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import { startEmulator, type Emulator } from '../../../src/emulator/index.js';
import { TEST_AUTH_ENV } from '../../support/tokens.js';
import { postQuery, stringsIn } from './support.js';

const loaded = vi.hoisted(() => new Set<string>());
vi.mock('@opentelemetry/api', async (importOriginal) => {
  loaded.add('@opentelemetry/api');
  return importOriginal();
});
vi.mock('@opentelemetry/sdk-trace-node', async (importOriginal) => {
  loaded.add('@opentelemetry/sdk-trace-node');
  return importOriginal();
});
vi.mock('@opentelemetry/exporter-trace-otlp-http', async (importOriginal) => {
  loaded.add('@opentelemetry/exporter-trace-otlp-http');
  return importOriginal();
});
vi.mock('@opentelemetry/resources', async (importOriginal) => {
  loaded.add('@opentelemetry/resources');
  return importOriginal();
});

/** A span as OTLP/JSON carries it (ids in hex). */
interface ExportedSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  readonly kind: number;
  readonly attributes?: { readonly key: string; readonly value: Record<string, unknown> }[];
  readonly status?: { readonly code?: number };
}

interface Collector {
  readonly url: string;
  readonly spans: ExportedSpan[];
  readonly serviceNames: string[];
  close(): Promise<void>;
}

/** An OTLP/HTTP collector that keeps what it is sent to /v1/traces. */
async function startCollector(): Promise<Collector> {
  const spans: ExportedSpan[] = [];
  const serviceNames: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.url === '/v1/traces') {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          resourceSpans: { resource: { attributes: { key: string; value: { stringValue?: string } }[] }; scopeSpans: { spans: ExportedSpan[] }[] }[];
        };
        for (const resourceSpans of body.resourceSpans) {
          serviceNames.push(...resourceSpans.resource.attributes.filter((a) => a.key === 'service.name').map((a) => a.value.stringValue ?? ''));
          for (const scope of resourceSpans.scopeSpans) spans.push(...scope.spans);
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, spans, serviceNames, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const attribute = (span: ExportedSpan, key: string): unknown => {
  const value = span.attributes?.find((a) => a.key === key)?.value;
  return value === undefined ? undefined : Object.values(value)[0];
};

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ seed: 'demo', host: '127.0.0.1', port: 0, rateLimit: { enabled: false } });
});
afterAll(() => emulator.close());

function env(extra: Record<string, string> = {}): Record<string, string> {
  return {
    THOUGHTSPOT_URL: emulator.url,
    THOUGHTSPOT_USERNAME: emulator.adminCredentials.username,
    THOUGHTSPOT_SECRET_KEY: emulator.adminCredentials.secretKey,
    THOUGHTSPOT_RATE_LIMIT_RPS: '0',
    LOG_LEVEL: 'silent',
    STORE_PATH: ':memory:',
    ...TEST_AUTH_ENV,
    ...extra,
  };
}

describe('tracing', () => {
  // First in the file: nothing has loaded OpenTelemetry yet.
  it('loads no OpenTelemetry module when no OTLP endpoint is configured', async () => {
    const app = await createApp(loadConfig(env()));
    try {
      const url = await app.listen(0, '127.0.0.1');
      expect((await postQuery(url, { query: '{ organizations { nodes { name } } }' })).json.errors).toBeUndefined();
      expect([...loaded]).toEqual([]);
    } finally {
      await app.stop();
    }
  });

  describe('with OTEL_EXPORTER_OTLP_ENDPOINT', () => {
    let collector: Collector;
    let app: App;
    let url: string;
    let response: Awaited<ReturnType<typeof postQuery>>;
    const since = { seq: 0 };
    const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
    const PARENT_ID = '00f067aa0ba902b7';

    beforeAll(async () => {
      collector = await startCollector();
      app = await createApp(loadConfig(env({ OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_SERVICE_NAME: 'directory-under-test' })));
      url = await app.listen(0, '127.0.0.1');
      since.seq = emulator.calls().at(-1)?.seq ?? 0;
      response = await postQuery(
        url,
        { query: 'query ObsTraced { organizations(first: 3) { nodes { name groups(first: 3) { nodes { name members(first: 3) { nodes { username email } } } } } } }' },
        { traceparent: `00-${TRACE_ID}-${PARENT_ID}-01` },
      );
      // Stopping exports what the batch processor still holds.
      await app.stop();
    });
    afterAll(() => collector.close());

    it('loads the SDK and the exporter on demand', () => {
      expect(loaded).toEqual(
        new Set(['@opentelemetry/api', '@opentelemetry/sdk-trace-node', '@opentelemetry/exporter-trace-otlp-http', '@opentelemetry/resources']),
      );
      expect(collector.serviceNames).toContain('directory-under-test');
    });

    it("exports one span per GraphQL request, continuing the caller's trace", () => {
      expect(response.json.errors).toBeUndefined();
      const operations = collector.spans.filter((span) => span.name === 'query ObsTraced');
      expect(operations).toHaveLength(1);
      const [operation] = operations as [ExportedSpan];
      expect(operation.traceId).toBe(TRACE_ID);
      expect(operation.parentSpanId).toBe(PARENT_ID);
      expect(operation.kind).toBe(2); // SERVER
      expect(attribute(operation, 'graphql.operation.type')).toBe('query');
      expect(attribute(operation, 'graphql.operation.name')).toBe('ObsTraced');
    });

    it('exports one child span per upstream attempt, named after the endpoint, as many as the emulator answered', () => {
      const operation = collector.spans.find((span) => span.name === 'query ObsTraced') as ExportedSpan;
      const upstream = collector.spans.filter((span) => span.parentSpanId === operation.spanId);
      const calls = emulator.calls((call) => call.seq > since.seq);
      expect(upstream.map((span) => span.name).sort()).toEqual(calls.map((call) => call.endpoint).sort());
      for (const span of upstream) {
        expect(span.traceId).toBe(TRACE_ID);
        expect(span.kind).toBe(3); // CLIENT
        expect(attribute(span, 'http.response.status_code')).toBe(200);
      }
    });

    it('puts no name, username or e-mail address from the directory on any span', () => {
      const names = new Set(stringsIn(response.json.data).filter((value) => value.length >= 3));
      expect(names.size).toBeGreaterThan(5);
      const values = collector.spans.flatMap((span) => [span.name, ...(span.attributes ?? []).map((a) => String(Object.values(a.value)[0]))]);
      expect(values.filter((value) => [...names].some((name) => value.includes(name)))).toEqual([]);
    });
  });
});
