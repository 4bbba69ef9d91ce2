// Internal to src/emulator: typed access to contract.json, the machine-readable digest of ThoughtSpot's REST v2
// OpenAPI document (CONTRACT.md). The router and the request validator are generated from it, so the emulator
// serves exactly the endpoints, methods and request fields the vendor documents.

import { readFileSync } from 'node:fs';

/** One node of a request-body schema as contract.json writes it (a flattened OpenAPI schema). */
export interface SchemaNode {
  readonly type?: 'string' | 'integer' | 'number' | 'boolean' | 'array' | 'object';
  readonly format?: string;
  readonly enum?: readonly string[];
  readonly nullable?: boolean;
  readonly required?: boolean;
  readonly default?: unknown;
  readonly items?: SchemaNode;
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  /** The value must match one of these (used for `(string | boolean | number)[]` filter values). */
  readonly any_of?: readonly SchemaNode[];
  /** Name of the OpenAPI component the node came from. */
  readonly ref?: string;
  /** false when the generator did not expand a recursive component: any object is accepted there. */
  readonly resolved?: boolean;
}

/** One in-scope endpoint of the contract. */
export interface ContractEndpoint {
  /** `METHOD /api/rest/2.0/path/{param}`: the key of the handler table, the call log and fault routes. */
  readonly id: string;
  readonly method: 'GET' | 'POST';
  /** Path template, e.g. `/api/rest/2.0/users/{user_identifier}/update`. */
  readonly path: string;
  readonly operation_id: string;
  /** `['none']` for the token-minting endpoints, `['bearerAuth']` otherwise. */
  readonly auth: readonly string[];
  readonly path_params: readonly { readonly name: string; readonly type: string; readonly required: boolean }[];
  /** null for endpoints without a body (GETs, deletes, logout). */
  readonly request_body: {
    readonly required: boolean;
    readonly content_type: string;
    readonly schema: SchemaNode;
  } | null;
  /** The success status, and the response body's schema (null for 204 answers). */
  readonly success: { readonly status: number; readonly schema?: SchemaNode | null };
}

interface ContractFile {
  readonly base_path: string;
  readonly endpoints: readonly ContractEndpoint[];
}

// Read once at module load rather than imported as a JSON module: the file is 200 kB and TypeScript would infer a
// literal type for all of it. `src/tsconfig.build.json` copies it next to the compiled module, so the relative
// URL resolves both under tsx and from dist/.
const contractFile = JSON.parse(
  readFileSync(new URL('./contract.json', import.meta.url), 'utf8'),
) as ContractFile;

/**
 * Request fields whose description gives null a meaning although the schema does not mark them nullable, by
 * endpoint id. A spec defect of the same kind as those in CONTRACT.md §14: the validator would otherwise answer 400
 * to a request the vendor documents. They are patched in at load time, so contract.json stays the generated digest.
 */
const DOCUMENTED_NULLABLE: Readonly<Record<string, readonly string[]>> = {
  // "Null/absent list = every user's sessions" (CONTRACT.md §2.3, §11.2).
  'POST /api/rest/2.0/users/force-logout': ['user_identifiers'],
};

// Private: a copy of the endpoint with the DOCUMENTED_NULLABLE fields marked nullable. Throws when a listed field
// is missing, so a regenerated contract.json that renames one cannot silently drop the patch.
function withDocumentedNullables(endpoint: ContractEndpoint): ContractEndpoint {
  const fields = DOCUMENTED_NULLABLE[endpoint.id];
  if (fields === undefined) return endpoint;
  const body = endpoint.request_body;
  const properties: Record<string, SchemaNode> = { ...body?.schema.properties };
  for (const field of fields) {
    const node = properties[field];
    if (node === undefined) {
      throw new Error(`contract.json: expected ${endpoint.id} to have the request field "${field}", but it has none.`);
    }
    properties[field] = { ...node, nullable: true };
  }
  // `body` is non-null here: a field was found in its properties.
  return body === null ? endpoint : { ...endpoint, request_body: { ...body, schema: { ...body.schema, properties } } };
}

/** `/api/rest/2.0`. */
export const BASE_PATH: string = contractFile.base_path;

/** Every in-scope endpoint, in contract order, with the documented nullable fields patched in. */
export const ENDPOINTS: readonly ContractEndpoint[] = contractFile.endpoints.map(withDocumentedNullables);

/** Endpoints by id. */
export const ENDPOINTS_BY_ID: ReadonlyMap<string, ContractEndpoint> = new Map(ENDPOINTS.map((e) => [e.id, e]));

/**
 * Whether the endpoint is a login that needs no prior authentication. The contract marks the three token
 * endpoints `auth: none`; `auth/session/login` keeps the global bearer requirement in the spec, but it is itself a
 * login (CONTRACT.md §14.7), so it is treated the same way.
 */
export function isLoginEndpoint(endpoint: ContractEndpoint): boolean {
  return endpoint.auth.includes('none') || endpoint.operation_id === 'login';
}

/**
 * Turns a route as users write it into an endpoint id: `*` stays `*`; `POST /users/search` gains the base path;
 * an id is returned as is. Throws a TypeError naming the route when it matches no endpoint.
 */
export function normalizeRoute(route: string): string {
  if (route === '*') return route;
  const match = /^\s*([A-Za-z]+)\s+(\S+)\s*$/.exec(route);
  if (match) {
    const method = match[1]!.toUpperCase();
    let path = match[2]!;
    if (!path.startsWith(BASE_PATH + '/')) path = BASE_PATH + (path.startsWith('/') ? '' : '/') + path;
    const id = `${method} ${path}`;
    if (ENDPOINTS_BY_ID.has(id)) return id;
  }
  throw new TypeError(
    `Unknown route ${JSON.stringify(route)}: expected "*" or an endpoint of contract.json written as ` +
      `"METHOD /path" with the path template, e.g. "POST ${BASE_PATH}/users/search" or ` +
      `"POST /users/{user_identifier}/update".`,
  );
}
