// Internal to src/emulator: maps a request's method and raw path to a contract endpoint and its path parameters.
// Static paths are one map lookup; templated paths (`{user_identifier}`) match exactly one path segment.

import type { ContractEndpoint } from './contract.js';

/** The outcome of a route lookup. */
export type RouteMatch =
  | { readonly kind: 'found'; readonly endpoint: ContractEndpoint; readonly params: Readonly<Record<string, string>> }
  /** A known route whose path parameter cannot be accepted (400, CONTRACT.md §1). */
  | { readonly kind: 'bad-param'; readonly endpoint: ContractEndpoint; readonly message: string }
  /** The path exists with other methods (405; `allowed` goes in the Allow header). */
  | { readonly kind: 'method-not-allowed'; readonly allowed: readonly string[] }
  | { readonly kind: 'not-found' };

/** The route table built from the contract's endpoints. */
export interface Router {
  match(method: string, rawPath: string): RouteMatch;
}

interface Template {
  /** Literal segments, with null where the parameter goes. */
  readonly segments: readonly (string | null)[];
  readonly paramIndex: number;
  readonly paramName: string;
  readonly byMethod: Map<string, ContractEndpoint>;
}

const NO_PARAMS: Readonly<Record<string, string>> = Object.freeze({});

/** Builds the route table. Throws when a template has more than one parameter (none in the contract does). */
export function createRouter(endpoints: readonly ContractEndpoint[]): Router {
  const statics = new Map<string, Map<string, ContractEndpoint>>();
  const templates = new Map<string, Template>();

  for (const endpoint of endpoints) {
    if (!endpoint.path.includes('{')) {
      let byMethod = statics.get(endpoint.path);
      if (!byMethod) statics.set(endpoint.path, (byMethod = new Map()));
      byMethod.set(endpoint.method, endpoint);
      continue;
    }
    let template = templates.get(endpoint.path);
    if (!template) {
      const parts = endpoint.path.split('/');
      const paramIndexes = parts.flatMap((p, i) => (/^\{\w+\}$/.test(p) ? [i] : []));
      if (paramIndexes.length !== 1) {
        throw new Error(`Route template ${endpoint.path} must have exactly one {parameter}, but has ${paramIndexes.length}.`);
      }
      const paramIndex = paramIndexes[0]!;
      template = {
        segments: parts.map((p, i) => (i === paramIndex ? null : p)),
        paramIndex,
        paramName: parts[paramIndex]!.slice(1, -1),
        byMethod: new Map(),
      };
      templates.set(endpoint.path, template);
    }
    template.byMethod.set(endpoint.method, endpoint);
  }
  const templateList = [...templates.values()];

  function resolve(method: string, byMethod: Map<string, ContractEndpoint>): ContractEndpoint | RouteMatch {
    const endpoint = byMethod.get(method);
    return endpoint ?? { kind: 'method-not-allowed', allowed: [...byMethod.keys()] };
  }

  return {
    match(method, rawPath) {
      const byMethod = statics.get(rawPath);
      if (byMethod) {
        const r = resolve(method, byMethod);
        return 'kind' in r ? r : { kind: 'found', endpoint: r, params: NO_PARAMS };
      }

      const parts = rawPath.split('/');
      for (const t of templateList) {
        if (t.segments.length !== parts.length) continue;
        if (!t.segments.every((s, i) => s === null || s === parts[i])) continue;
        const r = resolve(method, t.byMethod);
        if ('kind' in r) return r;
        return checkParam(r, t.paramName, parts[t.paramIndex]!);
      }

      // ThoughtSpot cannot route identifiers that contain "/", whether the client sent it raw or encoded: it
      // answers 400, even for names (CONTRACT.md §1, open-issues 10.5.0.cl). A raw "/" shows up here as extra
      // segments between a template's literal prefix and suffix.
      for (const t of templateList) {
        const suffixLength = t.segments.length - t.paramIndex - 1;
        if (parts.length <= t.segments.length) continue;
        const prefixOk = t.segments.slice(0, t.paramIndex).every((s, i) => s === parts[i]);
        const suffixOk = t.segments.slice(t.paramIndex + 1).every((s, i) => s === parts[parts.length - suffixLength + i]);
        if (!prefixOk || !suffixOk) continue;
        const r = resolve(method, t.byMethod);
        if ('kind' in r) return r;
        const raw = parts.slice(t.paramIndex, parts.length - suffixLength).join('/');
        return { kind: 'bad-param', endpoint: r, message: slashMessage(t.paramName, safeDecode(raw) ?? raw) };
      }
      return { kind: 'not-found' };
    },
  };
}

function checkParam(endpoint: ContractEndpoint, name: string, raw: string): RouteMatch {
  const value = safeDecode(raw);
  if (value === null) {
    return {
      kind: 'bad-param',
      endpoint,
      message: `Invalid path parameter "${name}": expected a percent-encoded string, but got malformed encoding ${JSON.stringify(raw)}.`,
    };
  }
  if (value.length === 0) {
    return {
      kind: 'bad-param',
      endpoint,
      message: `Invalid path parameter "${name}": expected a non-empty string, but got an empty string.`,
    };
  }
  if (value.includes('/')) return { kind: 'bad-param', endpoint, message: slashMessage(name, value) };
  return { kind: 'found', endpoint, params: { [name]: value } };
}

function slashMessage(name: string, value: string): string {
  return (
    `Invalid path parameter "${name}": ${JSON.stringify(value)} contains "/", which ThoughtSpot cannot route; ` +
    `use the GUID instead.`
  );
}

function safeDecode(raw: string): string | null {
  if (!raw.includes('%')) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}
