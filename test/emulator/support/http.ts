// Test support: the one HTTP client of the emulator tests. `send` is the raw request (any method, path, header or
// body, for the shell's edge cases); `Api` binds it to an emulator's REST v2 base path and mints tokens. Readers
// for the vendor error envelope and for search answers sit beside it.

import { BASE_PATH } from '../../../src/emulator/contract.js';

/** A response read in full. */
export class HttpResult {
  #parsed: { readonly value: unknown } | undefined;

  constructor(
    readonly status: number,
    readonly headers: Headers,
    readonly text: string,
  ) {}

  /** The body parsed as JSON, or null for an empty body; throws, showing the body, when it is not JSON. */
  get body(): unknown {
    if (this.#parsed === undefined) {
      let value: unknown = null;
      if (this.text !== '') {
        try {
          value = JSON.parse(this.text) as unknown;
        } catch {
          throw new Error(`Expected a JSON body, but got ${this.status}: ${this.text.slice(0, 200)}`);
        }
      }
      this.#parsed = { value };
    }
    return this.#parsed.value;
  }
}

/** Options of `send`. */
export interface SendOptions {
  /** An object is sent as JSON; a string is sent as is (still labelled application/json unless headers say otherwise). */
  readonly body?: unknown;
  /** Sent as `Authorization: Bearer <token>`. */
  readonly token?: string | undefined;
  /** Sent last, so they override the defaults above (e.g. another content type, a `cookie`). */
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
  return new HttpResult(response.status, response.headers, await response.text());
}

/** A client for one emulator's REST v2 API: paths are relative to `/api/rest/2.0`. */
export class Api {
  constructor(readonly baseUrl: string) {}

  /** Sends one request under the API base path. */
  call(method: string, path: string, options: SendOptions = {}): Promise<HttpResult> {
    return send(this.baseUrl, method, `${BASE_PATH}${path}`, options);
  }

  /** POST with a JSON body, as the bearer of `token` when one is given. */
  post(path: string, body: unknown, token?: string): Promise<HttpResult> {
    return this.call('POST', path, { body, token });
  }

  /** GET without a body, as the bearer of `token` when one is given. */
  get(path: string, token?: string): Promise<HttpResult> {
    return this.call('GET', path, { token });
  }

  /** Mints a full-access token and returns the whole answer. Fails the test unless it is a 200. */
  async mint(body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const result = await this.post('/auth/token/full', body);
    if (result.status !== 200) throw new Error(`Minting a token failed with ${result.status}: ${result.text}`);
    return result.body as Record<string, unknown>;
  }

  /** A token for a user with a password, in `orgId` or else the Org the emulator picks (CONTRACT.md §16 Q2). */
  async login(username: string, password: string, orgId?: number): Promise<string> {
    const body: Record<string, unknown> = { username, password };
    if (orgId !== undefined) body['org_id'] = orgId;
    return (await this.mint(body))['token'] as string;
  }
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
  const message = (result.body as { error?: { message?: Record<string, unknown> } } | null)?.error?.message;
  if (message === undefined) throw new Error(`Expected a vendor error envelope, but got ${result.status}: ${result.text}`);
  const inner = message['debug'];
  if (inner !== null && typeof inner === 'object') {
    const b = inner as { code: number; incident_id_guid: string; trace_id_guid: string; debug: string };
    return { shape: 'B', code: b.code, incidentId: b.incident_id_guid, traceId: b.trace_id_guid, messages: JSON.parse(b.debug) as string[] };
  }
  const a = message as { code: number; incident_id_guid: string; trace_id_guid: string; debug: string };
  return { shape: 'A', code: a.code, incidentId: a.incident_id_guid, traceId: a.trace_id_guid, messages: [a.debug] };
}

/** The rows of a search answer; throws unless it is a 200 with an array. */
export function rows(result: HttpResult): Record<string, unknown>[] {
  if (result.status !== 200 || !Array.isArray(result.body)) {
    throw new Error(`Expected a 200 with an array, but got ${result.status}: ${result.text}`);
  }
  return result.body as Record<string, unknown>[];
}

/** The names of rows (or of `{id, name}` references). */
export function names(list: unknown): string[] {
  return (list as { name: string }[]).map((r) => r.name);
}
