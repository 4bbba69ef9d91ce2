// Helpers for mutation tests: callers with chosen scopes and Organizations, running one mutation inside
// `TestStack.measure`, reading its payload, its writes upstream and its audit events.

import { randomBytes } from 'node:crypto';
import type { FormattedExecutionResult } from 'graphql';
import { beforeAll, expect } from 'vitest';
import type { Caller, Scope } from '../../src/auth/index.js';
import type { GroupRec, OrgRec, RoleRec, UserRec } from '../../src/emulator/domain/index.js';
import { toGlobalId } from '../../src/relay/global-id.js';
import { addFixtureOrg, type FixtureOrg } from './fixtures.js';
import { executeSingle } from './graphql.js';
import type { Measured, TestStack } from './harness.js';

/** The connection id of the test stack (harness.ts), part of every global ID. */
const CONNECTION = 'test';

/** Global IDs of emulator records, as the test stack's subgraph issues them. */
export const globalIds = {
  user: (user: Pick<UserRec, 'id'>): string => toGlobalId(CONNECTION, { typename: 'User', guid: user.id }),
  group: (group: Pick<GroupRec, 'id' | 'orgId'>): string => toGlobalId(CONNECTION, { typename: 'Group', orgId: group.orgId, guid: group.id }),
  role: (role: Pick<RoleRec, 'id' | 'orgId'>): string => toGlobalId(CONNECTION, { typename: 'Role', orgId: role.orgId, guid: role.id }),
  org: (org: Pick<OrgRec, 'id'>): string => toGlobalId(CONNECTION, { typename: 'Organization', orgId: org.id }),
};

/** A GUID no object has. */
export const NO_SUCH_GUID = '5f0c1e2d-0000-4000-8000-000000000000';

/** An audit event as tests compare it. */
export interface AuditLine {
  readonly operation: string;
  readonly outcome: string;
  readonly errorCode: string | null;
  readonly organization: string | null;
  readonly input: unknown;
}

/** Mutation helpers bound to one test stack. */
export interface MutationHelpers {
  /** A caller with a fresh subject (so its audit events are its own), these scopes and these Organizations. */
  caller(scopes?: readonly Scope[], orgs?: Caller['orgs']): Caller;
  /** Runs `mutation(input: $input) { <selection> userErrors { field message code } }` as `as`, measured. */
  run(mutation: string, selection: string, input: Record<string, unknown>, as: Caller): Promise<Measured<FormattedExecutionResult>>;
  /** The payload of `mutation` in a result that must have no top-level error. */
  payload(result: FormattedExecutionResult, mutation: string): Record<string, unknown>;
  /** The request bodies of the measured calls to `endpoint` (e.g. `users/create`). */
  writes(measured: Measured<unknown>, endpoint: string): unknown[];
  /** The top-level error codes of a result. */
  errorCodes(result: FormattedExecutionResult): unknown[];
  /** The caller's audit events, oldest first. */
  audit(as: Caller): Promise<AuditLine[]>;
}

/** Binds the helpers to `stack`; `prefix` names the test file's callers. */
export function mutationHelpers(stack: TestStack, prefix: string, defaultOrgs: Caller['orgs']): MutationHelpers {
  return {
    caller: (scopes = ['directory:write'], orgs = defaultOrgs) => ({
      subject: `${prefix}-${randomBytes(4).toString('hex')}`,
      scopes: new Set(scopes),
      orgs,
      connectionId: null,
    }),
    async run(mutation, selection, input, as) {
      const inputType = `${mutation[0]?.toUpperCase() ?? ''}${mutation.slice(1)}Input`;
      const query = `mutation ($input: ${inputType}!) { ${mutation}(input: $input) { ${selection} userErrors { field message code } } }`;
      return stack.measure(() => executeSingle(stack.app, { query, variables: { input } }, { caller: as }));
    },
    payload(result, mutation) {
      expect(result.errors).toBeUndefined();
      return (result.data as Record<string, Record<string, unknown>>)[mutation] as Record<string, unknown>;
    },
    writes: (measured, endpoint) => measured.records.filter((record) => record.endpoint === `POST /api/rest/2.0/${endpoint}`).map((record) => record.body),
    errorCodes: (result) => (result.errors ?? []).map((error) => error.extensions?.['code']),
    async audit(as) {
      const events = await stack.app.store.audit.list({ actor: as.subject });
      return events.edges
        .map(({ node }) => ({
          operation: node.operation,
          outcome: node.outcome,
          errorCode: node.errorCode,
          organization: node.organization?.name ?? null,
          input: node.input,
        }))
        .reverse();
    },
  };
}

/**
 * Fixture Orgs (fixtures.ts `addFixtureOrg`, by name and user count) added to the stack's emulator before the file's
 * tests; the returned record is filled in then, so read it inside tests only.
 */
export function useFixtureOrgs<K extends string>(stack: TestStack, specs: Readonly<Record<K, readonly [name: string, users: number]>>): Readonly<Record<K, FixtureOrg>> {
  const orgs = {} as Record<K, FixtureOrg>;
  beforeAll(() => {
    for (const key of Object.keys(specs) as K[]) {
      const [name, users] = specs[key];
      orgs[key] = addFixtureOrg(stack.emulator, name, users);
    }
  });
  return orgs;
}
