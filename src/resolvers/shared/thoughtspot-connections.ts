// Internal to src/resolvers: the rules for registering a ThoughtSpot connection, the GraphQL model of one, and the
// connection test. Credentials arrive in a mutation's input, are encrypted at once (secrets.ts, bound to the
// connection id) and are never part of a model, a log line, an error or an audit event.

import type { Context } from '../../context.js';
import type { Connection, ConnectionPatch, SecretKind } from '../../store/index.js';
import { trustedUrl } from '../../url-policy.js';
import type { UserErrorModel } from './audit.js';

/** `ThoughtSpotConnection` as resolvers return it. */
export interface ThoughtSpotConnectionModel {
  readonly id: string;
  readonly name: string;
  readonly baseUrl: string;
  readonly username: string;
  readonly isDefault: boolean;
  /** Epoch milliseconds (the DateTime scalar's output). */
  readonly createdAt: number | null;
  readonly updatedAt: number | null;
  readonly health: { readonly status: 'HEALTHY' | 'UNHEALTHY'; readonly checkedAt: number; readonly message: string | null } | null;
}

const CONNECTION_ID = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
const MAX_NAME = 255;

/** The health of the default connection, which has no stored row: kept per process. */
const defaultHealth = new WeakMap<object, ThoughtSpotConnectionModel['health']>();

/** The model of a stored connection. */
export function storedModel(connection: Connection): ThoughtSpotConnectionModel {
  return {
    id: connection.id,
    name: connection.name,
    baseUrl: connection.baseUrl,
    username: connection.username,
    isDefault: false,
    createdAt: connection.createdAt.getTime(),
    updatedAt: connection.updatedAt.getTime(),
    health:
      connection.healthCheck === null
        ? null
        : { status: connection.healthCheck.status, checkedAt: connection.healthCheck.checkedAt.getTime(), message: connection.healthCheck.message },
  };
}

/** The model of the default connection (configured by environment). */
export function defaultModel(ctx: Context): ThoughtSpotConnectionModel {
  const { id, name, baseUrl, username } = ctx.services.defaultConnection;
  return { id, name, baseUrl, username, isDefault: true, createdAt: null, updatedAt: null, health: defaultHealth.get(ctx.services) ?? null };
}

/** The fields a create or update may carry. */
export interface ConnectionFields {
  readonly id: string;
  readonly name?: string | null | undefined;
  readonly baseUrl?: string | null | undefined;
  readonly username?: string | null | undefined;
  readonly secretKey?: string | null | undefined;
  readonly password?: string | null | undefined;
}

/**
 * Checks a create (`creating`) or update input; returns every problem at once, each naming its input field. The id
 * must not be the default connection's: that one is configured by environment and cannot be changed through the API.
 */
export function checkConnectionInput(ctx: Context, input: ConnectionFields, creating: boolean): UserErrorModel[] {
  const errors: UserErrorModel[] = [];
  const invalid = (field: string, message: string): void => {
    errors.push({ field: ['input', field], message, code: 'INVALID' });
  };
  if (!CONNECTION_ID.test(input.id)) {
    invalid('id', 'A connection id is 1 to 64 lowercase letters, digits and hyphens, starting and ending with a letter or digit.');
  } else if (input.id === ctx.services.defaultConnection.id) {
    errors.push({ field: ['input', 'id'], message: 'The default connection is configured by environment and cannot be changed here.', code: 'NOT_ALLOWED' });
  }
  if (creating || input.name != null) {
    const name = input.name?.trim() ?? '';
    if (name.length === 0 || name.length > MAX_NAME) invalid('name', `A name is 1 to ${MAX_NAME} characters, not only spaces.`);
  }
  if (creating || input.baseUrl != null) {
    const problem = baseUrlProblem(input.baseUrl ?? '', ctx.services.production);
    if (problem !== null) invalid('baseUrl', problem);
  }
  if ((creating || input.username != null) && (input.username ?? '').trim().length === 0) invalid('username', 'A username must not be empty.');
  const secrets = [input.secretKey, input.password].filter((value) => value != null).length;
  if (creating && secrets !== 1) invalid(input.secretKey == null ? 'secretKey' : 'password', 'Give exactly one of secretKey and password.');
  if (!creating && secrets > 1) invalid('password', 'Give at most one of secretKey and password.');
  for (const field of ['secretKey', 'password'] as const) {
    if (input[field] === '') invalid(field, `${field} must not be empty.`);
  }
  if (secrets > 0 && ctx.services.secrets === null) {
    errors.push({
      field: null,
      message: 'This deployment cannot store credentials: set SECRETS_KEY (32 random bytes, base64) and restart.',
      code: 'SECRETS_KEY_MISSING',
    });
  }
  return errors;
}

// Private: the cluster URL. Trusted as url-policy.ts says (https, or http to a loopback address outside production),
// and without a query either: the adapter appends its own paths.
function baseUrlProblem(raw: string, production: boolean): string | null {
  if (trustedUrl(raw, { production, allowQuery: false }) !== null) return null;
  return 'baseUrl must be an https URL without credentials, query or fragment (http only for a loopback address outside production).';
}

/** The encrypted credential of an input that carries one, or undefined. */
export function encryptedCredential(
  ctx: Context,
  input: ConnectionFields,
): { readonly secretKind: SecretKind; readonly secret: Connection['secret'] } | undefined {
  const secrets = ctx.services.secrets;
  if (secrets === null) return undefined;
  if (input.secretKey != null) return { secretKind: 'SECRET_KEY', secret: secrets.encrypt(input.secretKey, input.id) };
  if (input.password != null) return { secretKind: 'PASSWORD', secret: secrets.encrypt(input.password, input.id) };
  return undefined;
}

/** The stored fields an update input changes. */
export function connectionPatch(ctx: Context, input: ConnectionFields): ConnectionPatch {
  return {
    ...(input.name == null ? {} : { name: input.name.trim() }),
    ...(input.baseUrl == null ? {} : { baseUrl: normalizedUrl(input.baseUrl) }),
    ...(input.username == null ? {} : { username: input.username.trim() }),
    ...encryptedCredential(ctx, input),
  };
}

/**
 * The stored credential of connection `id` under the current SECRETS_KEY, when it is still under a previous key
 * (`SECRETS_KEY_PREVIOUS`): the rotation step every update takes, so a rotation completes as connections are touched.
 * Empty when there is nothing to re-encrypt.
 */
export async function reencrypted(ctx: Context, id: string): Promise<Pick<ConnectionPatch, 'secret'>> {
  const secrets = ctx.services.secrets;
  const row = secrets === null ? null : await ctx.services.store.connections.get(id);
  if (secrets === null || row === null || secrets.isCurrent(row.secret)) return {};
  return { secret: secrets.reencrypt(row.secret, id) };
}

/** The URL as stored: without a trailing slash, so the adapter's paths join it cleanly. */
export function normalizedUrl(raw: string): string {
  return new URL(raw).href.replace(/\/+$/, '');
}

/**
 * Tests connection `id`: signs in to its Primary Org and reads the Organizations once (what every request needs
 * first). The outcome is stored (or, for the default connection, kept in memory) and returned as the model's health.
 * The message names the adapter's error code and never its details, which could echo what the cluster said.
 */
export async function testConnection(ctx: Context, id: string): Promise<ThoughtSpotConnectionModel | null> {
  const resolved = await ctx.services.connections.resolve(id);
  if (resolved === null) return null;
  let health: NonNullable<ThoughtSpotConnectionModel['health']>;
  const checkedAt = Date.now();
  try {
    await resolved.client.searchOrgs({ orgId: 0 }, {});
    health = { status: 'HEALTHY', checkedAt, message: null };
  } catch (error) {
    const code = typeof (error as { code?: unknown }).code === 'string' ? (error as { code: string }).code : 'UNKNOWN';
    health = { status: 'UNHEALTHY', checkedAt, message: `The test call failed with ${code}.` };
  }
  if (resolved.id === ctx.services.defaultConnection.id) {
    defaultHealth.set(ctx.services, health);
    return defaultModel(ctx);
  }
  const stored = await ctx.services.store.connections.recordHealthCheck(resolved.id, {
    status: health.status,
    checkedAt: new Date(health.checkedAt),
    message: health.message,
  });
  return storedModel(stored);
}
