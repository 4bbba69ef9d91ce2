// Test support: a small HTTP client for the emulator's wire format, plus readers for ThoughtSpot's error envelope
// and a generator of minimal valid request bodies from contract.json.

import type { SchemaNode } from '../../../src/emulator/contract.js';

/** A response read in full. */
export interface HttpResult {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The body parsed as JSON (throws when it is not JSON). */
  json<T = unknown>(): T;
}

/** Options of `send`. */
export interface SendOptions {
  /** An object is sent as JSON; a string is sent as is (still labelled application/json unless headers say otherwise). */
  readonly body?: unknown;
  /** Sent as `Authorization: Bearer <token>`. */
  readonly token?: string;
  readonly headers?: Record<string, string>;
  readonly signal?: AbortSignal;
}

/** Sends one request to `baseUrl + path` and reads the whole answer. */
export async function send(baseUrl: string, method: string, path: string, options: SendOptions = {}): Promise<HttpResult> {
  const headers: Record<string, string> = {};
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  Object.assign(headers, options.headers);
  const init: RequestInit = { method, headers };
  if (options.body !== undefined) init.body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  if (options.signal) init.signal = options.signal;
  const response = await fetch(baseUrl + path, init);
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    text,
    json<T>() {
      return JSON.parse(text) as T;
    },
  };
}

/** The parts of a vendor error envelope, whichever shape (A or B, CONTRACT.md §6.1) it came in. */
export interface VendorError {
  readonly shape: 'A' | 'B';
  readonly code: number;
  readonly incidentId: string;
  readonly traceId: string;
  /** The messages: shape B's JSON-encoded array decoded, or shape A's single string. */
  readonly messages: string[];
}

/** Reads a vendor error envelope; throws when the body is not one. */
export function readVendorError(result: HttpResult): VendorError {
  const body = result.json<{ error?: { message?: Record<string, unknown> } }>();
  const message = body.error?.message;
  if (!message) throw new Error(`Expected a vendor error envelope, but got: ${result.text}`);
  const inner = message.debug;
  if (inner !== null && typeof inner === 'object') {
    const b = inner as { code: number; incident_id_guid: string; trace_id_guid: string; debug: string };
    return { shape: 'B', code: b.code, incidentId: b.incident_id_guid, traceId: b.trace_id_guid, messages: JSON.parse(b.debug) as string[] };
  }
  const a = message as { code: number; incident_id_guid: string; trace_id_guid: string; debug: string };
  return { shape: 'A', code: a.code, incidentId: a.incident_id_guid, traceId: a.trace_id_guid, messages: [a.debug] };
}

/** The smallest body a schema accepts: every required field with a plain sample value, nothing else. */
export function minimalBody(schema: SchemaNode): unknown {
  if (schema.any_of) return minimalBody(schema.any_of[0]!);
  if (schema.enum) return schema.enum[0];
  switch (schema.type) {
    case 'string':
      return 'sample';
    case 'integer':
    case 'number':
      return 1;
    case 'boolean':
      return true;
    case 'array':
      return [];
    case 'object':
      return Object.fromEntries(
        Object.entries(schema.properties ?? {})
          .filter(([, child]) => child.required === true)
          .map(([name, child]) => [name, minimalBody(child)]),
      );
    default:
      return null;
  }
}

/** Replaces every `{param}` of a path template with `value-of-<param>`. */
export function concretePath(template: string): { path: string; params: Record<string, string> } {
  const params: Record<string, string> = {};
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    params[name] = `value-of-${name}`;
    return params[name];
  });
  return { path, params };
}
