// Test support: a small JSON client for the emulator's REST v2 API over undici's `request`, with helpers to mint
// tokens and to read the vendor error envelope (either shape, CONTRACT.md §6.1).

import { request } from 'undici';

/** Base path of every endpoint. */
export const API = '/api/rest/2.0';

/** One answer, read in full. */
export interface ApiResult {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  /** The parsed JSON body, or null for an empty body. */
  readonly body: unknown;
}

/** Options of one call. */
export interface CallOptions {
  readonly token?: string;
  readonly cookie?: string;
}

/** The error code and messages of a vendor error envelope. */
export interface VendorErrorInfo {
  readonly code: number;
  readonly messages: string[];
}

/** A client bound to one emulator. */
export class Api {
  constructor(readonly baseUrl: string) {}

  /** Sends one request; a body is sent as JSON. */
  async call(method: 'GET' | 'POST', path: string, body?: unknown, options: CallOptions = {}): Promise<ApiResult> {
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'emulator-contract-tests' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    if (options.cookie !== undefined) headers.cookie = options.cookie;
    const response = await request(`${this.baseUrl}${API}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.body.text();
    return {
      status: response.statusCode,
      headers: response.headers,
      text,
      body: text === '' ? null : (JSON.parse(text) as unknown),
    };
  }

  /** POST with a JSON body. */
  post(path: string, body: unknown, token?: string): Promise<ApiResult> {
    return this.call('POST', path, body, token === undefined ? {} : { token });
  }

  /** GET without a body. */
  get(path: string, token?: string): Promise<ApiResult> {
    return this.call('GET', path, undefined, token === undefined ? {} : { token });
  }

  /** Mints a full-access token and returns the whole answer. Fails the test unless it is a 200. */
  async mint(body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const result = await this.post('/auth/token/full', body);
    if (result.status !== 200) throw new Error(`Minting a token failed with ${result.status}: ${result.text}`);
    return result.body as Record<string, unknown>;
  }

  /** A token for a user with a password, optionally in an Org. */
  async login(username: string, password: string, orgId?: number): Promise<string> {
    const body: Record<string, unknown> = { username, password };
    if (orgId !== undefined) body['org_id'] = orgId;
    return (await this.mint(body))['token'] as string;
  }

  /** A token minted with the trusted-authentication secret key (works for users without a password). */
  async trusted(username: string, secretKey: string, orgId?: number): Promise<string> {
    const body: Record<string, unknown> = { username, secret_key: secretKey };
    if (orgId !== undefined) body['org_id'] = orgId;
    return (await this.mint(body))['token'] as string;
  }
}

/** Reads the vendor error envelope (shape B by default, shape A when switched). */
export function vendorError(result: ApiResult): VendorErrorInfo {
  const message = (result.body as { error?: { message?: Record<string, unknown> } } | null)?.error?.message;
  if (message === undefined) throw new Error(`Expected a vendor error envelope, but got ${result.status}: ${result.text}`);
  const inner = message['debug'];
  if (inner !== null && typeof inner === 'object') {
    const b = inner as { code: number; debug: string };
    return { code: b.code, messages: JSON.parse(b.debug) as string[] };
  }
  return { code: message['code'] as number, messages: [String(message['debug'])] };
}

/** The rows of a search answer. */
export function rows(result: ApiResult): Record<string, unknown>[] {
  if (result.status !== 200 || !Array.isArray(result.body)) {
    throw new Error(`Expected a 200 with an array, but got ${result.status}: ${result.text}`);
  }
  return result.body as Record<string, unknown>[];
}

/** The names of rows (or of `{id, name}` references). */
export function names(list: unknown): string[] {
  return (list as { name: string }[]).map((r) => r.name);
}

/** A movable clock for token-expiry tests. */
export class TestClock {
  constructor(public ms: number = Date.UTC(2025, 5, 1, 12, 0, 0)) {}
  now(): number {
    return this.ms;
  }
  advance(seconds: number): void {
    this.ms += seconds * 1000;
  }
}
