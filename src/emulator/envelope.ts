// Internal to src/emulator: ThoughtSpot's error envelope (CONTRACT.md §6.1) and the canned non-JSON pages that
// gateways and clusters in maintenance answer with (CONTRACT.md §1).

import { STATUS_CODES } from 'node:http';
import { VendorCode } from './types.js';

/**
 * Builds error bodies with deterministic, counter-based incident and trace ids (valid version-4-shaped UUIDs), so
 * two runs of the same test produce the same bytes.
 */
export interface EnvelopeFactory {
  /**
   * The JSON error body. Shape B (live clusters): `{"error":{"message":{"debug":{code, incident_id_guid,
   * trace_id_guid, debug: "[\"msg\"]"}}}}`, where the inner debug is a JSON-encoded array of strings. Shape A (the
   * spec's examples): `{"error":{"message":{code, incident_id_guid, trace_id_guid, debug: "msg"}}}`.
   */
  build(shape: 'A' | 'B', code: number, messages: readonly string[]): string;
}

/** Creates an envelope factory with its own id counter. */
export function createEnvelopeFactory(): EnvelopeFactory {
  let counter = 0;
  return {
    build(shape, code, messages) {
      counter += 1;
      const incident = counterUuid(0x1, counter);
      const trace = counterUuid(0x7, counter);
      if (shape === 'A') {
        return JSON.stringify({
          error: { message: { code, incident_id_guid: incident, trace_id_guid: trace, debug: messages.join('\n') } },
        });
      }
      return JSON.stringify({
        error: {
          message: {
            debug: { code, incident_id_guid: incident, trace_id_guid: trace, debug: JSON.stringify(messages) },
          },
        },
      });
    },
  };
}

// `x0000000-0000-4000-8000-<12 hex digits of n>`: a well-formed v4-looking UUID that sorts by issue order.
function counterUuid(kind: number, n: number): string {
  return `${kind.toString(16)}0000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

/** The vendor code that goes with an HTTP status when nothing more specific is known (CONTRACT.md §6.2, §6.3). */
export function codeForStatus(status: number): VendorCode {
  if (status === 401) return VendorCode.UNAUTHENTICATED;
  if (status === 403) return VendorCode.FORBIDDEN;
  if (status >= 500) return VendorCode.INTERNAL;
  return status >= 400 ? VendorCode.INVALID_REQUEST : VendorCode.INTERNAL;
}

/** The reason phrase of a status, e.g. `Bad Gateway`. */
export function reasonPhrase(status: number): string {
  return STATUS_CODES[status] ?? 'Unknown Status';
}

/**
 * The page an nginx-style gateway in front of a cluster answers with on 502/503/504: HTML, not JSON, which is what
 * a client must survive (CONTRACT.md §1).
 */
export function gatewayPage(status: number): string {
  const title = `${status} ${reasonPhrase(status)}`;
  return (
    `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n` +
    `<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`
  );
}

/**
 * The page a ThoughtSpot cluster serves while in maintenance or starting up. Clients detect it by the words
 * "Site Maintenance" / "System Maintenance" in an HTML body (CONTRACT.md §1, cs_tools and ts-cli).
 */
export function maintenancePage(): string {
  return (
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Site Maintenance</title>\n</head>\n' +
    '<body>\n<article>\n<h1>System Maintenance</h1>\n<div>\n<p>ThoughtSpot is currently undergoing scheduled ' +
    'maintenance and will be back shortly. Thank you for your patience.</p>\n<p>&mdash; The ThoughtSpot Team</p>\n' +
    '</div>\n</article>\n</body>\n</html>\n'
  );
}
