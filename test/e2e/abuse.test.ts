// Named abuse cases over HTTP ("Safe to expose"): catastrophic patterns, cost limits refused before any upstream
// call, one representative of every input class of the error contract, the `_entities` crash, nonexistent
// Organizations in IDs, partial results under an upstream fault, and Apollo's own request errors.
//
// The subgraph and the emulator each run in a child process (support/hostile.ts), so a wedged event loop in either
// shows up here as a check that fails instead of a frozen test worker. Upstream calls are counted from the emulator's
// call log (token mints included: a refused query must not even mint a token).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/relay/global-id.js';
import { authHeader } from '../support/tokens.js';
import {
  CONNECTION_ID,
  clip,
  codesOf,
  errorsOf,
  exchange,
  gqlPost,
  invariantViolations,
  startHostileStack,
  type Exchange,
  type HostileStack,
  type HttpRequest,
  type WireError,
} from './support/hostile.js';

const NONEXISTENT_ORG = 424_242;
const ROLES_SEARCH = 'POST /api/rest/2.0/roles/search';

let stack: HostileStack;
/** A second stack for the catastrophic patterns: if they wedge a process, only this one is lost. */
let patternStack: HostileStack | undefined;
const localRejections: unknown[] = [];
const onLocalRejection = (reason: unknown) => localRejections.push(reason);

beforeAll(async () => {
  process.on('unhandledRejection', onLocalRejection);
  // No retries, so the partial-results test sees its injected failure at once instead of waiting out the backoff.
  [stack, patternStack] = await Promise.all([
    startHostileStack({ THOUGHTSPOT_MAX_RETRIES: '0' }),
    // A short upstream timeout: if the directory itself is wedged by a pattern, the subgraph says so promptly.
    startHostileStack({ THOUGHTSPOT_MAX_RETRIES: '0', THOUGHTSPOT_TIMEOUT_MS: '8000' }),
  ]);
}, 60_000);

afterAll(async () => {
  process.off('unhandledRejection', onLocalRejection);
  await Promise.all([stack?.close(), patternStack?.close()]);
});

const gid = (target: Parameters<typeof toGlobalId>[1]) => toGlobalId(CONNECTION_ID, target);
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

function post(query: string, variables?: Record<string, unknown>, target: HostileStack = stack): Promise<Exchange> {
  return exchange(target.url, gqlPost(variables === undefined ? { query } : { query, variables }));
}

function show(result: Exchange): string {
  return `HTTP ${result.status} ${clip(result.text, 1_500)}`;
}

/** Asserts the contract's invariants (no 5xx, coded errors, never INTERNAL_SERVER_ERROR) on one answer. */
function expectInvariants(result: Exchange, options: { upstreamAllowed?: boolean } = {}): void {
  expect(invariantViolations(result, options), show(result)).toEqual([]);
}

/** Asserts that every error has `code` (and there is at least one). */
function expectCode(result: Exchange, code: string): void {
  expectInvariants(result);
  const codes = codesOf(result);
  expect(codes.length, `expected ${code}: ${show(result)}`).toBeGreaterThan(0);
  expect(codes, show(result)).toEqual(codes.map(() => code));
}

/** Asserts a BAD_USER_INPUT that names `argument` (in `extensions.argumentName` and in the message). */
function expectBadArgument(result: Exchange, argument: string): void {
  expectCode(result, 'BAD_USER_INPUT');
  const naming = errorsOf(result).filter((e) => e.extensions?.['argumentName'] === argument && String(e.message).includes(argument));
  expect(naming.length, `expected a BAD_USER_INPUT naming "${argument}" (argumentName and message): ${show(result)}`).toBeGreaterThan(0);
}

/** Asserts a QUERY_TOO_COMPLEX refusal on `measure`, and returns the error. */
function expectTooComplex(result: Exchange, measure: string, limit: number): WireError {
  expectCode(result, 'QUERY_TOO_COMPLEX');
  const [error] = errorsOf(result);
  expect(error?.extensions, show(result)).toMatchObject({ code: 'QUERY_TOO_COMPLEX', measure, limit });
  expect((result.json as { data?: unknown }).data ?? null, 'a refused query returns no data').toBeNull();
  return error as WireError;
}

/** Runs `work` and returns its result with the emulator calls (token mints included) it caused. */
async function withUpstreamCalls<T>(target: HostileStack, work: () => Promise<T>): Promise<{ value: T; calls: { endpoint: string }[] }> {
  const since = await target.lastSeq();
  const value = await work();
  return { value, calls: await target.callsSince(since) };
}

describe('catastrophic name patterns', () => {
  const PATTERN = '%%%%%%%%%%%%%%%%x';

  it(
    `answers ${JSON.stringify(PATTERN)} on organizations, roles, groups and users while /health keeps answering`,
    async ({ onTestFailed }) => {
      const target = patternStack as HostileStack;
      const progress: string[] = [];
      onTestFailed(() => {
        // Printed when the test fails, timeouts included: which request answered, which never did.
        console.error(`catastrophic patterns, progress:\n${progress.join('\n') || '(nothing answered)'}\nsubgraph alive: ${target.subgraph.alive}\nsubgraph stderr: ${clip(target.subgraph.stderrTail(), 1_500)}`);
      });
      const fields = ['organizations', 'roles', 'groups', 'users'] as const;
      let inFlight = fields.length;
      const queries = fields.map(async (field) => {
        const leaf = field === 'users' ? 'username' : 'name';
        try {
          const result = await post(`{ ${field}(namePattern: ${JSON.stringify(PATTERN)}) { nodes { ${leaf} } } }`, undefined, target);
          progress.push(`${field}: ${show(result)}`);
          return { field, result };
        } catch (error) {
          progress.push(`${field}: no answer (${String(error)})`);
          return { field, result: undefined };
        } finally {
          inFlight -= 1;
        }
      });
      // /health, one probe after the other, for as long as a pattern query is in flight.
      const probes: { status: number | string; whileInFlight: boolean }[] = [];
      const prober = (async () => {
        await new Promise((resolve) => setImmediate(resolve));
        while (inFlight > 0) {
          try {
            const response = await fetch(new URL('health', target.url));
            probes.push({ status: response.status, whileInFlight: inFlight > 0 });
            progress.push(`/health: ${response.status}${inFlight > 0 ? ' (patterns in flight)' : ''}`);
          } catch (error) {
            probes.push({ status: String(error), whileInFlight: inFlight > 0 });
            break;
          }
        }
      })();
      const results = await Promise.all(queries);
      await prober;

      for (const { field, result } of results) {
        expect(result, `${field} never answered`).toBeDefined();
        const answer = result as Exchange;
        expectInvariants(answer, { upstreamAllowed: true });
        expect(errorsOf(answer), `${field}: ${show(answer)}`).toEqual([]);
        const data = (answer.json as { data?: Record<string, { nodes?: unknown[] } | null> }).data;
        expect(Array.isArray(data?.[field]?.nodes), `${field}: ${show(answer)}`).toBe(true);
      }
      expect(probes.every((p) => p.status === 200), JSON.stringify(probes)).toBe(true);
      expect(probes.filter((p) => p.whileInFlight).length, 'a /health probe answered while the patterns were in flight').toBeGreaterThan(0);
      expect((await fetch(new URL('health', target.url))).status).toBe(200);
    },
    // Generous: a healthy subgraph answers these in well under a second; a wedged one never does.
    20_000,
  );

  it('refuses a 100,000-character pattern with BAD_USER_INPUT naming the argument, on every list', async () => {
    const pattern = `%${'x'.repeat(99_998)}%`;
    const problems: string[] = [];
    for (const [field, viaVariable] of [
      ['organizations', false],
      ['roles', true],
      ['groups', false],
      ['users', true],
    ] as const) {
      const { value: result, calls } = await withUpstreamCalls(stack, () =>
        viaVariable
          ? post(`query ($p: String) { ${field}(namePattern: $p) { totalCount } }`, { p: pattern })
          : post(`{ ${field}(namePattern: ${JSON.stringify(pattern)}) { totalCount } }`),
      );
      // Every list is checked before the verdict, so one run reports all of them.
      const codes = codesOf(result);
      const naming = errorsOf(result).some((e) => e.extensions?.['argumentName'] === 'namePattern' && String(e.message).includes('namePattern'));
      const broken = [...invariantViolations(result)];
      if (codes.length === 0 || codes.some((c) => c !== 'BAD_USER_INPUT')) broken.push(`expected BAD_USER_INPUT, got [${codes.join(', ')}]`);
      else if (!naming) broken.push('the error does not name "namePattern" (argumentName and message)');
      if (calls.length > 0) broken.push(`the pattern reached ThoughtSpot: ${calls.map((c) => c.endpoint).join(', ')}`);
      if (broken.length > 0) problems.push(`${field}${viaVariable ? ' (variable)' : ' (literal)'}: ${broken.join(' | ')} — ${show(result)}`);
    }
    expect(problems, problems.join('\n')).toEqual([]);
  });
});

describe('static cost limits, refused before any upstream call', () => {
  it('1,000 distinct aliased lists → QUERY_TOO_COMPLEX (lists), no upstream call', async () => {
    const query = `{ ${Array.from({ length: 1_000 }, (_, i) => `a${i}: organizations(first: 1) { totalCount }`).join(' ')} }`;
    const { value: result, calls } = await withUpstreamCalls(stack, () => post(query));
    const error = expectTooComplex(result, 'lists', 50);
    expect(error.extensions?.['value'], show(result)).toBe(1_000);
    expect(calls, 'upstream calls made for a refused query').toEqual([]);
  });

  it('organizations(first:100) → groups → members → roles → users, 100 each → QUERY_TOO_COMPLEX (nodes), no upstream call', async () => {
    const query = `{ organizations(first: 100) { nodes { groups(first: 100) { nodes { members(first: 100) { nodes {
      roles(first: 100) { nodes { users(first: 100) { nodes { username } } } } } } } } } } }`;
    const { value: result, calls } = await withUpstreamCalls(stack, () => post(query));
    const error = expectTooComplex(result, 'nodes', 500_000);
    // GitHub's formula: 100 + 100² + 100³ + 100⁴ + 100⁵.
    expect(error.extensions?.['value'], show(result)).toBe(10_101_010_100);
    expect(calls, 'upstream calls made for a refused query').toEqual([]);
  });

  it('a 40-level deep query → QUERY_TOO_COMPLEX (depth), no upstream call', async () => {
    // organization(id:) + 10 hops groups/nodes/organization (3 levels) + 2 hops groups/edges/node/organization (4
    // levels) + name: 1 + 30 + 8 + 1 = 40 fields deep, 12 lists of one item each.
    const short = 'groups(first: 1) { nodes { organization {';
    const long = 'groups(first: 1) { edges { node { organization {';
    const open = `${short.repeat(10)} ${long.repeat(2)}`;
    const close = `${'} } } '.repeat(10)}${'} } } } '.repeat(2)}`;
    const query = `{ organization(id: ${JSON.stringify(gid({ typename: 'Organization', orgId: stack.facts.fixture.orgId }))}) { ${open} name ${close} } }`;
    const { value: result, calls } = await withUpstreamCalls(stack, () => post(query));
    const error = expectTooComplex(result, 'depth', 15);
    expect(error.extensions?.['value'], show(result)).toBe(40);
    expect(calls, 'upstream calls made for a refused query').toEqual([]);
  });
});

describe('every input class of the error contract gets its code', () => {
  const fixtureOrg = () => gid({ typename: 'Organization', orgId: stack.facts.fixture.orgId });
  const fixtureGroup = () => gid({ typename: 'Group', orgId: stack.facts.fixture.orgId, guid: stack.facts.fixture.groups[0]?.guid ?? '' });
  const cases: {
    name: string;
    request: () => HttpRequest;
    code: string;
    argument?: string;
    status?: number;
  }[] = [
    { name: 'syntax error', request: () => gqlPost({ query: '{ organizations(first: 1 { totalCount } }' }), code: 'GRAPHQL_PARSE_FAILED', status: 400 },
    { name: 'unknown field', request: () => gqlPost({ query: '{ organizations { nodes { password } } }' }), code: 'GRAPHQL_VALIDATION_FAILED', status: 400 },
    { name: 'wrong literal type', request: () => gqlPost({ query: '{ organizations(first: "ten") { totalCount } }' }), code: 'GRAPHQL_VALIDATION_FAILED', status: 400 },
    { name: 'unknown mutation', request: () => gqlPost({ query: 'mutation { userDrop(id: "x") { id } }' }), code: 'GRAPHQL_VALIDATION_FAILED', status: 400 },
    { name: 'subscription operation', request: () => gqlPost({ query: 'subscription { __typename }' }), code: 'GRAPHQL_VALIDATION_FAILED', status: 400 },
    { name: 'wrong variable type for first', request: () => gqlPost({ query: 'query ($n: Int) { organizations(first: $n) { totalCount } }', variables: { n: 'ten' } }), code: 'BAD_USER_INPUT' },
    { name: 'wrong variable type for last', request: () => gqlPost({ query: 'query ($n: Int) { users(last: $n) { totalCount } }', variables: { n: 2.5 } }), code: 'BAD_USER_INPUT' },
    { name: 'missing required variable', request: () => gqlPost({ query: 'query ($id: ID!) { node(id: $id) { id } }', variables: {} }), code: 'BAD_USER_INPUT' },
    { name: 'malformed id', request: () => gqlPost({ query: '{ node(id: "not-an-id") { id } }' }), code: 'BAD_USER_INPUT', argument: 'id' },
    // As a filter, an ID of another connection is refused; as a lookup (node, organization(id:)…) it finds nothing.
    { name: 'filter by an id of another connection', request: () => gqlPost({ query: `{ users(groupId: ${JSON.stringify(b64('v1:Group:prod:0:g'))}) { totalCount } }` }), code: 'BAD_USER_INPUT', argument: 'groupId' },
    { name: 'id of the wrong type', request: () => gqlPost({ query: `{ group(id: ${JSON.stringify(fixtureOrg())}) { id } }` }), code: 'BAD_USER_INPUT', argument: 'id' },
    { name: 'malformed cursor', request: () => gqlPost({ query: '{ organizations(first: 1, after: "garbage!") { totalCount } }' }), code: 'BAD_USER_INPUT', argument: 'after' },
    { name: 'forged cursor', request: () => gqlPost({ query: `{ users(first: 1, after: ${JSON.stringify(b64('c1:5:AAAAAAAAAAAA'))}) { totalCount } }` }), code: 'BAD_USER_INPUT', argument: 'after' },
    { name: 'page size above 100', request: () => gqlPost({ query: '{ groups(first: 101) { totalCount } }' }), code: 'BAD_USER_INPUT', argument: 'first' },
    { name: 'negative page size', request: () => gqlPost({ query: '{ roles(last: -1) { totalCount } }' }), code: 'BAD_USER_INPUT', argument: 'last' },
    { name: 'name over 255 characters', request: () => gqlPost({ query: `{ organizationByName(name: ${JSON.stringify('n'.repeat(256))}) { id } }` }), code: 'BAD_USER_INPUT', argument: 'name' },
    { name: 'pattern over 255 characters', request: () => gqlPost({ query: `{ users(namePattern: ${JSON.stringify(`${'p'.repeat(255)}%`)}) { totalCount } }` }), code: 'BAD_USER_INPUT', argument: 'namePattern' },
    { name: 'unknown Organization in a filter', request: () => gqlPost({ query: `{ users(organizationId: ${JSON.stringify(gid({ typename: 'Organization', orgId: NONEXISTENT_ORG }))}) { totalCount } }` }), code: 'BAD_USER_INPUT', argument: 'organizationId' },
    { name: 'foreign Organization in a filter', request: () => gqlPost({ query: `{ roles(organizationId: ${JSON.stringify(b64('v1:Organization:prod:0'))}) { totalCount } }` }), code: 'BAD_USER_INPUT', argument: 'organizationId' },
    { name: 'malformed _entities representation', request: () => gqlPost({ query: 'query ($r: [_Any!]!) { _entities(representations: $r) { __typename } }', variables: { r: [{ __typename: 'Group' }] } }), code: 'BAD_USER_INPUT', argument: 'representations' },
    { name: 'more than 100 ids in nodes(ids:)', request: () => gqlPost({ query: 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', variables: { ids: Array.from({ length: 101 }, () => fixtureGroup()) } }), code: 'BAD_USER_INPUT', argument: 'ids' },
    { name: 'invalid JSON body', request: () => ({ method: 'POST', path: '', headers: { 'content-type': 'application/json' }, body: '{"query": ' }), code: 'BAD_REQUEST', status: 400 },
    { name: 'missing query', request: () => gqlPost({ variables: {} }), code: 'BAD_REQUEST', status: 400 },
    { name: 'APQ with an unknown hash', request: () => gqlPost({ extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } } }), code: 'PERSISTED_QUERY_NOT_FOUND' },
    { name: 'static cost above a limit', request: () => gqlPost({ query: `{ ${Array.from({ length: 51 }, (_, i) => `a${i}: roles(first: 1) { totalCount }`).join(' ')} }` }), code: 'QUERY_TOO_COMPLEX' },
  ];

  for (const testCase of cases) {
    it(`${testCase.name} → ${testCase.code}${testCase.argument === undefined ? '' : ` naming "${testCase.argument}"`}`, async () => {
      const result = await exchange(stack.url, testCase.request());
      if (testCase.argument === undefined) expectCode(result, testCase.code);
      else expectBadArgument(result, testCase.argument);
      if (testCase.status !== undefined) expect(result.status, show(result)).toBe(testCase.status);
    });
  }
});

describe('_entities', () => {
  it('answers [{"__typename":"Group","id":[]},{}] with coded errors, and the process stays alive', async () => {
    const query = 'query ($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Group { name } } }';
    const result = await post(query, { r: [{ __typename: 'Group', id: [] }, {}] });
    expectCode(result, 'BAD_USER_INPUT');
    // The same shape with a valid representation in front (the original crash left its lookup's rejection
    // unhandled), and inline.
    const valid = { __typename: 'Group', id: gid({ typename: 'Group', orgId: stack.facts.fixture.orgId, guid: stack.facts.fixture.groups[0]?.guid ?? '' }) };
    expectCode(await post(query, { r: [valid, { __typename: 'Group', id: [] }, {}] }), 'BAD_USER_INPUT');
    expectCode(await post(query, { r: [valid, { __typename: 'Nope', id: 'x' }] }), 'BAD_USER_INPUT');
    expectCode(await post('{ _entities(representations: [{ __typename: "Group", id: [] }, {}]) { __typename } }'), 'BAD_USER_INPUT');
    // Give a stray rejection time to surface before asking the process about it.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(stack.subgraph.alive, `the subgraph exited: ${JSON.stringify(stack.subgraph.exit)} ${stack.subgraph.stderrTail()}`).toBe(true);
    expect((await fetch(new URL('health', stack.url))).status).toBe(200);
    expect((await stack.diagnostics()).unhandledRejections).toEqual([]);
  });
});

describe('IDs naming an Organization that does not exist', () => {
  const groupId = () => gid({ typename: 'Group', orgId: NONEXISTENT_ORG, guid: stack.facts.fixture.groups[0]?.guid ?? '' });
  const roleId = () => gid({ typename: 'Role', orgId: NONEXISTENT_ORG, guid: stack.facts.fixture.roles[0]?.guid ?? '' });

  it('are null for lookups: group(id:), role(id:), node(id:), nodes(ids:)', async () => {
    const result = await post(
      `query ($g: ID!, $r: ID!) { group(id: $g) { id } role(id: $r) { id } g: node(id: $g) { id } r: node(id: $r) { id } nodes(ids: [$g, $r]) { id } }`,
      { g: groupId(), r: roleId() },
    );
    expectInvariants(result);
    expect(errorsOf(result), show(result)).toEqual([]);
    expect((result.json as { data: unknown }).data).toEqual({ group: null, role: null, g: null, r: null, nodes: [null, null] });
  });

  it('are BAD_USER_INPUT naming the argument in filters', async () => {
    const org = gid({ typename: 'Organization', orgId: NONEXISTENT_ORG });
    expectBadArgument(await post('query ($o: ID) { groups(organizationId: $o) { totalCount } }', { o: org }), 'organizationId');
    expectBadArgument(await post('query ($o: ID) { roles(organizationId: $o) { totalCount } }', { o: org }), 'organizationId');
    expectBadArgument(await post('query ($r: ID) { groups(roleId: $r) { totalCount } }', { r: roleId() }), 'roleId');
    expectBadArgument(await post('query ($g: ID) { roles(groupId: $g) { totalCount } }', { g: groupId() }), 'groupId');
    expectBadArgument(await post('query ($g: ID) { users(groupId: $g) { totalCount } }', { g: groupId() }), 'groupId');
  });
});

describe('mutation and subscription operations', () => {
  for (const query of ['mutation CreateUser { createUser(name: "x") { id } }', 'subscription { __typename }', 'subscription OnUser { userChanged { id } }']) {
    it(`${query} → GRAPHQL_VALIDATION_FAILED (HTTP 400)`, async () => {
      const result = await post(query);
      expectCode(result, 'GRAPHQL_VALIDATION_FAILED');
      expect(result.status, show(result)).toBe(400);
    });
  }
});

describe("Apollo's own request errors keep their codes over HTTP", () => {
  it('a syntax error is GRAPHQL_PARSE_FAILED', async () => {
    const result = await post('{ organizations { ');
    expectCode(result, 'GRAPHQL_PARSE_FAILED');
    expect(errorsOf(result)[0]?.message, 'the message is Apollo’s, not masked').toMatch(/Syntax Error/);
  });

  it('an unknown field is GRAPHQL_VALIDATION_FAILED', async () => {
    const result = await post('{ organizations { nodes { nope } } }');
    expectCode(result, 'GRAPHQL_VALIDATION_FAILED');
    expect(errorsOf(result)[0]?.message).toMatch(/Cannot query field "nope"/);
  });

  it('a bad variable is BAD_USER_INPUT', async () => {
    const result = await post('query ($n: Int) { organizations(first: $n) { totalCount } }', { n: 'x' });
    expectCode(result, 'BAD_USER_INPUT');
    expect(errorsOf(result)[0]?.message).toMatch(/Variable "\$n" got invalid value/);
  });

  it('a GET query refused by CSRF prevention is BAD_REQUEST', async () => {
    const url = new URL(`?query=${encodeURIComponent('{ organizations { totalCount } }')}`, stack.url);
    // Authenticated, so the refusal is the CSRF prevention's and not the missing token's.
    const response = await fetch(url, { headers: await authHeader() });
    const text = await response.text();
    const result: Exchange = { status: response.status, contentType: response.headers.get('content-type'), text, json: JSON.parse(text) as unknown };
    expectCode(result, 'BAD_REQUEST');
    expect(result.status).toBe(400);
    expect(errorsOf(result)[0]?.message).toMatch(/Cross-Site Request Forgery/);
  });

  it('an unknown APQ hash is PERSISTED_QUERY_NOT_FOUND', async () => {
    const result = await exchange(stack.url, gqlPost({ extensions: { persistedQuery: { version: 1, sha256Hash: 'e'.repeat(64) } } }));
    expectCode(result, 'PERSISTED_QUERY_NOT_FOUND');
  });
});

describe('partial results', () => {
  it('a failing roles/search nulls only the roles, with UPSTREAM_UNAVAILABLE at their path', async () => {
    // Persistent: every attempt fails (and THOUGHTSPOT_MAX_RETRIES=0 keeps it to one attempt per call).
    await stack.fault(ROLES_SEARCH, { status: 503 });
    try {
      const result = await post('{ organizations(first: 3) { nodes { name groups(first: 5) { nodes { name } } roles(first: 5) { nodes { name } } } } }');
      expectInvariants(result, { upstreamAllowed: true });
      type Org = { name?: unknown; groups?: { nodes?: unknown[] } | null; roles?: unknown };
      const nodes = (result.json as { data?: { organizations?: { nodes?: Org[] } | null } | null }).data?.organizations?.nodes;
      expect(nodes?.length, show(result)).toBe(3);
      for (const [i, org] of (nodes ?? []).entries()) {
        expect(typeof org.name, `organizations.nodes[${i}].name: ${show(result)}`).toBe('string');
        expect(Array.isArray(org.groups?.nodes), `organizations.nodes[${i}].groups: ${show(result)}`).toBe(true);
        expect(org.roles, `organizations.nodes[${i}].roles: ${show(result)}`).toBeNull();
      }
      const errors = errorsOf(result);
      for (let i = 0; i < 3; i++) {
        const atRoles = errors.filter((e) => JSON.stringify(e.path) === JSON.stringify(['organizations', 'nodes', i, 'roles']));
        expect(atRoles.map((e) => e.extensions?.['code']), `an error at organizations.nodes.${i}.roles: ${show(result)}`).toEqual(['UPSTREAM_UNAVAILABLE']);
      }
      expect(errors.every((e) => Array.isArray(e.path) && e.path.at(-1) === 'roles'), `only the roles fail: ${show(result)}`).toBe(true);
    } finally {
      await stack.resetEmulator();
    }
  });
});

describe('afterwards', () => {
  it('the process is alive: /health and a simple query answer, and nothing was left unhandled', async () => {
    expect(stack.subgraph.alive, `the subgraph exited: ${JSON.stringify(stack.subgraph.exit)} ${stack.subgraph.stderrTail()}`).toBe(true);
    const health = await fetch(new URL('health', stack.url));
    expect(health.status).toBe(200);
    const simple = await post('{ organizations(first: 1) { totalCount nodes { name } } }');
    expectInvariants(simple);
    expect(errorsOf(simple), show(simple)).toEqual([]);
    expect((await stack.diagnostics()).unhandledRejections, 'unhandled rejections in the subgraph process').toEqual([]);
    expect(localRejections, 'unhandled rejections in the suite process').toEqual([]);
  });
});
