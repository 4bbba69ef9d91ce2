// Helpers of the observability tests: a logger that keeps every line the app writes (the real pino-backed console
// logger, with its write hook pointed at an array), a scrape of /metrics, and an authenticated POST.

import { createConsoleLogger } from '../../../src/app.js';
import type { Logger } from '../../../src/logger.js';
import { parseMetrics, type Sample } from '../../support/prometheus.js';
import { authHeader } from '../../support/tokens.js';

export { byLabel, delta, parseMetrics, total, type Sample } from '../../support/prometheus.js';

/** The console logger at debug level, keeping its lines. */
export interface CapturedLog {
  readonly logger: Logger;
  readonly lines: string[];
  /** Every line, parsed. */
  entries(): Record<string, unknown>[];
}

/** A console logger (the production one, pino behind it) whose lines are kept instead of written to stderr. */
export function captureLog(): CapturedLog {
  const lines: string[] = [];
  return {
    logger: createConsoleLogger('debug', (line) => lines.push(line)),
    lines,
    entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

/** `GET <url>metrics`, parsed. */
export async function scrape(url: string): Promise<Sample[]> {
  const response = await fetch(new URL('metrics', url));
  if (response.status !== 200) throw new Error(`/metrics answered ${response.status}`);
  return parseMetrics(await response.text());
}

/** POSTs a GraphQL operation as a full-access caller, with `headers` besides. */
export async function postQuery(
  url: string,
  body: { readonly query: string; readonly operationName?: string; readonly variables?: Record<string, unknown> },
  headers: Record<string, string> = {},
): Promise<{ readonly status: number; readonly json: { data?: unknown; errors?: { extensions?: { code?: string } }[] }; readonly text: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(await authHeader()), ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: JSON.parse(text) as { data?: unknown; errors?: { extensions?: { code?: string } }[] }, text };
}

/** Every string in a JSON value (the names, usernames and e-mails a response carried). */
export function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}
