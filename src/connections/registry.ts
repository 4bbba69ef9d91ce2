// Internal to src/connections (re-exported by index.ts): which ThoughtSpot cluster a request talks to.
//
// The connection configured by environment is the default and lives for the process. Registered connections live in
// the store, their credential encrypted; each gets its own adapter client (own pool, token cache, rate budget and
// breaker), built on first use and kept while the stored row is unchanged. Every replica reads the same store, so a
// replica learns of another's update or delete within `REVALIDATE_MS` at worst: a cached client is re-checked against
// its row (one primary-key read) at most that often, and rebuilt or dropped when the row changed or went.

import { GraphQLError } from 'graphql';
import { ErrorCode } from '../errors/codes.js';
import type { ServiceCredentials, ThoughtSpotClient } from '../thoughtspot/index.js';
import type { Connection, Store } from '../store/index.js';

/**
 * The caller's token names a connection that is not registered (HTTP 403, FORBIDDEN). Checked before anything else
 * runs, so the request costs nothing upstream.
 */
export class UnknownConnectionError extends GraphQLError {
  constructor() {
    super("The caller's token names a ThoughtSpot connection (conn claim) that is not registered.", {
      extensions: { code: ErrorCode.FORBIDDEN, http: { status: 403 } },
    });
  }
}

/** How often a cached client of a registered connection is checked against its stored row. */
export const REVALIDATE_MS = 5_000;

/** A connection a request can use: its id (part of every global ID) and the client that talks to it. */
export interface ResolvedConnection {
  readonly id: string;
  readonly client: ThoughtSpotClient;
}

/**
 * Builds an adapter client for a cluster (app.ts owns the options every client shares). The connection's id names
 * its rate budget when the replicas share one (REDIS_URL).
 */
export type ClientFactory = (baseUrl: string, credentials: ServiceCredentials, connectionId: string) => ThoughtSpotClient;

/** Decrypts a stored connection's credential (secrets.ts, bound to the deployment's keys). */
export type CredentialReader = (connection: Connection) => ServiceCredentials;

/** The connections of this process. */
export interface ConnectionRegistry {
  /** The default connection's id (`THOUGHTSPOT_CONNECTION_ID`). */
  readonly defaultId: string;
  /** The connection `id` names (null: the default), or null when no such connection is registered. */
  resolve(id: string | null): Promise<ResolvedConnection | null>;
  /** Drops the cached client of `id` at once (after this replica changed or deleted it). */
  forget(id: string): Promise<void>;
  /** Closes every client the registry built (not the default one, which its owner closes). */
  close(): Promise<void>;
}

interface Cached {
  readonly version: number;
  readonly client: ThoughtSpotClient;
  checkedAt: number;
}

/** What the registry needs. */
export interface RegistryDependencies {
  readonly defaultConnection: ResolvedConnection;
  readonly store: Pick<Store, 'connections'>;
  readonly createClient: ClientFactory;
  readonly credentials: CredentialReader;
  /** Milliseconds now (injected so tests can move past `REVALIDATE_MS`). */
  readonly now?: () => number;
}

/** Creates the registry (see the header). */
export function createConnectionRegistry(deps: RegistryDependencies): ConnectionRegistry {
  const now = deps.now ?? Date.now;
  const cache = new Map<string, Cached>();
  // One build at a time per id, so a burst of first requests builds one client, not one each.
  const pending = new Map<string, Promise<ResolvedConnection | null>>();

  const retire = (id: string): Promise<void> => {
    const cached = cache.get(id);
    cache.delete(id);
    return cached === undefined ? Promise.resolve() : cached.client.close();
  };

  const load = async (id: string): Promise<ResolvedConnection | null> => {
    const row = await deps.store.connections.get(id);
    const cached = cache.get(id);
    if (row === null) {
      await retire(id);
      return null;
    }
    if (cached !== undefined && cached.version === row.version) {
      cached.checkedAt = now();
      return { id, client: cached.client };
    }
    await retire(id);
    const client = deps.createClient(row.baseUrl, deps.credentials(row), id);
    cache.set(id, { version: row.version, client, checkedAt: now() });
    return { id, client };
  };

  return {
    defaultId: deps.defaultConnection.id,
    async resolve(id) {
      if (id === null || id === deps.defaultConnection.id) return deps.defaultConnection;
      const cached = cache.get(id);
      if (cached !== undefined && now() - cached.checkedAt < REVALIDATE_MS) return { id, client: cached.client };
      let loading = pending.get(id);
      if (loading === undefined) {
        loading = load(id).finally(() => pending.delete(id));
        pending.set(id, loading);
      }
      return loading;
    },
    forget: retire,
    async close() {
      const clients = [...cache.values()].map((cached) => cached.client);
      cache.clear();
      await Promise.all(clients.map((client) => client.close()));
    },
  };
}
