// Internal to src/resolvers: the audit trail of writes and administrative actions (issue "Callers, tenants and
// connections", DESIGN.md §7a). Every such action goes through `audited`, which checks the caller's scope, runs the
// action and appends exactly one event, whatever happens: SUCCESS, FAILURE (user errors, or a thrown error) or DENIED
// (the scope is missing; nothing was attempted). The input is recorded with every secret replaced, so the log can be
// read by any administrator without handing out credentials.

import { GraphQLError } from 'graphql';
import type { UserErrorCode } from '../../__generated__/resolvers-types.js';
import { requireScope, type Scope } from '../../auth/index.js';
import type { Context } from '../../context.js';
import { lookupGlobalIdOfType } from '../../relay/global-id.js';
import { ErrorCode } from '../../errors/codes.js';
import type { AuditOutcome } from '../../store/index.js';

/** What replaces a secret in a recorded input. */
export const REDACTED = '[REDACTED]';

/** Input fields whose values are credentials, at any depth, compared without case. */
const SECRET_FIELD = /secret|password|token|credential|private.?key/i;

/** A mutation's business failure (`UserError` in the schema). */
export interface UserErrorModel {
  readonly field: string[] | null;
  readonly message: string;
  readonly code: UserErrorCode;
}

/** What an audited action is. */
export interface AuditedAction {
  /** The mutation's field name. */
  readonly operation: string;
  /** The scope it needs. */
  readonly scope: Scope;
  readonly target: { readonly type: string; readonly id: string | null };
  /** The action's input, as received (it is redacted here before it is stored). */
  readonly input: unknown;
  /** The Organization it acts in, or null. */
  readonly organization?: { readonly id: number | null; readonly name: string } | null;
  /**
   * The Organization it acts in as the input names it (a global ID), when `organization` is not known up front: the
   * event records it if it is one of the caller's Organizations (nothing is recorded of any other).
   */
  readonly organizationId?: string | null | undefined;
  /**
   * The action reaches beyond any one Organization (a connection serves every tenant of its cluster), so only a
   * caller granted every Organization (`orgs: ["*"]`) may take it, whatever its scopes.
   */
  readonly everyOrganization?: boolean;
}

/** The refusal of an action that needs every Organization to a caller granted fewer. */
export function everyOrganizationRequired(): GraphQLError {
  return new GraphQLError('This operation requires a token that grants every Organization (orgs: ["*"]).', {
    extensions: { code: ErrorCode.FORBIDDEN },
  });
}

/** `value` with every credential-looking field replaced by `REDACTED`, at any depth. */
export function redactInput(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactInput);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([key, field]) => [
      key,
      SECRET_FIELD.test(key) && field != null ? REDACTED : redactInput(field),
    ]),
  );
}

/**
 * Runs `run` as `action`, after checking the caller's scope (and grant), and appends its audit event. A missing scope
 * or grant is recorded as DENIED and thrown as FORBIDDEN; user errors record FAILURE with the first error's code; a thrown error records
 * FAILURE with its code and is rethrown. If the event cannot be written, the caller gets an error saying so (the
 * action's own outcome is in the log line), rather than a success nobody can trace.
 */
export async function audited<T extends { readonly userErrors: readonly UserErrorModel[] }>(
  ctx: Context,
  action: AuditedAction,
  run: () => Promise<T>,
): Promise<T> {
  let organization = action.organization ?? null;
  const record = async (outcome: AuditOutcome, errorCode: string | null): Promise<void> => {
    try {
      await ctx.services.store.audit.append({
        actor: ctx.caller.subject,
        operation: action.operation,
        target: action.target,
        input: redactInput(action.input),
        connectionId: ctx.connectionId,
        organization,
        outcome,
        errorCode,
        requestId: ctx.requestId,
      });
    } catch (error) {
      ctx.logger.error('audit event could not be written', {
        operation: action.operation,
        outcome,
        message: error instanceof Error ? error.message : String(error),
      });
      throw new GraphQLError(`The ${action.operation} action ended (${outcome}), but its audit event could not be written; check the store.`, {
        extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
      });
    }
  };
  try {
    requireScope(ctx.caller, action.scope);
    if (action.everyOrganization === true && ctx.caller.orgs !== '*') throw everyOrganizationRequired();
  } catch (error) {
    if (error instanceof GraphQLError && error.extensions['code'] === ErrorCode.FORBIDDEN) await record('DENIED', ErrorCode.FORBIDDEN);
    throw error;
  }
  if (organization === null && action.organizationId != null) organization = await visibleOrg(ctx, action.organizationId);
  let result: T;
  try {
    result = await run();
  } catch (error) {
    const code = error instanceof GraphQLError && typeof error.extensions['code'] === 'string' ? error.extensions['code'] : ErrorCode.INTERNAL_SERVER_ERROR;
    await record('FAILURE', code);
    throw error;
  }
  const [first] = result.userErrors;
  await record(first === undefined ? 'SUCCESS' : 'FAILURE', first?.code ?? null);
  return result;
}

// Private: the caller's Organization an input names, for the audit event; null for a malformed ID or any Organization
// the caller cannot see (the mutation reports those itself). The Org index is the one the mutation reads anyway.
async function visibleOrg(ctx: Context, organizationId: string): Promise<{ readonly id: number; readonly name: string } | null> {
  try {
    const target = lookupGlobalIdOfType(ctx.connectionId, organizationId, 'Organization', 'organizationId');
    const org = target === null ? undefined : (await ctx.loaders.orgIndex()).byId.get(target.orgId);
    return org === undefined ? null : { id: org.id, name: org.name };
  } catch {
    return null;
  }
}
