// Internal to src/resolvers: `embedTokenCreate`, a ThoughtSpot token for an end user of the host application
// (CONTRACT.md §9-§10). Needs `directory:embed` alone (no other scope implies it, auth/scopes.ts); the Organization must
// be the caller's; audited, without the token; all or nothing: every input is checked before the one write, which is
// the mint itself (`auth/token/full` with `auto_create`, upserting the user, its Organization and its groups).
//
// The token is the only secret this API ever returns, so it goes to the payload and nowhere else: the audit event
// records the user, the Organization, the groups and the validity (not the e-mail, the row-level-security values or
// the token), the adapter registers it for redaction before anyone sees it (so no log line carries it), and there is
// no idempotency key, whose stored result would keep it.
//
// What the embed scope may not do, although trusted authentication could: mint for a user who also belongs to an
// Organization outside the caller's, or for a cluster administrator or system principal (either would reach beyond
// the caller's tenants); create groups (ThoughtSpot creates unknown group names on the fly, which would be a
// directory write); put the user in a system group such as `Administrator`; or read the directory through the
// payload's user, whose lists a caller without `directory:read` may not select.

import { GraphQLError, type FieldNode, type FragmentDefinitionNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import type { EmbedRowLevelSecurityInput, EmbedTokenCreateInput, MutationResolvers } from '../../__generated__/resolvers-types.js';
import { allowsOrg, hasScope } from '../../auth/index.js';
import type { Context } from '../../context.js';
import { ErrorCode } from '../../errors/codes.js';
import { PRIMARY_ORG_ID } from '../../loaders/index.js';
import { ThoughtSpotRequestError, type OrgRecord, type TokenRecord, type UserParameters, type UserRecord } from '../../thoughtspot/index.js';
import type { UserErrorModel } from '../shared/audit.js';
import { nullIfNotFound } from '../shared/lists.js';
import { failed, mutate, userErrorOf, writableOrg } from '../shared/mutations.js';
import { decodeIdList, inListOrder, MAX_RELATIONSHIP_IDS, type Indexed } from '../shared/relationships.js';
import { selectedFieldNodes, selectsField } from '../shared/selection.js';

/** Longest username, display name, e-mail address, column, parameter or table name (ThoughtSpot's own limit). */
const MAX_TEXT = 255;
/** Most groups per list, filters, parameters, tables, and values of one filter or parameter. */
const MAX_ITEMS = MAX_RELATIONSHIP_IDS;
/** Shortest validity a caller may ask for (config.ts EMBED_TOKEN_MAX_VALIDITY_S explains the bound). */
const MIN_VALIDITY_S = 60;
/** ThoughtSpot's own default validity (CONTRACT.md §2.2), the default here too unless the maximum is lower. */
const THOUGHTSPOT_DEFAULT_VALIDITY_S = 300;
/** One `@` between two runs of anything but blanks and `@`: linear to match, and what ThoughtSpot needs. */
const EMAIL = /^[^\s@]+@[^\s@]+$/;

/** Mints a token with one `auth/token/full` in the Organization, after the checks above. */
export const embedTokenCreate: NonNullable<MutationResolvers['embedTokenCreate']> = (_root, { input }, ctx, info) =>
  mutate(
    ctx,
    {
      operation: 'embedTokenCreate',
      scope: 'directory:embed',
      target: { type: 'User', id: input.username },
      organizationId: input.organizationId,
      // What the audit event keeps of the input: who, where, which groups, how long (see the header).
      input: {
        username: input.username,
        organizationId: input.organizationId,
        groupIds: input.groupIds,
        groupNames: input.groupNames,
        validitySeconds: input.validitySeconds,
      },
    },
    async () => {
      if (!hasScope(ctx.caller, 'directory:read') && selectsUserLists(info)) {
        throw new GraphQLError(
          "Without the directory:read scope, embedTokenCreate's user may be selected only with its own fields, not its lists (organizations, groups, roles).",
          { extensions: { code: ErrorCode.FORBIDDEN, scope: 'directory:read' } },
        );
      }
      const errors: UserErrorModel[] = [];
      const { org, error } = await writableOrg(ctx, input.organizationId, ['input', 'organizationId']);
      if (org === null) errors.push(error);
      const username = input.username.trim();
      const usernameValid = username.length > 0 && username.length <= MAX_TEXT;
      if (!usernameValid) {
        errors.push({ field: ['input', 'username'], message: `A username is 1 to ${MAX_TEXT} characters, not only spaces.`, code: 'INVALID' });
      }
      const displayName = input.displayName?.trim();
      if (displayName !== undefined && (displayName.length === 0 || displayName.length > MAX_TEXT)) {
        errors.push({ field: ['input', 'displayName'], message: `A display name is 1 to ${MAX_TEXT} characters, not only spaces.`, code: 'INVALID' });
      }
      const email = input.email?.trim();
      if (email !== undefined && (email.length > MAX_TEXT || !EMAIL.test(email))) {
        errors.push({ field: ['input', 'email'], message: 'This is not an e-mail address.', code: 'INVALID' });
      }
      const groupNames = org === null ? null : await groupsOf(ctx, org, input, errors);
      const userParameters = input.rowLevelSecurity == null ? undefined : rowLevelSecurity(input.rowLevelSecurity, errors);
      const validitySeconds = validityOf(ctx, input.validitySeconds, errors);
      const existing = org === null || !usernameValid ? null : await existingUser(ctx, org, username, errors);
      if (org === null || errors.length > 0) return failed(errors);
      let record: TokenRecord;
      try {
        record = await ctx.client.mintUserToken({
          username,
          orgId: org.id,
          validitySeconds,
          autoCreate: true,
          // A new user needs a display name; an existing one keeps theirs unless the input gives another.
          ...(displayName !== undefined ? { displayName } : existing === null ? { displayName: username } : {}),
          ...(email === undefined ? {} : { email }),
          ...(groupNames === null ? {} : { groupIdentifiers: groupNames }),
          ...(userParameters === undefined ? {} : { userParameters }),
        });
      } catch (caught) {
        // Refused before it was sent: the deployment's credentials cannot mint for others (no secret key), which is
        // the operator's to fix, not the caller's.
        if (caught instanceof ThoughtSpotRequestError && caught.attempts === 0) throw caught;
        return failed([userErrorOf(caught, ['input'])]);
      }
      // The user as the mint left it: no row read before it may answer for it. (The mint changes no Organization and,
      // with every group checked to exist, creates no group, so the other loaders still hold.)
      ctx.loaders.userInOrg.clearAll();
      ctx.loaders.userByKey.clearAll();
      let user: UserRecord | Promise<UserRecord> | null = null;
      if (selectsField(info, 'user')) {
        const read = ctx.loaders.userInOrg.load({ orgId: org.id, by: 'id', value: record.userId });
        try {
          user = await read;
        } catch {
          // A failed read nulls the payload's `user` alone, with its error there (GraphQL awaits the rejected read
          // again when it resolves the field): the token minted is never lost to it.
          user = read;
        }
      }
      return { token: record.token, expiresAt: record.expiresAt, user, userErrors: [] };
    },
  );

/**
 * The names of the groups the user is to be in after the mint (ThoughtSpot replaces the user's groups in the token's
 * Organization with them), or null to leave them as they are. Groups are named by ID or by name; each must exist in
 * the Organization and not be a system group. ThoughtSpot is sent names: its JIT matches `group_identifiers` by
 * name (CONTRACT.md §9), and names are unique within an Organization.
 */
async function groupsOf(ctx: Context, org: OrgRecord, input: EmbedTokenCreateInput, errors: UserErrorModel[]): Promise<string[] | null> {
  if (input.groupIds == null && input.groupNames == null) return null;
  const ids = input.groupIds ?? [];
  const names = input.groupNames ?? [];
  const problems: Indexed[] = [];
  for (const [field, list] of [['groupIds', ids], ['groupNames', names]] as const) {
    if (list.length > MAX_ITEMS) problems.push({ index: -1, error: { field: ['input', field], message: `At most ${MAX_ITEMS} groups, but got ${list.length}.`, code: 'INVALID' } });
  }
  if (problems.length > 0) {
    errors.push(...inListOrder(problems));
    return null;
  }
  if (ids.length + names.length === 0) return [];
  const index = await ctx.loaders.groupIndex.load(org.id);
  const unknown = "No group with this ID exists in the token's Organization.";
  const decoded = decodeIdList(ctx, ids, { typename: 'Group', field: ['input', 'groupIds'], orgId: org.id, unknown });
  const byId = decoded.elements.map((element) => ({ index: element.index, group: index.byId.get(element.guid), field: 'groupIds' }));
  const idErrors = [...decoded.errors];
  const nameErrors: Indexed[] = [];
  const seen = new Map<string, number>();
  const byName = names.flatMap((name, at) => {
    const earlier = seen.get(name);
    if (earlier !== undefined) {
      nameErrors.push({ index: at, error: { field: ['input', 'groupNames', String(at)], message: `This name is already in the list, at index ${earlier}; give each name once.`, code: 'INVALID' } });
      return [];
    }
    seen.set(name, at);
    return [{ index: at, group: index.byName.get(name), field: 'groupNames' }];
  });
  const chosen = new Set<string>();
  for (const entry of [...byId, ...byName]) {
    const into = entry.field === 'groupIds' ? idErrors : nameErrors;
    const field = ['input', entry.field, String(entry.index)];
    if (entry.group === undefined) {
      const message = entry.field === 'groupIds' ? unknown : "No group with this name exists in the token's Organization.";
      into.push({ index: entry.index, error: { field, message, code: 'NOT_FOUND' } });
    } else if (entry.group.systemGroup) {
      const message = `"${entry.group.name}" is a system group, which an embed token cannot put a user in.`;
      into.push({ index: entry.index, error: { field, message, code: 'NOT_ALLOWED' } });
    } else chosen.add(entry.group.name);
  }
  errors.push(...inListOrder(idErrors), ...inListOrder(nameErrors));
  return [...chosen];
}

/** The input's row-level-security values as the adapter takes them; problems go to `errors`. */
function rowLevelSecurity(input: EmbedRowLevelSecurityInput, errors: UserErrorModel[]): UserParameters {
  const base = ['input', 'rowLevelSecurity'];
  const count = (field: string, list: readonly unknown[] | null | undefined): void => {
    if (list != null && list.length > MAX_ITEMS) errors.push({ field: [...base, field], message: `At most ${MAX_ITEMS}, but got ${list.length}.`, code: 'INVALID' });
  };
  const text = (field: readonly string[], value: string, what: string): string => {
    const trimmed = value.trim();
    if (trimmed.length === 0 || trimmed.length > MAX_TEXT) errors.push({ field: [...field], message: `${what} is 1 to ${MAX_TEXT} characters, not only spaces.`, code: 'INVALID' });
    return trimmed;
  };
  const values = (field: readonly string[], list: readonly string[]): string[] => {
    if (list.length === 0 || list.length > MAX_ITEMS) errors.push({ field: [...field, 'values'], message: `1 to ${MAX_ITEMS} values, but got ${list.length}.`, code: 'INVALID' });
    return [...list];
  };
  // A filter's or a parameter's name (in the input field `nameField`), values and persistence, checked.
  const entry = (at: readonly string[], nameField: string, name: string, what: string, item: { values: readonly string[]; persist?: boolean | null }) => ({
    name: text([...at, nameField], name, what),
    values: values(at, item.values),
    ...(item.persist == null ? {} : { persist: item.persist }),
  });
  count('runtimeFilters', input.runtimeFilters);
  count('parameters', input.parameters);
  count('tables', input.tables);
  return {
    ...(input.tables == null ? {} : { tables: input.tables.map((table, i) => text([...base, 'tables', String(i)], table, 'A table name or GUID')) }),
    ...(input.runtimeFilters == null
      ? {}
      : {
          runtimeFilters: input.runtimeFilters.map((filter, i) => {
            const { name, ...rest } = entry([...base, 'runtimeFilters', String(i)], 'columnName', filter.columnName, 'A column name', filter);
            return { columnName: name, operator: filter.operator, ...rest };
          }),
        }),
    ...(input.parameters == null
      ? {}
      : { parameters: input.parameters.map((parameter, i) => entry([...base, 'parameters', String(i)], 'name', parameter.name, 'A parameter name', parameter)) }),
  };
}

/** The validity to ask for: the caller's, within MIN_VALIDITY_S and the configured maximum, or the default. */
function validityOf(ctx: Context, requested: number | null | undefined, errors: UserErrorModel[]): number {
  const max = ctx.services.embedTokenMaxValidityS;
  if (requested == null) return Math.min(THOUGHTSPOT_DEFAULT_VALIDITY_S, max);
  if (requested < MIN_VALIDITY_S || requested > max) {
    errors.push({ field: ['input', 'validitySeconds'], message: `A token is valid for ${MIN_VALIDITY_S} to ${max} seconds, but got ${requested}.`, code: 'INVALID' });
  }
  return requested;
}

/** Privileges that make a user of the Primary Organization an administrator of the whole cluster (CONTRACT.md §8). */
const CLUSTER_ADMIN_PRIVILEGES: ReadonlySet<string> = new Set(['ADMINISTRATION', 'ORG_ADMINISTRATION']);

/**
 * The user with this username, if one exists, after checking that the caller may mint for them: every Organization
 * the user belongs to must be the caller's, and the user must not be an administrator of the cluster (a super user,
 * or an administrator of the Primary Organization) or a system principal. Usernames are cluster-wide, so the user's
 * Organizations are asked of ThoughtSpot directly (one `orgs/search`), not through the loaders, which see the
 * caller's Organizations only; nothing of the answer reaches the caller but the refusal. A failed read fails the
 * mutation: the check never lets a mint through because it could not look.
 */
async function existingUser(ctx: Context, org: OrgRecord, username: string, errors: UserErrorModel[]): Promise<UserRecord | null> {
  const field = ['input', 'username'];
  const homes = await ctx.client.searchOrgs({ orgId: PRIMARY_ORG_ID }, { userIdentifiers: [username] });
  if (homes.some((home) => !allowsOrg(ctx.caller, home.name))) {
    errors.push({ field, message: "This username belongs to a user of an Organization outside the caller's; no token can be minted for them.", code: 'NOT_ALLOWED' });
    return null;
  }
  // Read in the Primary Organization when the user is in it, where cluster administration shows in the privileges.
  const inPrimary = homes.some((home) => home.id === PRIMARY_ORG_ID);
  const home = inPrimary ? PRIMARY_ORG_ID : (homes.find((candidate) => candidate.id === org.id) ?? homes[0])?.id;
  if (home === undefined) return null;
  const user = await ctx.loaders.userInOrg.load({ orgId: home, by: 'name', value: username }).catch(nullIfNotFound);
  const administrator = inPrimary && user !== null && user.privileges.some((privilege) => CLUSTER_ADMIN_PRIVILEGES.has(privilege));
  if (user !== null && (administrator || user.superUser || user.systemUser || user.hidden)) {
    errors.push({ field, message: "This username belongs to one of the cluster's administrators or system principals; no token can be minted for them.", code: 'NOT_ALLOWED' });
  }
  return user;
}

/**
 * Whether the selection of the payload's `user` reaches beyond the user's own fields (any field with a selection of
 * its own: the Organizations, groups and roles lists), through fragments.
 */
function selectsUserLists(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>): boolean {
  const reaches = (set: SelectionSetNode, fragments: Readonly<Record<string, FragmentDefinitionNode>>, seen: Set<string>): boolean =>
    set.selections.some((selection) => {
      if (selection.kind === 'Field') return selection.selectionSet !== undefined;
      if (selection.kind === 'InlineFragment') return reaches(selection.selectionSet, fragments, seen);
      const fragment = fragments[selection.name.value];
      if (fragment === undefined || seen.has(selection.name.value)) return false;
      seen.add(selection.name.value);
      return reaches(fragment.selectionSet, fragments, seen);
    });
  return selectedFieldNodes(info, 'user').some((node: FieldNode) => node.selectionSet !== undefined && reaches(node.selectionSet, info.fragments, new Set()));
}
