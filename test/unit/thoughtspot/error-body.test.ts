import { describe, expect, it } from 'vitest';
import { errorFromResponse, parseErrorBody, type ResponseContext } from '../../../src/thoughtspot/error-body.js';
import { SecretRegistry } from '../../../src/thoughtspot/redact.js';
import {
  ThoughtSpotAuthError,
  ThoughtSpotConflictError,
  ThoughtSpotForbiddenError,
  ThoughtSpotNotFoundError,
  ThoughtSpotProtocolError,
  ThoughtSpotRateLimitError,
  ThoughtSpotRequestError,
  ThoughtSpotServerError,
} from '../../../src/thoughtspot/errors.js';

const INCIDENT = '6f2a3c1e-0000-4000-8000-000000000001';
const TRACE = '7f2a3c1e-0000-4000-8000-000000000001';

// The three JSON envelopes of CONTRACT.md §6.1, verbatim in structure.
const shapeA = (code: number, debug: string): string =>
  JSON.stringify({ error: { message: { code, incident_id_guid: INCIDENT, trace_id_guid: TRACE, debug } } });
const shapeB = (code: number, debug: string, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({
    error: { message: { debug: { code, incident_id_guid: INCIDENT, trace_id_guid: TRACE, debug }, ...extra } },
  });
const shapeC = (code: number, debug: string): string =>
  JSON.stringify({ code, incident_id_guid: INCIDENT, trace_id_guid: TRACE, debug });

function respond(status: number, bodyText: string, extra: Partial<ResponseContext> = {}): ReturnType<typeof errorFromResponse> {
  return errorFromResponse({
    endpoint: 'POST /api/rest/2.0/users/create',
    orgId: 0,
    status,
    contentType: 'application/json',
    bodyText,
    retryAfterMs: undefined,
    location: undefined,
    attempt: 1,
    registry: undefined,
    ...extra,
  });
}

describe('parseErrorBody', () => {
  it('reads shape A (spec examples): code, incident, trace and debug text', () => {
    expect(parseErrorBody('application/json', shapeA(10002, 'Either secret_key or password must be provided.'))).toEqual({
      shape: 'A',
      vendorCode: 10002,
      message: 'Either secret_key or password must be provided.',
      incidentId: INCIDENT,
      traceId: TRACE,
    });
  });

  it('reads shape B (live clusters) and unwraps the JSON-encoded array of strings', () => {
    const body = shapeB(10002, JSON.stringify(["Column 'X' is not secured, cannot mark as unsecured"]));
    expect(parseErrorBody('application/json', body)).toEqual({
      shape: 'B',
      vendorCode: 10002,
      message: "Column 'X' is not secured, cannot mark as unsecured",
      incidentId: INCIDENT,
      traceId: TRACE,
    });
  });

  it('joins several messages of a shape B array', () => {
    const body = shapeB(10002, JSON.stringify(['first problem', 'second problem']));
    expect(parseErrorBody('application/json', body).message).toBe('first problem; second problem');
  });

  it('reads shape B with "[null]" debug as having no message', () => {
    const parsed = parseErrorBody('application/json', shapeB(10000, '[null]'));
    expect(parsed).toEqual({ shape: 'B', vendorCode: 10000, incidentId: INCIDENT, traceId: TRACE });
  });

  it('reads shape B with a type key beside debug and "tracing-disabled" as the trace id', () => {
    const body = JSON.stringify({
      error: {
        message: {
          debug: { code: 10023, incident_id_guid: INCIDENT, trace_id_guid: 'tracing-disabled', debug: '["Access denied"]' },
          type: 'FORBIDDEN',
        },
      },
    });
    expect(parseErrorBody('application/json', body)).toEqual({
      shape: 'B',
      vendorCode: 10023,
      message: 'Access denied',
      incidentId: INCIDENT,
      traceId: 'tracing-disabled',
    });
  });

  it('reads shape C (flat callosum envelope)', () => {
    expect(parseErrorBody('application/json', shapeC(10002, 'Invalid parameter values userName'))).toEqual({
      shape: 'C',
      vendorCode: 10002,
      message: 'Invalid parameter values userName',
      incidentId: INCIDENT,
      traceId: TRACE,
    });
  });

  it('keeps the part after "Error Message:" of a long debug text', () => {
    const debug = `Error Code: FORBIDDEN Incident Id: ${INCIDENT}\nError Message: User does not have privilege`;
    expect(parseErrorBody('application/json', shapeA(10023, debug)).message).toBe('User does not have privilege');
  });

  it('extracts only the title of an HTML gateway page', () => {
    const page = '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>';
    expect(parseErrorBody('text/html', page)).toEqual({ shape: 'html', message: '502 Bad Gateway', maintenance: false });
  });

  it('recognises the maintenance page even without an HTML content type', () => {
    const page = '<!DOCTYPE html><html><head><title>Site Maintenance</title></head><body><h1>System Maintenance</h1></body></html>';
    expect(parseErrorBody(undefined, page)).toEqual({ shape: 'html', message: 'Site Maintenance', maintenance: true });
  });

  it('falls back to the first heading when an HTML page has no title', () => {
    expect(parseErrorBody('text/html', '<html><body><h1>Service &amp; API Unavailable</h1></body></html>').message).toBe(
      'Service & API Unavailable',
    );
  });

  it('reports an empty body as empty', () => {
    expect(parseErrorBody('application/json', '')).toEqual({ shape: 'empty' });
    expect(parseErrorBody(undefined, '  \n ')).toEqual({ shape: 'empty' });
  });

  it('reports non-JSON text with a short excerpt', () => {
    const parsed = parseErrorBody('application/json', `{not json at all ${'x'.repeat(500)}`);
    expect(parsed.shape).toBe('text');
    expect(parsed.message?.length).toBeLessThanOrEqual(200);
  });

  it('reports a JSON body of no known shape as json-other', () => {
    expect(parseErrorBody('application/json', '{"unexpected":true}')).toEqual({ shape: 'json-other' });
    expect(parseErrorBody('application/json', '[1,2,3]')).toEqual({ shape: 'json-other' });
  });

  it('reads {"error": "text"} and {"message": "text"} bodies', () => {
    expect(parseErrorBody('application/json', '{"error":"Too Many Requests"}').message).toBe('Too Many Requests');
    expect(parseErrorBody('application/json', '{"message":"Service down"}').message).toBe('Service down');
  });

  it('truncates very long vendor messages', () => {
    const parsed = parseErrorBody('application/json', shapeA(10002, 'y'.repeat(5000)));
    expect(parsed.message?.length).toBe(500);
  });

  it('redacts secrets the vendor echoes back', () => {
    const registry = new SecretRegistry();
    registry.add('s3cr3t-key-value');
    const parsed = parseErrorBody('application/json', shapeA(10002, 'bad key s3cr3t-key-value for Bearer abc.def'), registry);
    expect(parsed.message).toBe('bad key [REDACTED] for Bearer [REDACTED]');
  });
});

describe('errorFromResponse', () => {
  it('classifies a duplicate name as a conflict and names it', () => {
    const error = respond(400, shapeB(10002, JSON.stringify(['User with name alice already exists'])));
    expect(error).toBeInstanceOf(ThoughtSpotConflictError);
    expect(error.code).toBe('TS_ERR_CONFLICT');
    expect((error as ThoughtSpotConflictError).conflictingName).toBe('alice');
    expect(error.vendorCode).toBe(10002);
    expect(error.incidentId).toBe(INCIDENT);
  });

  it('classifies unknown identifiers as not found and parses them out', () => {
    const error = respond(400, shapeB(10002, JSON.stringify(['Invalid group identifiers: sales, marketing'])));
    expect(error).toBeInstanceOf(ThoughtSpotNotFoundError);
    expect((error as ThoughtSpotNotFoundError).kind).toBe('group');
    expect((error as ThoughtSpotNotFoundError).identifiers).toEqual(['sales', 'marketing']);
  });

  it('classifies unknown identifiers in shape A the same way', () => {
    const error = respond(400, shapeA(10002, 'Invalid user identifiers: bob'));
    expect((error as ThoughtSpotNotFoundError).kind).toBe('user');
    expect((error as ThoughtSpotNotFoundError).identifiers).toEqual(['bob']);
  });

  it('keeps any other 400 as a bad request with the vendor message', () => {
    const error = respond(400, shapeB(10002, JSON.stringify(['display_name must not be empty'])));
    expect(error).toBeInstanceOf(ThoughtSpotRequestError);
    expect(error.code).toBe('TS_ERR_BAD_REQUEST');
    expect(error.vendorMessage).toBe('display_name must not be empty');
    expect(error.retryable).toBe(false);
  });

  it('classifies 401 as unauthenticated, 403 as forbidden', () => {
    expect(respond(401, shapeA(10097, 'Invalid credentials'))).toBeInstanceOf(ThoughtSpotAuthError);
    expect(respond(403, shapeB(10023, '["Access denied"]'))).toBeInstanceOf(ThoughtSpotForbiddenError);
  });

  it('classifies a 500 carrying code 10023 as forbidden (the live quirk)', () => {
    const error = respond(500, shapeB(10023, '["Access denied"]'));
    expect(error).toBeInstanceOf(ThoughtSpotForbiddenError);
    expect(error.status).toBe(500);
  });

  it('classifies a plain 500 as a non-retryable upstream error', () => {
    const error = respond(500, shapeB(10000, '[null]'));
    expect(error).toBeInstanceOf(ThoughtSpotServerError);
    expect(error.retryable).toBe(false);
  });

  it('classifies 502, 503 and 504 as retryable upstream errors, JSON or HTML', () => {
    for (const status of [502, 503, 504]) {
      const html = respond(status, `<html><head><title>${status} Gateway</title></head></html>`, { contentType: 'text/html' });
      expect(html).toBeInstanceOf(ThoughtSpotServerError);
      expect(html.retryable).toBe(true);
      expect(html.message).toContain(`HTML page titled "${status} Gateway"`);
      expect(respond(status, '').retryable).toBe(true);
    }
  });

  it('never copies a whole HTML page into the message', () => {
    const filler = '<p>internal host db-7.corp.example, stack frame …</p>'.repeat(200);
    const error = respond(503, `<html><head><title>Service Unavailable</title></head><body>${filler}</body></html>`, {
      contentType: 'text/html',
    });
    expect(error.message).not.toContain('db-7.corp.example');
    expect(error.message.length).toBeLessThan(300);
  });

  it('classifies the maintenance page as retryable even with a 200 status', () => {
    const page = '<html><head><title>Site Maintenance</title></head><body>System Maintenance</body></html>';
    const error = respond(200, page, { contentType: 'text/html' });
    expect(error).toBeInstanceOf(ThoughtSpotServerError);
    expect(error.retryable).toBe(true);
  });

  it('classifies 429 with its Retry-After', () => {
    const error = respond(429, shapeB(10000, '["Too many requests"]'), { retryAfterMs: 2000 });
    expect(error).toBeInstanceOf(ThoughtSpotRateLimitError);
    expect((error as ThoughtSpotRateLimitError).retryAfterMs).toBe(2000);
    expect(error.retryable).toBe(true);
  });

  it('classifies an empty 429 body without Retry-After', () => {
    const error = respond(429, '');
    expect((error as ThoughtSpotRateLimitError).retryAfterMs).toBeUndefined();
    expect(error.message).toContain('with an empty body');
  });

  it('keeps the Retry-After of a 503 so the retry honours it', () => {
    const error = respond(503, '', { retryAfterMs: 1_500 });
    expect((error as ThoughtSpotServerError).retryAfterMs).toBe(1_500);
    expect((respond(500, '', { retryAfterMs: 1_500 }) as ThoughtSpotServerError).retryAfterMs).toBeUndefined();
  });

  it('classifies a redirect as a protocol error that points at the base URL', () => {
    const error = respond(301, '', { location: 'https://acme.thoughtspot.cloud/api/rest/2.0/users/create' });
    expect(error).toBeInstanceOf(ThoughtSpotProtocolError);
    expect(error.message).toContain('check baseUrl');
  });

  it('classifies 404 and 409 by status although ThoughtSpot does not send them', () => {
    expect(respond(404, '').code).toBe('TS_ERR_NOT_FOUND');
    expect(respond(409, '').code).toBe('TS_ERR_CONFLICT');
    expect(respond(415, '').code).toBe('TS_ERR_BAD_REQUEST');
  });

  it('reads every body shape into the same classification', () => {
    const message = 'Group with name sales already exists';
    for (const body of [shapeA(10002, message), shapeB(10002, JSON.stringify([message])), shapeC(10002, message)]) {
      const error = respond(400, body);
      expect(error.code).toBe('TS_ERR_CONFLICT');
      expect(error.vendorMessage).toBe(message);
    }
  });

  it('carries endpoint, Org and attempt on every error', () => {
    const error = respond(403, shapeA(10023, 'no'), { attempt: 3, orgId: 42 });
    expect(error.endpoint).toBe('POST /api/rest/2.0/users/create');
    expect(error.orgId).toBe(42);
    expect(error.attempts).toBe(3);
    expect(error.message).toContain('(Org 42)');
  });
});
