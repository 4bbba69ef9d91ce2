// Internal to src/resolvers: what the lifecycle mutations (issue "Provisioning mutations", item 1: create, update,
// delete, activate, deactivate, password reset) share beyond mutations.ts:
// - `Problems`: input checks that collect every problem of a request, so one answer reports all of them;
// - `mutateOnGroup`, `mutateOnRole`, `mutateOnUser`, `mutateInOrg`: `mutate` for a write on one existing object (or
//   in one Organization), found only among the caller's Organizations, so an object outside them gets exactly the
//   answer of one that does not exist (NOT_FOUND on the ID's field) and is never written;
// - the rules about whose account a caller may change (`accountChangeProblem`, `protectedUserProblem`);
// - ThoughtSpot's Organization name rules, and the rule that a restricted caller names Organizations only within its
//   grant (`orgName`, `requireGrantedName`).
//
// Order of work in every mutation: the target is found, every input check runs (each problem is collected), and
// nothing is written unless no problem was found.

import { GraphQLError } from 'graphql';
import { hasScope, type Scope } from '../../auth/index.js';
import type { Context } from '../../context.js';
import { ErrorCode } from '../../errors/codes.js';
import { PRIMARY_ORG_ID, isRecordNotFound, type GroupNode, type RoleNode } from '../../loaders/index.js';
import { toGlobalId } from '../../relay/global-id.js';
import type { OrgRecord, UserRecord } from '../../thoughtspot/index.js';
import { groupIdArg, roleIdArg, userIdArg, type ScopedId } from './args.js';
import type { UserErrorModel } from './audit.js';
import { failed, mutate, userErrorOf, writableOrg, type Payload } from './mutations.js';

/** Longest name, e-mail address, locale or password accepted (ThoughtSpot's own text limit, house rule). */
export const MAX_TEXT = 255;

/** An input field's path, e.g. `["input", "groupIds", "2"]`. */
export type FieldPath = readonly string[];

/** The problems found in one request's input; nothing is written while there is any. */
export class Problems {
  readonly list: UserErrorModel[] = [];

  /** Whether any problem was found. */
  get any(): boolean {
    return this.list.length > 0;
  }

  /** Records a problem with `field`. */
  add(field: FieldPath, message: string, code: UserErrorModel['code'] = 'INVALID'): void {
    this.list.push({ field: [...field], message, code });
  }

  /** Records a problem found by a rule (`accountChangeProblem`…); null is no problem. */
  found(problem: UserErrorModel | null): void {
    if (problem !== null) this.list.push(problem);
  }

  /**
   * A name (trimmed): null or absent stays undefined (not given); blank or longer than `max` is a problem. The
   * message names the limit but never echoes the value.
   */
  name(value: string | null | undefined, field: FieldPath, what: string, max = MAX_TEXT): string | undefined {
    if (value == null) return undefined;
    const trimmed = value.trim();
    if (trimmed.length === 0 || trimmed.length > max) {
      this.add(field, `${what} is 1 to ${max} characters, not only spaces.`);
      return undefined;
    }
    return trimmed;
  }

  /** Free text kept as given (an empty string is allowed: it clears the field); longer than `max` is a problem. */
  text(value: string | null | undefined, field: FieldPath, what: string, max = MAX_TEXT): string | undefined {
    if (value == null) return undefined;
    if (value.length > max) {
      this.add(field, `${what} is at most ${max} characters.`);
      return undefined;
    }
    return value;
  }

  /** A password: 1 to MAX_TEXT characters, kept exactly as given. The message never contains it. */
  secret(value: string, field: FieldPath): string | undefined {
    if (value.length === 0 || value.length > MAX_TEXT) {
      this.add(field, `A password is 1 to ${MAX_TEXT} characters.`);
      return undefined;
    }
    return value;
  }

  /** The payload of a refused request: every problem, nothing written. */
  refusal(): Payload {
    return failed(this.list);
  }

  /**
   * Sends the write `call` unless a problem was found (then the refusal, and nothing is written), and builds the
   * payload from its answer with `answer`. ThoughtSpot's refusal of the call is the caller's user error on `field`
   * (mutations.ts `userErrorOf`); any other failure, of the call or of `answer`'s reads, is thrown.
   */
  async write<T, R extends Payload>(field: FieldPath, call: () => Promise<T>, answer: (result: T) => R | Promise<R>): Promise<R | Payload> {
    if (this.any) return this.refusal();
    let result: T;
    try {
      result = await call();
    } catch (caught) {
      return failed([userErrorOf(caught, field)]);
    }
    return answer(result);
  }
}

/** What every lifecycle input on an existing object carries. */
export interface TargetInput {
  readonly id: string;
  readonly idempotencyKey?: string | null | undefined;
}

/** An object a mutation acts on, or why there is none for this caller. */
export type Found<T> = { readonly value: T } | { readonly error: UserErrorModel };

/** The field every target ID is read from. */
const ID_FIELD: FieldPath = ['input', 'id'];

// Private: the answer for an object that does not exist or is outside the caller's Organizations (the same answer).
function notFound(what: string, field: FieldPath = ID_FIELD): { readonly error: UserErrorModel } {
  return { error: { field: [...field], message: `No ${what} with this ID exists.`, code: 'NOT_FOUND' } };
}

// Private: whether Org `orgId` is one of the caller's (the Org index lists only those, loaders/tenancy.ts). Asked
// before a per-Org read, so an Org outside the grant, or gone, costs no call and no token mint.
async function isCallersOrg(ctx: Context, orgId: number): Promise<boolean> {
  return (await ctx.loaders.orgIndex()).byId.has(orgId);
}

/** A group of one of the caller's Organizations, or NOT_FOUND on `field`. Throws BAD_USER_INPUT for a malformed ID. */
export async function findGroup(ctx: Context, id: string, field: FieldPath = ID_FIELD): Promise<Found<GroupNode>> {
  const target = groupIdArg(ctx, id, field.join('.'));
  const group = target !== null && (await isCallersOrg(ctx, target.orgId)) ? (await ctx.loaders.groupIndex.load(target.orgId)).byId.get(target.guid) : undefined;
  return group === undefined ? notFound('group', field) : { value: group };
}

/** A role of one of the caller's Organizations, or NOT_FOUND. Throws BAD_USER_INPUT for a malformed ID. */
export async function findRole(ctx: Context, id: string): Promise<Found<RoleNode>> {
  const target = roleIdArg(ctx, id, ID_FIELD.join('.'));
  const role = target !== null && (await isCallersOrg(ctx, target.orgId)) ? (await ctx.loaders.roleIndex.load(target.orgId)).byId.get(target.guid) : undefined;
  return role === undefined ? notFound('role') : { value: role };
}

/**
 * A user who belongs to one of the caller's Organizations (a cluster-wide lookup through the loaders, which cut the
 * user's Organizations to the caller's), or NOT_FOUND. Throws BAD_USER_INPUT for a malformed ID.
 */
export async function findUser(ctx: Context, id: string): Promise<Found<UserRecord>> {
  const guid = userIdArg(ctx, id, ID_FIELD.join('.'));
  if (guid === null) return notFound('user');
  try {
    return { value: await ctx.loaders.userByKey.load({ by: 'id', value: guid }) };
  } catch (error) {
    if (isRecordNotFound(error)) return notFound('user');
    throw error;
  }
}

/**
 * The Organization a user write runs in: the caller's Organization of the user with the lowest id (the Primary
 * Organization first), or null for a user row that lists none (a cluster without Orgs: the Primary one).
 */
export function homeOrgOf(user: UserRecord): { readonly id: number; readonly name: string } | null {
  return [...user.orgs].sort((a, b) => a.id - b.id)[0] ?? null;
}

/** The Org scope of a user write (see `homeOrgOf`). */
export function userScope(user: UserRecord): { readonly orgId: number } {
  return { orgId: homeOrgOf(user)?.id ?? PRIMARY_ORG_ID };
}

/** What a write on one existing object needs. */
export interface OnTarget<I, T, R extends Payload> {
  readonly operation: string;
  /** `directory:write` unless given. */
  readonly scope?: Scope;
  readonly input: I;
  /** Checks of the other input fields that need no target; every problem is collected. */
  readonly check?: (problems: Problems) => void;
  /** The write, given the target: it adds the problems that depend on the target, and writes only if there is none. */
  readonly run: (target: T, problems: Problems) => Promise<R | Payload>;
}

// Private: the common flow: the target, then every check, then either the refusal with every problem or `run`.
async function withTarget<T, R extends Payload>(found: Found<T>, spec: Pick<OnTarget<unknown, T, R>, 'check' | 'run'>): Promise<R | Payload> {
  const problems = new Problems();
  if ('error' in found) problems.list.push(found.error);
  spec.check?.(problems);
  if ('error' in found) return problems.refusal();
  return spec.run(found.value, problems);
}

// Private: the audit fields of a write on an object of type `type` named by `input.id`.
function auditSpec(spec: Pick<OnTarget<TargetInput, never, Payload>, 'operation' | 'scope' | 'input'>, type: string) {
  return {
    operation: spec.operation,
    scope: spec.scope ?? 'directory:write',
    target: { type, id: spec.input.id },
    input: spec.input,
    idempotencyKey: spec.input.idempotencyKey,
  } as const;
}

// Private: the global ID of the Org a group or role ID names, for the audit event; null for a malformed ID (the
// mutation itself reports it), so computing it never throws before the scope check.
function auditedOrgOf(ctx: Context, id: string, decode: (ctx: Context, id: string, argumentName: string) => ScopedId | null): string | null {
  try {
    const target = decode(ctx, id, ID_FIELD.join('.'));
    return target === null ? null : toGlobalId(ctx.connectionId, { typename: 'Organization', orgId: target.orgId });
  } catch {
    return null;
  }
}

/**
 * The user as ThoughtSpot now holds it, read again in the Org its write ran in (a user write answers 204 with no
 * body), after forgetting what this request read of it before the write.
 */
export function freshUser(ctx: Context, user: UserRecord): Promise<UserRecord> {
  const key = { ...userScope(user), by: 'id', value: user.id } as const;
  ctx.loaders.userInOrg.clear(key);
  ctx.loaders.userByKey.clear({ by: 'id', value: user.id });
  return ctx.loaders.userInOrg.load(key);
}

/** `mutate` for a write on the group `input.id` names, audited with the group's Organization. */
export function mutateOnGroup<I extends TargetInput, R extends Payload>(ctx: Context, spec: OnTarget<I, GroupNode, R>): Promise<R | Payload> {
  return mutate(ctx, { ...auditSpec(spec, 'Group'), organizationId: auditedOrgOf(ctx, spec.input.id, groupIdArg) }, async () =>
    withTarget(await findGroup(ctx, spec.input.id), spec),
  );
}

/** `mutate` for a write on the role `input.id` names, audited with the role's Organization. */
export function mutateOnRole<I extends TargetInput, R extends Payload>(ctx: Context, spec: OnTarget<I, RoleNode, R>): Promise<R | Payload> {
  return mutate(ctx, { ...auditSpec(spec, 'Role'), organizationId: auditedOrgOf(ctx, spec.input.id, roleIdArg) }, async () =>
    withTarget(await findRole(ctx, spec.input.id), spec),
  );
}

/**
 * `mutate` for a write on the user `input.id` names. A user ID names no Organization, so for the audit event the
 * user is looked up before the action starts (only for a caller holding the scope; the action's own lookup is then
 * served by the same loader at no cost) and the event records the Organization the write runs in (`homeOrgOf`). A
 * failed early lookup records no Organization and is left to the action's own lookup, which reports it.
 */
export async function mutateOnUser<I extends TargetInput, R extends Payload>(ctx: Context, spec: OnTarget<I, UserRecord, R>): Promise<R | Payload> {
  const early = hasScope(ctx.caller, spec.scope ?? 'directory:write') ? await findUser(ctx, spec.input.id).catch(() => null) : null;
  const home = early !== null && 'value' in early ? homeOrgOf(early.value) : null;
  return mutate(ctx, { ...auditSpec(spec, 'User'), organization: home }, async () => withTarget(await findUser(ctx, spec.input.id), spec));
}

/** What a write in one of the caller's Organizations needs. */
export interface InOrg<I extends { readonly idempotencyKey?: string | null | undefined }, R extends Payload> extends OnTarget<I, OrgRecord, R> {
  /** The input field naming the Organization: `organizationId` for a create in it, `id` for a write on it. */
  readonly orgField: 'organizationId' | 'id';
  /** The audit event's target type: `Organization` for a write on it, the new object's type for a create. */
  readonly targetType: string;
}

/** `mutate` for a write in (or on) the caller's Organization that `input[orgField]` names. */
export function mutateInOrg<I extends { readonly idempotencyKey?: string | null | undefined }, R extends Payload>(ctx: Context, spec: InOrg<I, R>): Promise<R | Payload> {
  const organizationId = String((spec.input as Record<string, unknown>)[spec.orgField]);
  const field = ['input', spec.orgField];
  return mutate(
    ctx,
    {
      operation: spec.operation,
      scope: spec.scope ?? 'directory:write',
      target: { type: spec.targetType, id: spec.orgField === 'id' ? organizationId : null },
      input: spec.input,
      idempotencyKey: spec.input.idempotencyKey,
      organizationId,
    },
    async () => {
      const { org, error } = await writableOrg(ctx, organizationId, field);
      return withTarget(org === null ? { error } : { value: org }, spec);
    },
  );
}

/**
 * Why the caller may not change `user`'s account itself (username, e-mail, status, password, existence), or null.
 * Those belong to the user on the whole cluster: a caller restricted to some Organizations may change them only when
 * every Organization of the user is its own, or one tenant could lock out, rename or take over a person another
 * tenant relies on. The user's other Organizations are read straight from the adapter, past the tenancy view of the
 * loaders, and only this yes-or-no leaves the function: which Organizations they are never reaches the caller.
 */
export async function accountChangeProblem(ctx: Context, user: UserRecord): Promise<UserErrorModel | null> {
  if (await belongsOutsideGrant(ctx, user)) {
    return {
      field: [...ID_FIELD],
      message: "This user also belongs to an Organization outside the caller's grant, so only a caller granted all of them can change the account.",
      code: 'NOT_ALLOWED',
    };
  }
  return null;
}

/** Whether `user` belongs to an Organization outside the caller's grant (no call for a caller granted every one). */
export async function belongsOutsideGrant(ctx: Context, user: UserRecord): Promise<boolean> {
  const grant = ctx.caller.orgs;
  if (grant === '*') return false;
  const every = await ctx.client.searchOrgs({ orgId: PRIMARY_ORG_ID }, { userIdentifiers: [user.id] });
  return every.some((org) => !grant.has(org.name));
}

/**
 * Why `user` must be left alone by deletes, deactivations and password resets, or null: a ThoughtSpot system
 * principal, or the service account this connection signs in as (the subgraph would lock itself out).
 */
export async function protectedUserProblem(ctx: Context, user: UserRecord): Promise<UserErrorModel | null> {
  if (user.systemUser || user.superUser) {
    return { field: [...ID_FIELD], message: 'This user is a ThoughtSpot system principal and cannot be changed this way.', code: 'NOT_ALLOWED' };
  }
  const service = await serviceAccountOf(ctx);
  if (service !== null && service.username.toLowerCase() === user.name.toLowerCase()) {
    return { field: [...ID_FIELD], message: 'This user is the service account the directory signs in with and cannot be changed this way.', code: 'NOT_ALLOWED' };
  }
  return null;
}

/** The cluster URL and service account of the request's connection (the default one, or a registered one). */
export async function serviceAccountOf(ctx: Context): Promise<{ readonly baseUrl: string; readonly username: string } | null> {
  const fixed = ctx.services.defaultConnection;
  if (ctx.connectionId === fixed.id) return fixed;
  return ctx.services.store.connections.get(ctx.connectionId);
}

/** Longest Organization name and description, and the characters a name may hold (CONTRACT.md §3, since 9.8.0.cl). */
export const MAX_ORG_NAME = 48;
export const MAX_ORG_DESCRIPTION = 124;
const ORG_NAME = /^[A-Za-z0-9-]+$/;

/** Whether ThoughtSpot accepts `value` as an Organization name: 1 to 48 letters, digits and hyphens. */
export function isOrgName(value: string): boolean {
  return value.length <= MAX_ORG_NAME && ORG_NAME.test(value);
}

/** An Organization name as ThoughtSpot accepts it (`isOrgName`); undefined when not given or refused. */
export function orgName(problems: Problems, value: string | null | undefined, field: FieldPath = ['input', 'name']): string | undefined {
  if (value == null) return undefined;
  if (!isOrgName(value)) {
    problems.add(field, `An Organization name is 1 to ${MAX_ORG_NAME} letters, digits and hyphens.`);
    return undefined;
  }
  return value;
}

/**
 * Refuses (FORBIDDEN) an Organization name the caller's grant does not name: a caller restricted to some
 * Organizations may create or rename one only into its own grant, or it would hand an Organization to whoever holds
 * that name (or lose it from its own view). A caller granted every Organization may use any name.
 */
export function requireGrantedName(ctx: Context, name: string): void {
  if (ctx.caller.orgs !== '*' && !ctx.caller.orgs.has(name)) {
    throw new GraphQLError("The caller's token does not grant an Organization of this name (orgs claim), so it cannot give an Organization that name.", {
      extensions: { code: ErrorCode.FORBIDDEN },
    });
  }
}

/** Whether an Organization the caller sees, other than `except`, has `name` (ThoughtSpot compares without case). */
export async function orgNameTaken(ctx: Context, name: string, except: number | null = null): Promise<boolean> {
  const lower = name.toLowerCase();
  return (await ctx.loaders.orgIndex()).list.some((org) => org.id !== except && org.name.toLowerCase() === lower);
}
