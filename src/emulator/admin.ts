// Internal to src/emulator: the HTTP admin route under a prefix ThoughtSpot never uses (default `/__emulator`),
// so tools in other languages or processes can drive faults, read the call log and switch behaviour. Its calls are
// neither logged nor rate limited, and its bodies are plain JSON, not the vendor envelope.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CallLog } from './call-log.js';
import { fault, type FaultSet } from './faults.js';
import { checkLatencyMs } from './options.js';
import type { EmulatorServer } from './server.js';
import type { DomainState, Fidelity, RateLimitOptions } from './types.js';

/** What the admin route drives. */
export interface AdminDeps {
  readonly emulator: EmulatorServer<DomainState>;
  readonly faults: FaultSet;
  readonly callLog: CallLog;
  readonly checkFidelity: (patch: unknown) => Partial<Fidelity>;
  readonly checkRateLimit: (patch: unknown) => Partial<RateLimitOptions>;
}

/** Handles one admin request; `subPath` is the path after the prefix (`/calls`), `query` the raw query string. */
export type AdminRoute = (
  req: IncomingMessage,
  res: ServerResponse,
  method: string,
  subPath: string,
  query: string,
) => Promise<void>;

class AdminError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** The admin routes, documented in the README's emulator section. */
export const ADMIN_ROUTES: Readonly<Record<string, readonly string[]>> = {
  '/health': ['GET'],
  '/calls': ['GET', 'DELETE'],
  '/faults': ['GET', 'POST', 'DELETE'],
  '/reset': ['POST'],
  '/state/reset': ['POST'],
  '/config': ['GET', 'PATCH'],
};

/** Creates the admin request handler. */
export function createAdminRoute(deps: AdminDeps): AdminRoute {
  const { emulator, faults, callLog } = deps;

  function config() {
    // JSON has no Infinity: an unlimited maxRecordSize goes out as null (and PATCH reads null back as Infinity).
    return {
      fidelity: { ...emulator.fidelity, maxRecordSize: Number.isFinite(emulator.fidelity.maxRecordSize) ? emulator.fidelity.maxRecordSize : null },
      rateLimit: { ...emulator.rateLimit },
      latencyMs: emulator.latencyMs,
    };
  }

  async function dispatch(req: IncomingMessage, method: string, subPath: string, query: string): Promise<[number, unknown]> {
    const allowed = ADMIN_ROUTES[subPath];
    if (!allowed) {
      throw new AdminError(404, `No admin route ${subPath || '/'}: expected one of ${Object.keys(ADMIN_ROUTES).join(', ')}.`);
    }
    if (!allowed.includes(method)) {
      throw new AdminError(405, `Method ${method} is not supported on the admin route ${subPath}: expected ${allowed.join(' or ')}.`, {
        Allow: allowed.join(', '),
      });
    }
    const route = `${method} ${subPath}`;
    switch (route) {
      case 'GET /health':
        return [200, { status: 'ok' }];
      case 'GET /calls': {
        const endpoint = new URLSearchParams(query).get('endpoint');
        return [200, callLog.list(endpoint ?? undefined)];
      }
      case 'DELETE /calls':
        callLog.clear();
        return [204, null];
      case 'GET /faults':
        return [200, faults.list()];
      case 'POST /faults': {
        const body = await readJson(req);
        const items = Array.isArray(body) ? body : [body];
        const created = items.map((item, i) => {
          if (item === null || typeof item !== 'object' || Array.isArray(item)) {
            throw new TypeError(`Fault ${i} must be an object like {"route":"*","status":503}, but got: ${JSON.stringify(item)}.`);
          }
          const { route: faultRoute, ...spec } = item as Record<string, unknown>;
          if (typeof faultRoute !== 'string') {
            throw new TypeError(`Fault ${i} needs a "route" string ("*" or "METHOD /path"), but got: ${JSON.stringify(faultRoute)}.`);
          }
          return fault(faultRoute, spec);
        });
        faults.use(created);
        return [201, faults.list()];
      }
      case 'DELETE /faults':
        faults.clear();
        return [204, null];
      case 'POST /reset':
        emulator.reset();
        return [204, null];
      case 'POST /state/reset':
        emulator.resetState();
        return [204, null];
      case 'GET /config':
        return [200, config()];
      case 'PATCH /config': {
        const body = await readJson(req);
        if (body === null || typeof body !== 'object' || Array.isArray(body)) {
          throw new TypeError(`The config patch must be an object like {"fidelity":{…},"rateLimit":{…},"latencyMs":0}, but got: ${JSON.stringify(body)}.`);
        }
        const { fidelity, rateLimit, latencyMs, ...rest } = body as Record<string, unknown>;
        const unknown = Object.keys(rest);
        if (unknown.length > 0) {
          throw new TypeError(`Unknown config field(s) ${unknown.join(', ')}: expected fidelity, rateLimit or latencyMs.`);
        }
        // Check every part before applying any, so a bad patch changes nothing.
        const fidelityPatch = fidelity === undefined ? {} : deps.checkFidelity(fidelity);
        const rateLimitPatch = rateLimit === undefined ? {} : deps.checkRateLimit(rateLimit);
        const latency = latencyMs === undefined ? undefined : checkLatencyMs(latencyMs);
        emulator.setFidelity(fidelityPatch);
        if (rateLimit !== undefined) emulator.setRateLimit(rateLimitPatch);
        if (latency !== undefined) emulator.setLatency(latency);
        return [200, config()];
      }
      default:
        throw new AdminError(404, `No admin route ${route}.`);
    }
  }

  return async (req, res, method, subPath, query) => {
    let status: number;
    let payload: unknown;
    let headers: Record<string, string> = {};
    try {
      [status, payload] = await dispatch(req, method, subPath, query);
    } catch (err) {
      if (err instanceof AdminError) {
        status = err.status;
        headers = err.headers;
      } else if (err instanceof TypeError) {
        status = 400;
      } else {
        throw err;
      }
      payload = { error: err.message };
    }
    if (res.destroyed) return;
    if (status === 204) {
      res.writeHead(204, headers);
      res.end();
      return;
    }
    const text = JSON.stringify(payload);
    res.writeHead(status, { ...headers, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const contentType = req.headers['content-type'] ?? '';
  let text = '';
  req.setEncoding('utf8');
  for await (const chunk of req) text += chunk as string;
  if (!/^application\/json\s*(;|$)/i.test(contentType)) {
    throw new AdminError(415, `Unsupported Content-Type ${JSON.stringify(contentType)}: the admin route expects application/json.`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new AdminError(400, `The request body is not valid JSON: ${(err as Error).message}.`);
  }
}
