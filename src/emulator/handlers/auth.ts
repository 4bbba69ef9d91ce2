// Internal to src/emulator/handlers: the Authentication tag: token minting (full, object, custom) with just-in-time
// provisioning, validation, revocation, the session endpoints (CONTRACT.md §2, §9, §10, §11.1).

import { randomUUID } from 'node:crypto';
import type { Handler, HandlerResult } from '../types.js';
import { EmulatorError, VendorCode, badRequest, unauthenticated } from '../types.js';
import type { EmulatorState } from '../domain/state.js';
import type { OrgRec, UserRec } from '../domain/model.js';
import { PRIMARY_ORG_ID, USER_ADMIN_PRIVILEGES } from '../domain/model.js';
import { findGroupIn, findOrg, findUser, invalidIdentifiers } from '../domain/resolve.js';
import { serializeToken, serializeUser } from '../domain/serialize.js';
import type { Ctx } from './common.js';
import {
  bool,
  callerOf,
  denied,
  holds,
  int,
  now,
  obj,
  objects,
  principalOf,
  str,
  strings,
  userView,
} from './common.js';

/** `GET /auth/session/token` mints tokens valid for 24 hours (CONTRACT.md §2.2). */
const SESSION_TOKEN_VALIDITY_SEC = 24 * 60 * 60;

type Credential = { readonly kind: 'password' | 'secret_key'; readonly value: string };

/**
 * Which credential a token request carries. Neither → 400; both → `fidelity.credentialPrecedence` decides (the spec
 * says the secret key wins, a docs page says the password does: CONTRACT.md §16 Q1).
 */
function credentialOf(ctx: Ctx): Credential {
  const password = str(ctx.body, 'password') ?? '';
  const secret = str(ctx.body, 'secret_key') ?? '';
  let chosen: Credential;
  if (password === '' && secret === '') throw badRequest('Either secret_key or password must be provided.');
  else if (password === '') chosen = { kind: 'secret_key', value: secret };
  else if (secret === '') chosen = { kind: 'password', value: password };
  else chosen = ctx.fidelity.credentialPrecedence === 'secret_key'
    ? { kind: 'secret_key', value: secret }
    : { kind: 'password', value: password };
  if (chosen.kind === 'secret_key') {
    if (!ctx.fidelity.trustedAuth) {
      throw new EmulatorError(
        403,
        VendorCode.FORBIDDEN,
        'Trusted authentication is not enabled. Enable it under Develop > Customizations > Security settings to use secret_key.',
      );
    }
    if (chosen.value !== ctx.fidelity.secretKey) throw unauthenticated('Invalid secret_key.');
  }
  return chosen;
}

/** Checks that a user may log in at all (exists, is not a hidden system principal, is ACTIVE). */
function checkCanLogIn(user: UserRec): void {
  if (user.hidden) throw unauthenticated(`User ${user.name} is a system principal and cannot log in.`);
  if (user.accountStatus !== 'ACTIVE') {
    throw unauthenticated(`User ${user.name} cannot log in: the account is ${user.accountStatus}.`);
  }
}

/** The user behind a password credential; the same 401 for an unknown user and a wrong password. */
function passwordLogin(ctx: Ctx, username: string, password: string): UserRec {
  const user = findUser(ctx.state, username, ctx.fidelity);
  if (user === undefined || user.password === null || user.password !== password) {
    throw unauthenticated('Invalid username or password.');
  }
  return user;
}

/** The token's validity in seconds: default `fidelity.defaultTokenValiditySec`, bounds 1…max (§16 Q20). */
function validityOf(ctx: Ctx): number {
  const requested = int(ctx.body, 'validity_time_in_sec');
  if (requested === undefined) return ctx.fidelity.defaultTokenValiditySec;
  if (!Number.isInteger(requested) || requested < 1 || requested > ctx.fidelity.maxTokenValiditySec) {
    throw badRequest(
      `validity_time_in_sec must be an integer between 1 and ${ctx.fidelity.maxTokenValiditySec}, but got: ${requested}`,
    );
  }
  return requested;
}

/** An Org by id, or a 400 naming it. */
function orgById(ctx: Ctx, orgId: number): OrgRec {
  const org = ctx.state.orgs.get(orgId);
  if (org === undefined) throw badRequest(`Org with id ${orgId} does not exist.`);
  return org;
}

/** The Org named by `org_identifier` (id or name), or a 400 naming it; undefined when absent or Orgs are off. */
function orgFromIdentifier(ctx: Ctx): OrgRec | undefined {
  const identifier = ctx.fidelity.orgsEnabled ? str(ctx.body, 'org_identifier') : undefined;
  if (identifier === undefined || identifier === '') return undefined;
  const org = findOrg(ctx.state, identifier);
  if (org === undefined) throw invalidIdentifiers('org', [identifier]);
  return org;
}

/**
 * The Org a token lands in. An explicit Org must exist and the user must belong to it (cluster admins act
 * everywhere). Without one: the user's last-used Org, else Primary, else the user's first Org (§16 Q2). With the Orgs
 * feature off every token is in Org 0.
 */
function chooseOrg(ctx: Ctx, user: UserRec, requested: OrgRec | undefined): number {
  if (!ctx.fidelity.orgsEnabled) return PRIMARY_ORG_ID;
  const state = ctx.state;
  const admin = state.isClusterAdmin(user);
  if (requested !== undefined) {
    if (!user.orgIds.has(requested.id) && !admin) {
      throw new EmulatorError(
        403,
        VendorCode.FORBIDDEN,
        `User ${user.name} is not a member of Org ${requested.id} (${requested.name}).`,
      );
    }
    return requested.id;
  }
  const last = user.lastOrgId;
  if (last !== null && state.orgs.has(last) && (user.orgIds.has(last) || admin)) return last;
  if (user.orgIds.has(PRIMARY_ORG_ID) || admin) return PRIMARY_ORG_ID;
  const first = [...user.orgIds].sort((a, b) => a - b)[0];
  if (first === undefined) {
    throw new EmulatorError(403, VendorCode.FORBIDDEN, `User ${user.name} is not a member of any Org.`);
  }
  return first;
}

/**
 * Puts a JIT user's groups in one Org to exactly the named ones, creating unknown names as plain groups whose display
 * name is the name (CONTRACT.md §9).
 */
function replaceGroupsJit(ctx: Ctx, user: UserRec, org: OrgRec, identifiers: readonly string[]): void {
  const state = ctx.state;
  const at = now(ctx);
  const wanted = new Set<string>();
  for (const identifier of identifiers) {
    if (identifier.trim() === '') throw badRequest('group_identifiers must not contain empty names.');
    let group = findGroupIn(org, identifier);
    if (group === undefined) {
      group = state.createGroup(org, { name: identifier, displayName: identifier, at, authorId: user.id });
    }
    if (group.builtIn !== 'ALL') wanted.add(group.id);
  }
  for (const group of state.directGroups(user, org.id)) {
    if (!wanted.has(group.id)) state.removeGroupMember(group, user);
  }
  for (const id of wanted) {
    const group = state.groups.get(id);
    if (group !== undefined) state.addGroupMember(group, user);
  }
}

/** Creates a JIT user (no password: it can only log in through tokens until one is set, CONTRACT.md §9). */
function createJitUser(ctx: Ctx, username: string, org: OrgRec): UserRec {
  if (username.trim() === '') throw badRequest('username must be a non-empty string.');
  if (ctx.state.usernameTaken(username)) throw badRequest(`User with name ${username} already exists`);
  const user = ctx.state.insertUser({
    name: username,
    displayName: str(ctx.body, 'display_name') ?? username,
    email: str(ctx.body, 'email') ?? null,
    password: null,
    at: now(ctx),
  });
  ctx.state.addUserToOrg(user, org.id);
  return user;
}

/** `auth/token/full` and `auth/token/object`: mint, with JIT when `auto_create` is true. */
function mintHandler(accessType: 'FULL' | 'REPORT_BOOK_VIEW'): Handler<EmulatorState> {
  return (ctx) => {
    const state = ctx.state;
    const username = str(ctx.body, 'username') ?? '';
    if (username.trim() === '') throw badRequest('username must be a non-empty string.');
    const credential = credentialOf(ctx);
    const validity = validityOf(ctx);
    const orgIdField = ctx.fidelity.orgsEnabled ? int(ctx.body, 'org_id') : undefined;
    const requestedOrg = orgIdField === undefined ? undefined : orgById(ctx, orgIdField);
    let user: UserRec | undefined;
    if (bool(ctx.body, 'auto_create', false)) {
      if (credential.kind !== 'secret_key') {
        throw badRequest('auto_create requires secret_key: just-in-time provisioning is a trusted-authentication feature.');
      }
      user = findUser(state, username, ctx.fidelity);
      const org = requestedOrg ?? orgById(ctx, user === undefined ? PRIMARY_ORG_ID : chooseOrg(ctx, user, undefined));
      if (user === undefined) {
        user = createJitUser(ctx, username, org);
      } else {
        checkCanLogIn(user);
        // An existing user's display name and e-mail follow the request on every JIT call (CONTRACT.md §9).
        const displayName = str(ctx.body, 'display_name');
        const email = str(ctx.body, 'email');
        let touched = false;
        if (displayName !== undefined && displayName !== user.displayName) {
          user.displayName = displayName;
          touched = true;
        }
        if (email !== undefined && email !== user.email) {
          user.email = email;
          touched = true;
        }
        if (!user.orgIds.has(org.id)) state.addUserToOrg(user, org.id);
        if (touched) state.touchUser(user, now(ctx), user.id);
      }
      const groups = strings(ctx.body, 'group_identifiers');
      if (groups !== undefined) replaceGroupsJit(ctx, user, org, groups);
    } else if (credential.kind === 'password') {
      user = passwordLogin(ctx, username, credential.value);
    } else {
      user = findUser(state, username, ctx.fidelity);
      if (user === undefined) throw unauthenticated(`User ${username} does not exist.`);
    }
    checkCanLogIn(user);
    const orgId = chooseOrg(ctx, user, requestedOrg);
    const userParameters = obj(ctx.body, 'user_parameters');
    if (userParameters !== undefined) user.userParameters = userParameters;
    const rec = state.mintToken({
      user,
      orgId,
      accessType,
      metadataId: accessType === 'REPORT_BOOK_VIEW' ? (str(ctx.body, 'object_id') ?? null) : null,
      validitySec: validity,
    });
    return { status: 200, body: serializeToken(rec, user.name) };
  };
}

/** Merges ABAC values into a stored map per `persist_option` (CONTRACT.md §10). Empty value lists never reset. */
function persistNamed(
  stored: Map<string, unknown[]> | undefined,
  given: Record<string, unknown>[] | undefined,
  option: string,
): Map<string, unknown[]> | undefined {
  if (given === undefined) return stored;
  const out = option === 'REPLACE' ? new Map<string, unknown[]>() : new Map(stored ?? []);
  if (option === 'REPLACE' && stored !== undefined) {
    // Private: a REPLACE that names a variable with an empty list keeps the stored values of that variable.
    for (const entry of given) {
      const name = entry['name'];
      const values = entry['values'];
      if (typeof name === 'string' && Array.isArray(values) && values.length === 0 && stored.has(name)) {
        out.set(name, stored.get(name) as unknown[]);
      }
    }
  }
  for (const entry of given) {
    const name = entry['name'];
    const values = entry['values'];
    if (typeof name !== 'string' || !Array.isArray(values) || values.length === 0) continue;
    if (option === 'APPEND') {
      const merged = [...(out.get(name) ?? [])];
      for (const v of values) if (!merged.includes(v)) merged.push(v);
      out.set(name, merged);
    } else {
      out.set(name, [...values]);
    }
  }
  return out;
}

/** `auth/token/custom`: ABAC token; JIT creates missing users but never updates existing ones (CONTRACT.md §9). */
const customToken: Handler<EmulatorState> = (ctx) => {
  const state = ctx.state;
  const username = str(ctx.body, 'username') ?? '';
  if (username.trim() === '') throw badRequest('username must be a non-empty string.');
  const persist = str(ctx.body, 'persist_option') ?? '';
  const variables = objects(ctx.body, 'variable_values');
  if (variables !== undefined && persist !== 'APPEND' && persist !== 'REPLACE') {
    throw badRequest(`persist_option must be APPEND or REPLACE when variable_values are given, but got: ${persist}`);
  }
  const credential = credentialOf(ctx);
  const validity = validityOf(ctx);
  const requestedOrg = orgFromIdentifier(ctx);
  let user = findUser(state, username, ctx.fidelity);
  if (credential.kind === 'password') {
    user = passwordLogin(ctx, username, credential.value);
  } else if (user === undefined) {
    if (!bool(ctx.body, 'auto_create', true)) throw unauthenticated(`User ${username} does not exist.`);
    const org = requestedOrg ?? state.primary;
    user = createJitUser(ctx, username, org);
    const groups = objects(ctx.body, 'groups');
    if (groups !== undefined) {
      const names = groups.map((g) => g['identifier']).filter((v): v is string => typeof v === 'string');
      replaceGroupsJit(ctx, user, org, names);
    }
  }
  checkCanLogIn(user);
  const orgId = chooseOrg(ctx, user, requestedOrg);
  if (persist === 'RESET') {
    user.filterRules.delete(orgId);
    user.parameterValues.delete(orgId);
    user.variableValues.delete(orgId);
  } else if (persist === 'APPEND' || persist === 'REPLACE') {
    const rules = objects(ctx.body, 'filter_rules');
    if (rules !== undefined) {
      user.filterRules.set(orgId, persist === 'APPEND' ? [...(user.filterRules.get(orgId) ?? []), ...rules] : rules);
    }
    const params = persistNamed(user.parameterValues.get(orgId), objects(ctx.body, 'parameter_values'), persist);
    if (params !== undefined) user.parameterValues.set(orgId, params);
    const vars = persistNamed(user.variableValues.get(orgId), variables, persist);
    if (vars !== undefined) user.variableValues.set(orgId, vars);
  }
  const rec = state.mintToken({ user, orgId, accessType: 'FULL', validitySec: validity });
  const org = state.orgOf(rec);
  return {
    status: 200,
    body: {
      id: rec.id,
      token: rec.token,
      org: { id: org.id, name: org.name },
      user: { id: user.id, name: user.name },
      creation_time_in_millis: rec.createdAt,
      expiration_time_in_millis: rec.expiresAt,
    },
  };
};

/** `auth/token/validate`: malformed and expired tokens are both 400 / 10002; only the text differs (§2.3). */
const validateToken: Handler<EmulatorState> = (ctx) => {
  principalOf(ctx);
  const token = str(ctx.body, 'token') ?? '';
  const rec = ctx.state.tokens.get(token);
  if (rec === undefined || !ctx.state.users.has(rec.userId)) {
    throw badRequest('The token is malformed or was not issued by this cluster.');
  }
  if (rec.revoked) throw badRequest('The token is malformed: it has been revoked.');
  if (now(ctx) >= rec.expiresAt) throw badRequest('The token has expired.');
  return {
    status: 200,
    body: {
      creation_time_in_millis: rec.createdAt,
      expiration_time_in_millis: rec.expiresAt,
      scope: { access_type: rec.accessType, org_id: rec.orgId, metadata_id: rec.metadataId },
      valid_for_user_id: rec.userId,
      token_type: 'BEARER',
    },
  };
};

/**
 * `auth/token/revoke`: by token, by user, or both. Other users' tokens need user administration (403). Revoking by
 * user ends the user's sessions, and with `fidelity.logoutRevokesTokens` every bearer token too (§16 Q7).
 */
const revokeToken: Handler<EmulatorState> = (ctx) => {
  const state = ctx.state;
  const caller = callerOf(ctx);
  const userIdentifier = str(ctx.body, 'user_identifier');
  const token = str(ctx.body, 'token');
  if (userIdentifier === undefined && token === undefined) {
    throw badRequest('Either user_identifier or token must be provided.');
  }
  if (userIdentifier !== undefined && userIdentifier.trim() === '') throw badRequest('user_identifier must not be empty.');
  if (token !== undefined && token.trim() === '') throw badRequest('token must not be empty.');
  const admin = holds(ctx, USER_ADMIN_PRIVILEGES);
  let target: UserRec | undefined;
  if (userIdentifier !== undefined) {
    target = findUser(state, userIdentifier, ctx.fidelity);
    if (target === undefined) throw invalidIdentifiers('user', [userIdentifier]);
    if (target.id !== caller.id && !admin) {
      throw denied(ctx, `${caller.name} may not revoke the tokens of ${target.name}: user administration is required.`);
    }
  }
  if (token !== undefined) {
    const rec = state.tokens.get(token);
    if (rec === undefined) throw badRequest('The token is malformed or was not issued by this cluster.');
    if (target !== undefined && rec.userId !== target.id) {
      throw badRequest(`The token was not issued to ${target.name}.`);
    }
    if (rec.userId !== caller.id && !admin) {
      throw denied(ctx, `${caller.name} may not revoke another user's token: user administration is required.`);
    }
    state.revokeToken(rec);
  } else if (target !== undefined) {
    state.endUserSessions(target.id);
    if (ctx.fidelity.logoutRevokesTokens) state.revokeUserTokens(target.id);
  }
  return { status: 204 };
};

/** `GET /auth/session/user`: the caller, with `current_org` the token's Org (§2.4). */
const sessionUser: Handler<EmulatorState> = (ctx) => {
  const principal = principalOf(ctx);
  const caller = callerOf(ctx);
  return { status: 200, body: serializeUser(ctx.state, caller, userView(ctx, { currentOrgId: principal.orgId })) };
};

/** `GET /auth/session/token`: a fresh 24 h token for the same user, Org and access (§2.2). */
const sessionToken: Handler<EmulatorState> = (ctx) => {
  const principal = principalOf(ctx);
  const caller = callerOf(ctx);
  const current = ctx.state.tokens.get(principal.token);
  const rec = ctx.state.mintToken({
    user: caller,
    orgId: principal.orgId,
    accessType: principal.accessType,
    metadataId: current?.metadataId ?? null,
    validitySec: SESSION_TOKEN_VALIDITY_SEC,
  });
  return {
    status: 200,
    body: {
      token: rec.token,
      creation_time_in_millis: rec.createdAt,
      expiration_time_in_millis: rec.expiresAt,
      valid_for_user_id: caller.id,
      valid_for_username: caller.name,
    },
  };
};

/**
 * `auth/session/login`: `username` + `password` log that user in, answered by 204 and two cookies, as
 * `authentication.adoc` describes (CONTRACT.md §2.1): `JSESSIONID`, the session that authenticates later calls, and
 * `clientId`, a fresh random GUID naming the client. `org_identifier` picks the Org, else the user's previous one
 * (§2.5). The shell treats the endpoint as a login (CONTRACT.md §14.7), so there is never a caller whose bearer
 * token could open the session instead.
 */
const sessionLogin: Handler<EmulatorState> = (ctx): HandlerResult => {
  const state = ctx.state;
  const username = str(ctx.body, 'username') ?? '';
  if (username === '') throw badRequest('username and password must be provided.');
  const password = str(ctx.body, 'password') ?? '';
  if (password === '') throw badRequest('password must be provided with username.');
  const user = passwordLogin(ctx, username, password);
  checkCanLogIn(user);
  const orgId = chooseOrg(ctx, user, orgFromIdentifier(ctx));
  const rememberMe = bool(ctx.body, 'remember_me', false);
  const session = state.createSession(user, orgId, rememberMe);
  // The contract names the clientId cookie but not its attributes; it gets the session cookie's, so both live and
  // die together in a client's cookie jar. The emulator never reads it back: only JSESSIONID authenticates.
  const attributes = `Path=/; HttpOnly; SameSite=Lax${rememberMe ? '; Max-Age=604800' : ''}`;
  return {
    status: 204,
    headers: { 'Set-Cookie': [`JSESSIONID=${session.id}; ${attributes}`, `clientId=${randomUUID()}; ${attributes}`] },
  };
};

/** `auth/session/logout`: ends the cookie session, or revokes the bearer token it was called with. */
const sessionLogout: Handler<EmulatorState> = (ctx) => {
  const principal = principalOf(ctx);
  if (ctx.state.sessions.has(principal.token)) ctx.state.sessions.delete(principal.token);
  const rec = ctx.state.tokens.get(principal.token);
  if (rec !== undefined) ctx.state.revokeToken(rec);
  return { status: 204 };
};

/** Handlers of the Authentication tag, keyed by contract endpoint id. */
export const authHandlers: Readonly<Record<string, Handler<EmulatorState>>> = {
  'POST /api/rest/2.0/auth/token/full': mintHandler('FULL'),
  'POST /api/rest/2.0/auth/token/object': mintHandler('REPORT_BOOK_VIEW'),
  'POST /api/rest/2.0/auth/token/custom': customToken,
  'POST /api/rest/2.0/auth/token/validate': validateToken,
  'POST /api/rest/2.0/auth/token/revoke': revokeToken,
  'GET /api/rest/2.0/auth/session/user': sessionUser,
  'GET /api/rest/2.0/auth/session/token': sessionToken,
  'POST /api/rest/2.0/auth/session/login': sessionLogin,
  'POST /api/rest/2.0/auth/session/logout': sessionLogout,
};
