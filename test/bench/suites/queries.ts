// Benchmark of the read path's four canonical queries (`npm run bench -- queries`), against the emulator with 20 ms
// added to every upstream call. For each query it reports the upstream calls one execution makes (token mints
// excluded: the adapter caches tokens across requests, so only a cold start mints, and that count is shown apart),
// the contract's minimum for the same answer (argued below, query by query), the critical path (levels of
// dependent upstream calls × 20 ms: no implementation can answer faster over this link), and the measured median
// and p99 latency over repeated runs. Client-side rate limiting is off (THOUGHTSPOT_RATE_LIMIT_RPS=0 in the harness)
// so the figures show the batching, not the pacing.

import { toGlobalId } from '../../../src/relay/global-id.js';
import type { UserRec } from '../../../src/emulator/domain/index.js';
import { addFixtureOrg, addLargeGroup } from '../../support/fixtures.js';
import { callsSince, executeData, isTokenMint, lastSeq, type Operation } from '../../support/graphql.js';
import { startTestStack, type TestStack } from '../../support/harness.js';
import { orgNamed } from '../../support/oracle.js';

const LATENCY_MS = 20;

interface Canonical {
  readonly name: string;
  /** One execution: one request, or several (a paging walk). */
  readonly execute: (stack: TestStack) => Promise<void>;
  readonly iterations: number;
  /** The fewest upstream calls the contract allows for this answer on this data, and why. */
  readonly minimum: (stack: TestStack) => number;
  /** Levels of dependent upstream calls in the plan the subgraph runs (the critical path is levels × latency). */
  readonly levels: number;
}

function percentile(sorted: readonly number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] as number;
}

async function data(stack: TestStack, operation: Operation): Promise<unknown> {
  return executeData(stack.app, operation);
}

/** The users a query's answer holds, to count the Orgs the contract makes us visit. */
function orgsOf(users: readonly UserRec[]): Set<number> {
  return new Set(users.flatMap((user) => [...user.orgIds]));
}

export async function run(): Promise<void> {
  const stack = await startTestStack({ seed: 'demo', latencyMs: LATENCY_MS });
  try {
    const state = stack.emulator.state;
    // Named to sort after the demo tenants, so query 1's `organizations(first: 3)` reads three demo tenants.
    const fixture = addFixtureOrg(stack.emulator, 'Xenon-Bench', 60);
    const thousand = addLargeGroup(stack.emulator, fixture.org, 'Thousand', 1000);
    const thousandId = toGlobalId('test', { typename: 'Group', orgId: thousand.orgId, guid: thousand.id });

    // Query 2 and 4 inputs: 100 listed users taken across the cluster, by username.
    const hundred = [...state.users.values()].filter((u) => !u.hidden && u.orgIds.size > 0 && !u.name.startsWith('xenon-bench') && !u.name.startsWith('thousand')).sort((a, b) => (a.name < b.name ? -1 : 1)).slice(0, 100);
    const hundredIds = hundred.map((u) => toGlobalId('test', { typename: 'User', guid: u.id }));
    const q1Orgs = [...state.orgs.values()].sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : 1)).slice(0, 3);

    const Q1 = `{ organizations(first: 3) { nodes { name groups(first: 10) { nodes { name
      members(first: 20) { nodes { username roles { nodes { name } } } } } } } } }`;

    const canonical: Canonical[] = [
      {
        name: '1. 3 Orgs → 10 groups → 20 members → effective roles',
        iterations: 40,
        execute: async (s) => {
          await data(s, { query: Q1 });
        },
        // orgs/search lists the Orgs (1). groups/search and users/search answer in one token's Org, so each level
        // costs one call per Org (3 + 3); the member lists of a level share one call through group_identifiers.
        // Effective roles need every role definition of every Org a member belongs to (roles/search per Org, R),
        // and each member's groups in an Org other than the one it was read in, which only that Org's token shows
        // (users/search per such Org, V). The subgraph spends more than this minimum on purpose: an Org that views
        // at most THOUGHTSPOT_USER_LOOKUP_MAX_KEYS (10) of the members gets one identifier search per member instead
        // of a read of its whole user list, which on a large Org would bring thousands of rows for a handful.
        minimum: (s) => {
          const members = new Set<UserRec>();
          for (const org of q1Orgs) {
            const groups = [...org.groups.values()].sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : a.name.toLowerCase() > b.name.toLowerCase() ? 1 : a.id < b.id ? -1 : 1)).slice(0, 10);
            for (const group of groups) {
              const listed = s.emulator.state.sortedOrgMembers(org.id, 'NAME');
              const inGroup = group.builtIn === 'ALL' ? listed : listed.filter((u) => u.groupIds.has(group.id));
              for (const user of inGroup.slice(0, 20)) members.add(user);
            }
          }
          const orgs = orgsOf([...members]);
          const readIn = new Set(q1Orgs.map((o) => o.id));
          const otherViews = [...orgs].filter((id) => !readIn.has(id)).length;
          return 1 + 3 + 3 + orgs.size + otherViews;
        },
        levels: 4,
      },
      {
        name: '2. 100 users by nodes(ids:) with their groups',
        iterations: 40,
        execute: async (s) => {
          await data(s, { query: 'query ($ids: [ID!]!) { nodes(ids: $ids) { ... on User { username groups { nodes { name } } } } }', variables: { ids: hundredIds } });
        },
        // There is no batch-get: users are listed per Org (users/search per Org holding them, S), and which Orgs
        // hold them is one orgs/search with user_identifiers (1). Their groups need each Org's group list
        // (groups/search per Org, S again: groups have no id array filter either).
        minimum: () => 1 + 2 * orgsOf(hundred).size,
        levels: 3,
      },
      {
        name: '3. one group, 1,000 members, 100 a page (10 requests)',
        iterations: 15,
        execute: async (s) => {
          let after: string | null = null;
          for (let page = 0; page < 20; page++) {
            const result = (await data(s, {
              query: 'query ($id: ID!, $after: String) { group(id: $id) { members(first: 100, after: $after) { nodes { username } pageInfo { hasNextPage endCursor } } } }',
              variables: { id: thousandId, after },
            })) as { group: { members: { pageInfo: { hasNextPage: boolean; endCursor: string | null } } } };
            if (!result.group.members.pageInfo.hasNextPage) return;
            after = result.group.members.pageInfo.endCursor;
          }
          throw new Error('the walk did not end after 20 pages');
        },
        // Per page: one users/search (offset paging; a page is only reachable by offset) and one group lookup
        // (group(id:) must answer null for a missing group, and an empty member search cannot tell a missing group
        // from an empty one). 10 pages × 2, each page two dependent levels.
        minimum: () => 20,
        levels: 20,
      },
      {
        name: '4. _entities for 100 users referenced by a host subgraph',
        iterations: 40,
        execute: async (s) => {
          await data(s, {
            query: 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on User { username displayName } } }',
            variables: { r: hundred.map((u) => ({ __typename: 'User', username: u.name })) },
          });
        },
        // Which Orgs hold the users (orgs/search, 1), then each of those Orgs' user list (users/search, S): 100
        // users are more than the subgraph looks up one by one, and each demo Org's list is one scan page.
        minimum: () => 1 + orgsOf(hundred).size,
        levels: 2,
      },
    ];

    const rows: string[][] = [];
    for (const query of canonical) {
      // A cold first run mints one token per Org it touches; measured runs reuse the adapter's cached tokens.
      const coldSince = lastSeq(stack.emulator);
      await query.execute(stack);
      const mints = stack.emulator.calls((c) => c.seq > coldSince && isTokenMint(c)).length;
      const durations: number[] = [];
      let calls: Record<string, number> = {};
      let total = -1;
      for (let i = 0; i < query.iterations; i++) {
        const since = lastSeq(stack.emulator);
        const started = performance.now();
        await query.execute(stack);
        durations.push(performance.now() - started);
        const counted = callsSince(stack.emulator, since);
        const sum = Object.values(counted).reduce((a, b) => a + b, 0);
        if (total !== -1 && sum !== total) throw new Error(`${query.name}: upstream calls varied between runs (${total} then ${sum}).`);
        total = sum;
        calls = counted;
      }
      durations.sort((a, b) => a - b);
      const minimum = query.minimum(stack);
      rows.push([
        query.name,
        `${total} (${Object.entries(calls).map(([k, v]) => `${v} ${k}`).join(', ')})`,
        String(minimum),
        String(mints),
        `${query.levels} × ${LATENCY_MS} = ${query.levels * LATENCY_MS} ms`,
        `${percentile(durations, 50).toFixed(0)} ms`,
        `${percentile(durations, 99).toFixed(0)} ms`,
      ]);
    }
    const header = ['query', 'upstream calls', 'contract minimum', 'token mints (cold)', 'critical path', 'median', 'p99'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
    const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')} |`;
    process.stdout.write(
      [
        `Canonical queries, emulator (demo seed, plus a fixture Org with a 1,000-member group), ${LATENCY_MS} ms added per upstream call, Node ${process.versions.node}`,
        line(header),
        `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
        ...rows.map(line),
        `Q1 reads ${q1Orgs.map((o) => orgNamed(state, o.name).name).join(', ')}; Q2 and Q4 read 100 users spanning ${orgsOf(hundred).size} Orgs.`,
        '',
      ].join('\n'),
    );
  } finally {
    await stack.close();
  }
}
