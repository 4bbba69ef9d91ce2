// Internal to src/resolvers: the administrators' read fields, `thoughtSpotConnections` and `auditEvents`. Both need
// `directory:admin`; neither reads ThoughtSpot.

import type { QueryResolvers } from '../../__generated__/resolvers-types.js';
import { requireScope } from '../../auth/index.js';
import { badUserInput } from '../../errors/codes.js';
import { StoreValidationError, type AuditEvent } from '../../store/index.js';
import { MAX_PAGE_SIZE } from '../../relay/connection.js';
import { everyOrganizationRequired } from './audit.js';
import { defaultModel, storedModel } from './thoughtspot-connections.js';

/** `AuditEvent` as resolvers return it (DateTime out as epoch milliseconds). */
export interface AuditEventModel {
  readonly id: string;
  readonly at: number;
  readonly actor: string;
  readonly operation: string;
  readonly targetType: string | null;
  readonly targetId: string | null;
  readonly input: string;
  readonly connectionId: string;
  readonly organization: string | null;
  readonly outcome: AuditEvent['outcome'];
  readonly errorCode: string | null;
}

function toModel(event: AuditEvent): AuditEventModel {
  return {
    id: event.id,
    at: event.at.getTime(),
    actor: event.actor,
    operation: event.operation,
    targetType: event.target.type,
    targetId: event.target.id,
    input: JSON.stringify(event.input),
    connectionId: event.connectionId ?? '',
    organization: event.organization?.name ?? null,
    outcome: event.outcome,
    errorCode: event.errorCode,
  };
}

/** Every connection, the default one first. */
export const thoughtSpotConnections: NonNullable<QueryResolvers['thoughtSpotConnections']> = async (_root, _args, ctx) => {
  requireScope(ctx.caller, 'directory:admin');
  if (ctx.caller.orgs !== '*') throw everyOrganizationRequired();
  const stored = await ctx.services.store.connections.list();
  return [defaultModel(ctx), ...stored.map(storedModel)];
};

/**
 * The audit log, newest first. A caller granted every Organization reads all of it; an administrator of some tenants
 * reads only the events in those tenants on its own connection (connection administration, which needs every
 * Organization, is outside every tenant).
 */
export const auditEvents: NonNullable<QueryResolvers['auditEvents']> = async (_root, args, ctx) => {
  requireScope(ctx.caller, 'directory:admin');
  const first = args.first ?? 20;
  if (first < 0 || first > MAX_PAGE_SIZE) throw badUserInput(`Argument "first" must be between 0 and ${MAX_PAGE_SIZE}, but got: ${first}.`, 'first');
  // An administrator of some tenants reads the events of those tenants on its own connection, and nothing else.
  const restricted = ctx.caller.orgs === '*' ? null : ctx.caller.orgs;
  const organizations =
    restricted === null ? (args.organization ?? undefined) : [...restricted].filter((name) => args.organization == null || name === args.organization);
  if (restricted !== null && (organizations?.length === 0 || (args.connectionId != null && args.connectionId !== ctx.connectionId))) {
    return { edges: [], nodes: [], pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null } };
  }
  try {
    const page = await ctx.services.store.audit.list(
      {
        actor: args.actor ?? undefined,
        operation: args.operation ?? undefined,
        connectionId: restricted === null ? (args.connectionId ?? undefined) : ctx.connectionId,
        organizationName: organizations,
        outcome: args.outcome ?? undefined,
        since: args.since == null ? undefined : new Date(args.since),
        until: args.until == null ? undefined : new Date(args.until),
      },
      { first, after: args.after ?? null },
    );
    const edges = page.edges.map((edge) => ({ cursor: edge.cursor, node: toModel(edge.node) }));
    return {
      edges,
      nodes: edges.map((edge) => edge.node),
      pageInfo: { hasNextPage: page.pageInfo.hasNextPage, hasPreviousPage: false, startCursor: edges[0]?.cursor ?? null, endCursor: page.pageInfo.endCursor },
    };
  } catch (error) {
    // A forged cursor or one issued under other filters: the caller's mistake, named as such.
    if (error instanceof StoreValidationError) throw badUserInput(`Argument "after" must be a cursor returned by this list with the same filters.`, 'after');
    throw error;
  }
};
