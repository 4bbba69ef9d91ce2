// Internal to src/thoughtspot: reads whatever ThoughtSpot (or a gateway in front of it) sent with a non-2xx status
// and turns it into one adapter error. CONTRACT.md §6 records three JSON envelopes and non-JSON pages; the spec's
// schema is `{ error: object | null }`, so nothing here assumes a shape it has not checked.

import {
  ThoughtSpotAuthError,
  ThoughtSpotConflictError,
  ThoughtSpotForbiddenError,
  ThoughtSpotNotFoundError,
  ThoughtSpotProtocolError,
  ThoughtSpotRateLimitError,
  ThoughtSpotRequestError,
  ThoughtSpotServerError,
  ThoughtSpotTimeoutError,
  type AnyThoughtSpotError,
  type PrincipalKind,
} from './errors.js';
import { redactText, type SecretRegistry } from './redact.js';

/** Vendor messages are kept for logs and userErrors, but never longer than this. */
export const MAX_VENDOR_MESSAGE_LENGTH = 500;
/** An HTML title longer than this is cut: it goes into a message, and pages can be anything. */
const MAX_TITLE_LENGTH = 120;

/** ThoughtSpot's code for forbidden / access denied (CONTRACT.md §6.2), also sent with 500 on live clusters. */
const VENDOR_CODE_FORBIDDEN = 10023;

/** Which body shape arrived. */
export type ErrorBodyShape = 'A' | 'B' | 'C' | 'json-other' | 'html' | 'empty' | 'text';

/** What could be read out of an error body. */
export interface ParsedErrorBody {
  readonly shape: ErrorBodyShape;
  readonly vendorCode?: number;
  /** The unwrapped `debug` text (or page title for HTML), redacted and truncated. */
  readonly message?: string;
  readonly incidentId?: string;
  readonly traceId?: string;
  /** True when the page looks like ThoughtSpot's maintenance or start-up page (CONTRACT.md §1). */
  readonly maintenance?: boolean;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: unknown): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parse an error body. Never throws: an unreadable body yields `{ shape: 'text' }` with a short excerpt, so the
 * caller always gets a typed error that says what arrived.
 */
export function parseErrorBody(contentType: string | undefined, text: string, registry?: SecretRegistry): ParsedErrorBody {
  const trimmed = text.trim();
  if (trimmed === '') return { shape: 'empty' };
  const looksHtml = /html/i.test(contentType ?? '') || /^<(!doctype|html|head|body|\?xml)/i.test(trimmed);
  if (!looksHtml && (trimmed.startsWith('{') || trimmed.startsWith('['))) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch {
      json = undefined;
    }
    if (json !== undefined) return parseJsonEnvelope(json, registry);
  }
  if (looksHtml) {
    const title = htmlTitle(trimmed);
    return {
      shape: 'html',
      ...(title === undefined ? {} : { message: clip(collapse(redactText(title, registry)), MAX_TITLE_LENGTH) }),
      maintenance: isMaintenancePage(trimmed),
    };
  }
  return {
    shape: 'text',
    message: clip(collapse(redactText(trimmed, registry)), 200),
    maintenance: isMaintenancePage(trimmed),
  };
}

function parseJsonEnvelope(json: unknown, registry: SecretRegistry | undefined): ParsedErrorBody {
  if (!isObject(json)) return { shape: 'json-other' };
  const error = json['error'];
  if (isObject(error)) {
    const message = error['message'];
    if (isObject(message)) {
      const debug = message['debug'];
      // Shape B (live clusters): error.message.debug is itself the envelope, and its debug is JSON-encoded.
      if (isObject(debug)) return fromFlat('B', debug, registry);
      // Shape A (spec examples): error.message is the envelope.
      return fromFlat('A', message, registry);
    }
    if (typeof message === 'string') return fromFlat('json-other', { debug: message }, registry);
    return fromFlat('json-other', error, registry);
  }
  if (typeof error === 'string') return fromFlat('json-other', { debug: error }, registry);
  // Shape C (older callosum responses): the envelope is the body itself.
  if ('code' in json || 'incident_id_guid' in json || 'debug' in json) return fromFlat('C', json, registry);
  if (typeof json['message'] === 'string') return fromFlat('json-other', { debug: json['message'] }, registry);
  return { shape: 'json-other' };
}

function fromFlat(shape: ErrorBodyShape, envelope: Record<string, Json>, registry: SecretRegistry | undefined): ParsedErrorBody {
  const code = envelope['code'];
  const vendorCode =
    typeof code === 'number' && Number.isInteger(code)
      ? code
      : typeof code === 'string' && /^\d+$/.test(code)
        ? Number(code)
        : undefined;
  // Redact before tidying: collapsing whitespace first could split a secret that contains spaces out of recognition.
  const raw = unwrapDebug(envelope['debug'] ?? envelope['message'] ?? null);
  const message = raw === undefined ? undefined : tidy(redactText(raw, registry));
  const incident = envelope['incident_id_guid'];
  const trace = envelope['trace_id_guid'];
  return {
    shape,
    ...(vendorCode === undefined ? {} : { vendorCode }),
    ...(message === undefined || message === '' ? {} : { message: clip(message, MAX_VENDOR_MESSAGE_LENGTH) }),
    ...(typeof incident === 'string' && incident !== '' ? { incidentId: incident } : {}),
    ...(typeof trace === 'string' && trace !== '' ? { traceId: trace } : {}),
  };
}

/**
 * ThoughtSpot's `debug` is a string, a JSON-encoded array of strings (shape B, possibly `"[null]"`), or an object.
 * Long texts look like `Error Code: FORBIDDEN Incident Id: <uuid>\nError Message: …`; the part after
 * "Error Message:" is what a human needs.
 */
function unwrapDebug(debug: Json): string | undefined {
  if (typeof debug === 'string') {
    const text = debug.trim();
    if (text.startsWith('[')) {
      try {
        const parsed: unknown = JSON.parse(text);
        if (Array.isArray(parsed)) {
          const parts = parsed.filter((item): item is string => typeof item === 'string' && item.trim() !== '');
          return parts.length === 0 ? undefined : parts.join('; ');
        }
      } catch {
        // Not JSON after all: the text is the message.
      }
    }
    return text === '' ? undefined : text;
  }
  if (Array.isArray(debug)) {
    const parts = debug.filter((item): item is string => typeof item === 'string' && item.trim() !== '');
    return parts.length === 0 ? undefined : parts.join('; ');
  }
  if (isObject(debug)) return unwrapDebug(debug['debug'] ?? debug['message'] ?? null);
  return undefined;
}

function tidy(text: string): string {
  const match = /Error Message:\s*([\s\S]+)$/i.exec(text);
  return collapse(match?.[1] ?? text);
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function htmlTitle(html: string): string | undefined {
  const match = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html) ?? /<h1[^>]*>([\s\S]*?)<\/h1>/i.exec(html);
  if (match?.[1] === undefined) return undefined;
  const text = decodeEntities(match[1].replace(/<[^>]*>/g, ' '));
  return text.trim() === '' ? undefined : text;
}

function decodeEntities(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&nbsp;/g, ' ')
    .replace(/&#(\d+);/g, (_, digits: string) => String.fromCodePoint(Number(digits)))
    .replace(/&amp;/g, '&');
}

// The pages ThoughtSpot serves while a cluster is in maintenance or starting up (cs_tools checks for the same words).
function isMaintenancePage(text: string): boolean {
  return /site maintenance|system maintenance|enable service|under maintenance|is starting up/i.test(text);
}

/** What the classifier needs to know about the call and the response. */
export interface ResponseContext {
  readonly endpoint: string;
  readonly orgId: number | undefined;
  readonly status: number;
  readonly contentType: string | undefined;
  readonly bodyText: string;
  /** Milliseconds from `Retry-After`, when the header was present and valid. */
  readonly retryAfterMs: number | undefined;
  /** The `Location` header of a redirect. */
  readonly location: string | undefined;
  readonly attempt: number;
  readonly registry: SecretRegistry | undefined;
}

const KIND_BY_WORD: Record<string, PrincipalKind> = {
  user: 'user',
  users: 'user',
  group: 'group',
  groups: 'group',
  usergroup: 'group',
  role: 'role',
  roles: 'role',
  org: 'org',
  orgs: 'org',
  organization: 'org',
  metadata: 'metadata',
};

/**
 * Turn a non-2xx response into the adapter error it stands for. The HTTP status decides first, because ThoughtSpot's
 * numeric codes are overloaded (CONTRACT.md §6.2); the vendor code and message refine a 400 (duplicate names,
 * unknown identifiers) and a 500 (the live quirk that sends permission failures as 500/10023, §16 Q15).
 */
export function errorFromResponse(context: ResponseContext): AnyThoughtSpotError {
  const parsed = parseErrorBody(context.contentType, context.bodyText, context.registry);
  const { endpoint, orgId, status } = context;
  const details = {
    endpoint,
    orgId,
    status,
    vendorCode: parsed.vendorCode,
    vendorMessage: parsed.shape === 'html' ? undefined : parsed.message,
    incidentId: parsed.incidentId,
    traceId: parsed.traceId,
    attempts: context.attempt,
  };
  // `said` ends the sentence: vendor messages often bring their own full stop.
  const said = endSentence(describeBody(parsed));
  const where = `${endpoint}${orgId === undefined ? '' : ` (Org ${orgId})`}`;

  if (parsed.maintenance === true && (status >= 500 || status < 300)) {
    return new ThoughtSpotServerError(`ThoughtSpot is in maintenance or starting up: ${where} answered ${status}${said}`, {
      ...details,
      retryable: true,
      retryAfterMs: context.retryAfterMs,
    });
  }
  if (status === 400) {
    const message = parsed.message ?? '';
    const duplicate = /already exists|already in use|not unique|duplicate/i.test(message);
    if (duplicate) {
      const name = /with (?:the )?name\s+['"]?([^'"]+?)['"]?\s+already exists/i.exec(message)?.[1];
      return new ThoughtSpotConflictError(`ThoughtSpot refused ${where}: the name is taken${said}`, {
        ...details,
        ...(name === undefined ? {} : { conflictingName: name }),
      });
    }
    const unknown = /invalid\s+([a-z]+)\s+identifiers?\s*:?\s*(.*)$/i.exec(message);
    if (unknown !== null) {
      const word = (unknown[1] ?? '').toLowerCase();
      const identifiers = (unknown[2] ?? '')
        .replace(/[[\]]/g, '')
        .split(',')
        .map((item) => item.trim().replace(/^['"]|['"]$/g, ''))
        .filter((item) => item !== '');
      return new ThoughtSpotNotFoundError(`ThoughtSpot does not know an identifier sent to ${where}${said}`, {
        ...details,
        kind: KIND_BY_WORD[word] ?? 'unknown',
        identifiers,
      });
    }
    return new ThoughtSpotRequestError(`ThoughtSpot rejected ${where} as invalid (400)${said}`, details);
  }
  if (status === 401) {
    return new ThoughtSpotAuthError(`ThoughtSpot did not accept the credentials for ${where} (401)${said}`, details);
  }
  if (status === 403) {
    return new ThoughtSpotForbiddenError(`The service account may not call ${where} (403)${said}`, details);
  }
  if (status === 404 || status === 410) {
    return new ThoughtSpotNotFoundError(`ThoughtSpot found nothing at ${where} (${status})${said}`, {
      ...details,
      kind: 'unknown',
      identifiers: [],
    });
  }
  if (status === 409) {
    return new ThoughtSpotConflictError(`ThoughtSpot refused ${where} as a conflict (409)${said}`, details);
  }
  if (status === 408) {
    return new ThoughtSpotTimeoutError(`ThoughtSpot timed out reading the request to ${where} (408)${said}`, {
      ...details,
      phase: 'headers',
    });
  }
  if (status === 429) {
    const wait = context.retryAfterMs === undefined ? '' : `; it asked to retry after ${context.retryAfterMs} ms`;
    return new ThoughtSpotRateLimitError(`ThoughtSpot rate-limited ${where} (429)${wait}${said}`, {
      ...details,
      retryAfterMs: context.retryAfterMs,
    });
  }
  if (status >= 400 && status < 500) {
    return new ThoughtSpotRequestError(`ThoughtSpot rejected ${where} with ${status}${said}`, details);
  }
  if (status >= 500) {
    const forbidden =
      parsed.vendorCode === VENDOR_CODE_FORBIDDEN || /Error Code:\s*FORBIDDEN|access denied/i.test(context.bodyText);
    if (status === 500 && forbidden) {
      return new ThoughtSpotForbiddenError(
        `The service account may not call ${where} (ThoughtSpot sent 500 with a permission error)${said}`,
        details,
      );
    }
    const transient = status === 502 || status === 503 || status === 504;
    return new ThoughtSpotServerError(`ThoughtSpot failed on ${where} with ${status}${said}`, {
      ...details,
      retryable: transient,
      retryAfterMs: transient ? context.retryAfterMs : undefined,
    });
  }
  if (status >= 300 && status < 400) {
    const to = context.location === undefined ? '' : ` to ${clip(redactText(context.location, context.registry), 200)}`;
    return new ThoughtSpotProtocolError(
      `ThoughtSpot redirected ${where} with ${status}${to}; the adapter does not follow redirects (check baseUrl: scheme, host and no path).`,
      details,
    );
  }
  return new ThoughtSpotProtocolError(`ThoughtSpot answered ${where} with an unexpected status ${status}${said}`, details);
}

function endSentence(text: string): string {
  return /[.!?…]$/.test(text) ? text : `${text}.`;
}

function describeBody(parsed: ParsedErrorBody): string {
  const code = parsed.vendorCode === undefined ? '' : ` code ${parsed.vendorCode}`;
  const incident = parsed.incidentId === undefined ? '' : ` incident ${parsed.incidentId}`;
  switch (parsed.shape) {
    case 'empty':
      return ' with an empty body';
    case 'html':
      return parsed.message === undefined
        ? ' with an HTML page instead of JSON'
        : ` with an HTML page titled "${parsed.message}" instead of JSON`;
    case 'text':
      return ` with a non-JSON body: "${parsed.message ?? ''}"`;
    case 'json-other':
      return parsed.message === undefined ? ' with an unrecognised JSON body' : `:${code} ${parsed.message}`;
    case 'A':
    case 'B':
    case 'C':
      return `:${code}${incident}${parsed.message === undefined ? '' : ` ${parsed.message}`}`;
  }
}
