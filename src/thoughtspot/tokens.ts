// Internal to src/thoughtspot: the auth/token/* endpoints (CONTRACT.md §2, §11.1). The service account's own tokens
// are minted by auth.ts through `mintServiceToken`; the other functions mint or manage end users' tokens.

import type { TokenRecord, TokenValidationRecord } from './records.js';
import type { CallOptions, ObjectTokenRequest, OrgScope, ServiceCredentials, UserParameters, UserTokenRequest } from './types.js';
import type { CallSpec, Pipeline } from './pipeline.js';
import { ThoughtSpotRequestError } from './errors.js';
import { serviceTokenBody, toTokenRecord } from './auth.js';
import { expectObject, optionalNumber, optionalString, WireShapeError } from './decode.js';
import { checkScope, refuse } from './request-checks.js';
import { orgCall, route, voidWrite, type EndpointId } from './calls.js';
import type { RequestBody } from './wire.js';
import { withoutUndefined } from './shared.js';

/** Contract endpoint ids. */
export const TOKEN_ENDPOINTS = {
  full: 'POST /api/rest/2.0/auth/token/full',
  object: 'POST /api/rest/2.0/auth/token/object',
  validate: 'POST /api/rest/2.0/auth/token/validate',
  revoke: 'POST /api/rest/2.0/auth/token/revoke',
} as const;

/**
 * One `auth/token/*` mint. A token endpoint is itself the login, so it sends no bearer token; every mint is retried
 * like a read (the exported functions below say why that is safe for each).
 */
function mint(
  pipeline: Pipeline,
  endpoint: EndpointId,
  orgId: number,
  body: RequestBody,
  options?: CallOptions,
  shared?: Pick<CallSpec<TokenRecord>, 'detached' | 'onSend'>,
): Promise<TokenRecord> {
  return pipeline.execute({
    endpoint,
    ...route(endpoint),
    orgId,
    auth: 'none',
    kind: 'read',
    body,
    decode: (json) => toTokenRecord(json, orgId),
    options,
    ...shared,
  });
}

/** A mint on behalf of an end user: the new token is registered for redaction before anyone else sees it. */
async function mintForUser(
  pipeline: Pipeline,
  endpoint: EndpointId,
  orgId: number,
  body: RequestBody,
  register: (token: string) => void,
  options: CallOptions | undefined,
): Promise<TokenRecord> {
  const record = await mint(pipeline, endpoint, orgId, body, options);
  register(record.token);
  return record;
}

/**
 * Mint the service account's token for one Org. A read: minting again is harmless, so it is retried. Detached from
 * the ambient call context: every call waiting for the Org's token shares this one mint (auth.ts), so it must not be
 * cancelled by, or queue behind, the one request that happened to start it. `onSend` tells the token cache when an
 * attempt went out.
 */
export function mintServiceToken(
  pipeline: Pipeline,
  credentials: ServiceCredentials,
  orgId: number,
  validitySeconds: number,
  onSend?: () => void,
): Promise<TokenRecord> {
  return mint(pipeline, TOKEN_ENDPOINTS.full, orgId, serviceTokenBody(credentials, orgId, validitySeconds), undefined, {
    detached: true,
    ...(onSend === undefined ? {} : { onSend }),
  });
}

function userTokenBody(credentials: ServiceCredentials, endpoint: string, input: UserTokenRequest, defaultValiditySeconds: number): Record<string, unknown> {
  if (!('secretKey' in credentials)) {
    refuse(
      endpoint,
      input.orgId,
      `${endpoint} for another user needs trusted authentication: configure the client with a secretKey credential instead of a password.`,
    );
  }
  if (typeof input.username !== 'string' || input.username.trim() === '') {
    refuse(endpoint, input.orgId, `${endpoint} needs a non-empty username, but got: ${JSON.stringify(input.username)}.`);
  }
  checkScope(endpoint, { orgId: input.orgId });
  return withoutUndefined({
    username: input.username,
    secret_key: credentials.secretKey,
    org_id: input.orgId,
    validity_time_in_sec: input.validitySeconds ?? defaultValiditySeconds,
    auto_create: input.autoCreate,
    display_name: input.displayName,
    email: input.email,
    group_identifiers: input.groupIdentifiers,
    user_parameters: input.userParameters === undefined ? undefined : userParametersWire(input.userParameters),
  });
}

// Private: `User_Parameter_Options` as the contract spells it; the tables become `LOGICAL_TABLE` objects.
function userParametersWire(parameters: UserParameters): Record<string, unknown> {
  return withoutUndefined({
    objects: parameters.tables?.map((identifier) => ({ type: 'LOGICAL_TABLE', identifier })),
    runtime_filters: parameters.runtimeFilters?.map((filter) =>
      withoutUndefined({ column_name: filter.columnName, operator: filter.operator, values: [...filter.values], persist: filter.persist }),
    ),
    parameters: parameters.parameters?.map((parameter) =>
      withoutUndefined({ name: parameter.name, values: [...parameter.values], persist: parameter.persist }),
    ),
  });
}

/**
 * `auth/token/full` on behalf of an end user. Retried like a read: with `auto_create` the mint upserts the user,
 * and upserting twice with the same input lands in the same state (CONTRACT.md §9).
 */
export async function mintUserToken(
  pipeline: Pipeline,
  credentials: ServiceCredentials,
  input: UserTokenRequest,
  defaultValiditySeconds: number,
  register: (token: string) => void,
  options?: CallOptions,
): Promise<TokenRecord> {
  const endpoint = TOKEN_ENDPOINTS.full;
  const body = userTokenBody(credentials, endpoint, input, defaultValiditySeconds);
  return mintForUser(pipeline, endpoint, input.orgId, body, register, options);
}

/** `auth/token/object`: a read-only token for one object, on behalf of an end user. */
export async function mintObjectToken(
  pipeline: Pipeline,
  credentials: ServiceCredentials,
  input: ObjectTokenRequest,
  defaultValiditySeconds: number,
  register: (token: string) => void,
  options?: CallOptions,
): Promise<TokenRecord> {
  const endpoint = TOKEN_ENDPOINTS.object;
  if (typeof input.objectId !== 'string' || input.objectId.trim() === '') {
    refuse(endpoint, input.orgId, `${endpoint} needs a non-empty objectId, but got: ${JSON.stringify(input.objectId)}.`);
  }
  const body = { ...userTokenBody(credentials, endpoint, input, defaultValiditySeconds), object_id: input.objectId };
  return mintForUser(pipeline, endpoint, input.orgId, body, register, options);
}

/**
 * `auth/token/validate`. ThoughtSpot answers 400/10002 for expired and malformed tokens alike (CONTRACT.md §2.3);
 * that answer is a result here (`valid: false`), not an error.
 */
export async function validateToken(pipeline: Pipeline, scope: OrgScope, token: string, options?: CallOptions): Promise<TokenValidationRecord> {
  const endpoint = TOKEN_ENDPOINTS.validate;
  const orgId = checkScope(endpoint, scope);
  try {
    return await orgCall(pipeline, endpoint, orgId, {
      kind: 'read',
      body: { token },
      secrets: [token],
      decode: (json): TokenValidationRecord => {
        const wire = expectObject(json, 'auth/token/validate response');
        const createdAt = optionalNumber(wire, 'creation_time_in_millis', 'auth/token/validate response');
        const expiresAt = optionalNumber(wire, 'expiration_time_in_millis', 'auth/token/validate response');
        if (createdAt === null || expiresAt === null) {
          throw new WireShapeError('expected auth/token/validate response to carry creation and expiration times');
        }
        const scopeWire = wire['scope'] === undefined || wire['scope'] === null ? {} : expectObject(wire['scope'], 'auth/token/validate response.scope');
        const scopeOrg = scopeWire['org_id'];
        return {
          valid: true,
          createdAt,
          expiresAt,
          orgId: typeof scopeOrg === 'number' && Number.isInteger(scopeOrg) ? scopeOrg : null,
          accessType: optionalString(scopeWire, 'access_type', 'auth/token/validate response.scope') ?? 'FULL',
          userId: optionalString(wire, 'valid_for_user_id', 'auth/token/validate response') ?? '',
          tokenType: optionalString(wire, 'token_type', 'auth/token/validate response') ?? 'BEARER',
        };
      },
      options,
    });
  } catch (error) {
    if (error instanceof ThoughtSpotRequestError && error.status === 400) {
      return { valid: false, reason: error.vendorMessage ?? 'ThoughtSpot rejected the token' };
    }
    throw error;
  }
}

/** `auth/token/revoke` (204). */
export function revokeToken(pipeline: Pipeline, scope: OrgScope, token: string, options?: CallOptions): Promise<void> {
  const endpoint = TOKEN_ENDPOINTS.revoke;
  const orgId = checkScope(endpoint, scope);
  if (typeof token !== 'string' || token === '') refuse(endpoint, orgId, `${endpoint} needs a non-empty token.`);
  return voidWrite(pipeline, endpoint, orgId, { body: { token }, secrets: [token], options });
}
