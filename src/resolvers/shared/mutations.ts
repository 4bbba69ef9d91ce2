// Internal to src/resolvers: what every provisioning mutation shares (issue "Provisioning mutations"):
// - `mutate`: the scope check and the audit event (audit.ts `audited`), the idempotency key, and read-your-writes;
// - `writableOrg`: the Organization a write acts in, found only among the caller's Organizations;
// - `userErrorOf`: ThoughtSpot's refusals of a write, as the caller's user errors.
//
// Idempotency. A mutation given an `idempotencyKey` claims it in the store (scoped by caller, connection and
// operation) with a fingerprint of its input before it calls ThoughtSpot. The first claim runs the mutation and stores
// its payload; a retry with the same key and input gets that payload back without calling ThoughtSpot again, even
// after a restart; the same key with another input is a user error, and so is a retry while the first is still
// running. A mutation that fails before writing anything releases its claim, so a retry may run it again. The
// fingerprint is taken over the input with its secrets redacted (audit.ts), so a password never reaches the store in
// any form, and a retry that differs only in a secret counts as the same input.

import { createHash } from 'node:crypto';
import { GraphQLError } from 'graphql';
import type { Context } from '../../context.js';
import { ErrorCode } from '../../errors/codes.js';
import type { OrgRecord } from '../../thoughtspot/index.js';
import { isThoughtSpotError } from '../../thoughtspot/index.js';
import { audited, redactInput, type AuditedAction, type UserErrorModel } from './audit.js';
import { orgIdArg } from './args.js';

/** A mutation's business outcome: its payload always carries `userErrors`. */
export interface Payload {
  readonly userErrors: UserErrorModel[];
}

/** What `mutate` needs besides the audit fields. */
export interface MutationSpec extends AuditedAction {
  /** The caller's idempotency key, if it sent one (1 to 255 characters). */
  readonly idempotencyKey?: string | null | undefined;
}

const MAX_IDEMPOTENCY_KEY = 255;

/** A canonical JSON text: object keys sorted at every depth, so equal inputs fingerprint equally. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, field]) => field !== undefined)
      .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    return `{${entries.map(([key, field]) => `${JSON.stringify(key)}:${canonical(field)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The fingerprint of a mutation's input: SHA-256 of its canonical JSON, secrets redacted, the key itself left out. */
export function inputFingerprint(input: unknown): string {
  const { idempotencyKey: _key, ...rest } = (input ?? {}) as Record<string, unknown>;
  return createHash('sha256').update(canonical(redactInput(rest))).digest('hex');
}

/**
 * Runs a write: checks the scope and records the audit event (audit.ts), honours the idempotency key, and clears the
 * request's loaders after `run` so the payload's fields and everything after it read the new state.
 */
export function mutate<T extends Payload>(ctx: Context, spec: MutationSpec, run: () => Promise<T>): Promise<T | Payload> {
  return audited<T | Payload>(ctx, spec, async () => {
    const key = spec.idempotencyKey;
    if (key == null) return runAndRefresh(ctx, run);
    if (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY) {
      return failed([{ field: ['input', 'idempotencyKey'], message: `An idempotency key is 1 to ${MAX_IDEMPOTENCY_KEY} characters.`, code: 'INVALID' }]);
    }
    const claim = await ctx.services.store.idempotency.claim({
      actor: ctx.caller.subject,
      connectionId: ctx.connectionId,
      operation: spec.operation,
      key,
      fingerprint: inputFingerprint(spec.input),
    });
    switch (claim.outcome) {
      case 'COMPLETED':
        return claim.record.result as unknown as T;
      case 'MISMATCH':
        return failed([
          {
            field: ['input', 'idempotencyKey'],
            message: 'This idempotency key was used with a different input; use a new key for a different request.',
            code: 'IDEMPOTENCY_KEY_REUSED',
          },
        ]);
      case 'IN_PROGRESS':
        return failed([
          {
            field: ['input', 'idempotencyKey'],
            message: 'A request with this idempotency key is still running; retry once it has finished.',
            code: 'IDEMPOTENCY_IN_PROGRESS',
          },
        ]);
      case 'CLAIMED':
        break;
    }
    let result: T;
    try {
      result = await runAndRefresh(ctx, run);
    } catch (error) {
      // Nothing is known to have been written: let a retry run it again.
      await ctx.services.store.idempotency.release(claim.record).catch(() => false);
      throw error;
    }
    await ctx.services.store.idempotency.complete(claim.record, JSON.parse(JSON.stringify(result)) as unknown);
    return result;
  });
}

async function runAndRefresh<T>(ctx: Context, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } finally {
    ctx.loaders.clearAll();
  }
}

/**
 * A payload that carries only user errors: every field but `userErrors` of a payload is a nullable result, which
 * GraphQL resolves to null when absent.
 */
export function failed(userErrors: readonly UserErrorModel[]): Payload {
  return { userErrors: [...userErrors] };
}

/**
 * The Organization a write acts in, named by an `organizationId` input field: found only among the caller's
 * Organizations, so one outside them is reported exactly as one that does not exist (NOT_FOUND on `field`).
 */
export async function writableOrg(
  ctx: Context,
  organizationId: string,
  field: readonly string[],
): Promise<{ readonly org: OrgRecord; readonly error: null } | { readonly org: null; readonly error: UserErrorModel }> {
  const orgId = orgIdArg(ctx, organizationId, field.join('.'));
  const org = orgId === null ? undefined : (await ctx.loaders.orgIndex()).byId.get(orgId);
  if (org === undefined) {
    return { org: null, error: { field: [...field], message: 'No Organization with this ID exists.', code: 'NOT_FOUND' } };
  }
  return { org, error: null };
}

/**
 * ThoughtSpot's refusal of a write as a user error on `field`, when it is the caller's to fix: a name taken
 * (ALREADY_EXISTS), an identifier that matched nothing (NOT_FOUND), a request ThoughtSpot found invalid (INVALID, with
 * ThoughtSpot's reason). Anything else (unavailable, rate limited, permission of the service account) is not the
 * caller's input, and is rethrown as a top-level error.
 */
export function userErrorOf(error: unknown, field: readonly string[]): UserErrorModel {
  if (isThoughtSpotError(error)) {
    switch (error.code) {
      case 'TS_ERR_CONFLICT':
        return { field: [...field], message: 'An object with this name already exists.', code: 'ALREADY_EXISTS' };
      case 'TS_ERR_NOT_FOUND':
        return { field: [...field], message: 'An identifier in the input matched nothing.', code: 'NOT_FOUND' };
      case 'TS_ERR_BAD_REQUEST':
        return { field: [...field], message: `ThoughtSpot refused the input: ${error.vendorMessage ?? error.message}`, code: 'INVALID' };
      default:
        break;
    }
  }
  throw error instanceof Error ? error : new GraphQLError(String(error), { extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } });
}
