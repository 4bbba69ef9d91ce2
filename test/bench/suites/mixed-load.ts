// Mixed load (`npm run bench -- mixed-load`; `MIXED_SECONDS=20 MIXED_CLIENTS=10` for a short run): MIXED_CLIENTS (50)
// closed-loop HTTP clients for MIXED_SECONDS (60) of nested queries and mutations, on loopback, bounded.
//
// Processes: the emulator CLI in one child (load.ts `startEmulatorHandle`: demo seed, ThoughtSpot's documented limit
// on: 100 requests/s per client IP, burst 10), the subgraph in another (measure.ts `startSubgraphProcess`: src
// transpiled, plain node, NODE_ENV=production) with every production default, client-side pacing included (90
// calls/s, burst 5, 16 in flight, 25 s request deadline, 250 upstream calls per request), and the load driver here.
// Callers present bearer tokens of a caller with every scope (test JWT settings, test/support/tokens.ts).
//
// Set-up (not measured): `tenantApply` provisions a fixture tenant, Organization "Zz-Load-Fixture" (named to sort
// after the demo tenants, so the nested queries read the same data all run long) with a role, two groups and 40
// users; the IDs the workload needs are read back through GraphQL. Then each kind of request runs once, then
// MIXED_WARMUP_SECONDS (10) of the full load (counted and checked, but outside the measured window), then the
// measured window. Each client draws its next request from a seeded generator:
//
//   20 %  Q1: organizations(3) → groups(10) → members(20) → roles(10), 13 upstream calls
//   10 %  Q2: nodes(ids:) of 100 users { groups(first: 10) { id name } }
//   25 %  a lookup: a user with its groups, a group with members and roles, an Organization by name with groups
//   25 %  the next step of the client's own group cycle in the fixture tenant: groupCreate (unique name, an
//         idempotency key) → groupMembersAdd (3 fixture users) → groupMembersRemove (the same 3) → groupDelete; the
//         payloads read the group back (members, totalCount), so each write is also a nested read
//   10 %  tenantPlan of the fixture tenant plus one new group (a unique name): one CREATE_GROUP change, no write
//   10 %  tenantApply of the client's own small part of the fixture tenant (one group and one user it declares),
//         with a new description and display name each time: UPDATE_GROUP and UPDATE_USER, written for real
//
// The workload is designed so a correct subgraph never fails it: every ID exists, every name is unique, no two
// clients write the same object, and the directory does not grow (groups are deleted again, applies update in
// place). So the verdicts are strict: failed requests (any GraphQL error, a non-200 answer, no answer) must be 0,
// mutations answering `userErrors` must be 0, and unexpected payloads (a null group, a run that did not succeed)
// must be 0. Latency: p50, p95, p99 over the measured window's requests (by start time; requests in flight at the
// end are awaited and counted). Memory: the subgraph's RSS read from /proc every MIXED_RSS_SAMPLE_MS (250) by this
// process (outside the subgraph's event loop), the mean of the first 10 s of the window against the mean of the
// last 10 s (flat: last ÷ first within 1.25×), beside the heap after a forced GC before and after the load. The
// emulator's own call log gives the upstream rate and its 429s (the adapter retries those, so they fail nothing).

import { mulberry32 } from '../../support/random.js';
import { createGraphQLClient, emulatorWindow, envInteger, formatCounts, increment, ms, percentile, sortedCopy, startEmulatorHandle, table, type Exchange, type GraphQLClient } from '../support/load.js';
import { startSubgraphProcess } from '../support/measure.js';
import { sampleRss, type RssSample } from '../support/proc.js';
import { record, type ReportTable } from '../support/report.js';

const MB = 1_000_000;
const FLAT_LIMIT = 1.25;
const EDGE_SECONDS = 10;
const FIXTURE_ORG = 'Zz-Load-Fixture';
const FIXTURE_USERS = 40;
const SEED = 20_261_130;

const settings = {
  clients: envInteger('MIXED_CLIENTS', 50),
  seconds: envInteger('MIXED_SECONDS', 60),
  warmupSeconds: envInteger('MIXED_WARMUP_SECONDS', 10, 0),
  rssSampleMs: envInteger('MIXED_RSS_SAMPLE_MS', 250),
  runtime: process.env['MIXED_RUNTIME'] === 'tsx' ? ('tsx' as const) : ('compiled' as const),
};

const Q1 =
  'query Nested { organizations(first: 3) { nodes { name groups(first: 10) { nodes { name ' +
  'members(first: 20) { nodes { username roles(first: 10) { nodes { name } } } } } } } } }';
const Q2 = 'query Nodes($ids: [ID!]!) { nodes(ids: $ids) { ... on User { username groups(first: 10) { nodes { id name } } } } }';
const USER_LOOKUP = 'query User($id: ID!) { user(id: $id) { username displayName groups(first: 5) { nodes { name } } } }';
const GROUP_LOOKUP =
  'query Group($id: ID!) { group(id: $id) { name members(first: 10) { totalCount nodes { username } } roles(first: 5) { nodes { name } } } }';
const ORG_LOOKUP = 'query Org($name: String!) { organizationByName(name: $name) { name groups(first: 5) { nodes { name } } } }';
const USER_ERRORS = 'userErrors { field message code }';
const GROUP_CREATE = `mutation Create($input: GroupCreateInput!) { groupCreate(input: $input) { group { id name members(first: 5) { totalCount } } ${USER_ERRORS} } }`;
const MEMBERS_ADD = `mutation Add($input: GroupMembersAddInput!) { groupMembersAdd(input: $input) { group { id members(first: 10) { totalCount nodes { username } } } ${USER_ERRORS} } }`;
const MEMBERS_REMOVE = `mutation Remove($input: GroupMembersRemoveInput!) { groupMembersRemove(input: $input) { group { id members(first: 10) { totalCount nodes { username } } } ${USER_ERRORS} } }`;
const GROUP_DELETE = `mutation Delete($input: GroupDeleteInput!) { groupDelete(input: $input) { deletedGroupId ${USER_ERRORS} } }`;
const PLAN = `mutation Plan($input: TenantBlueprintInput!) { tenantPlan(input: $input) { changes { index action target { type name } } ${USER_ERRORS} } }`;
const APPLY = `mutation Apply($input: TenantBlueprintInput!) { tenantApply(input: $input) { runId status results { status reason } ${USER_ERRORS} } }`;

/** What the workload reads and writes, found through GraphQL at set-up. */
interface Targets {
  readonly fixtureOrgId: string;
  readonly fixtureUserIds: readonly string[];
  readonly hundredIds: readonly string[];
  readonly userIds: readonly string[];
  readonly groupIds: readonly string[];
  readonly orgNames: readonly string[];
}

/** One request of the workload: what to send, and how to judge its data. */
interface Step {
  readonly kind: string;
  readonly query: string;
  readonly variables?: Record<string, unknown>;
  /** For mutations: the payload's field, its userErrors checked, and what else must hold (a message when it does not). */
  readonly payload?: string;
  readonly check?: (payload: Record<string, unknown>) => string | null;
  /** Called with the payload when the answer was clean (the group cycle advances). */
  readonly after?: (payload: Record<string, unknown>) => void;
}

/** The per-client generator of requests. */
function workload(targets: Targets, client: number, runTag: string): () => Step {
  const random = mulberry32(SEED + client);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  let seq = 0;
  let applies = 0;
  // The client's group cycle: created → members added → removed → deleted.
  let group: { id: string; members: string[] | null; removed: boolean } | null = null;

  const groupStep = (): Step => {
    seq += 1;
    if (group === null) {
      const name = `lg-${runTag}-${client}-${seq}`;
      return {
        kind: 'groupCreate',
        query: GROUP_CREATE,
        variables: { input: { organizationId: targets.fixtureOrgId, name, description: 'mixed-load', idempotencyKey: `mixed-${runTag}-${client}-${seq}` } },
        payload: 'groupCreate',
        check: (p) => ((p['group'] as { name?: string } | null)?.name === name ? null : 'groupCreate: no group'),
        after: (p) => {
          group = { id: (p['group'] as { id: string }).id, members: null, removed: false };
        },
      };
    }
    const current = group;
    if (current.members === null) {
      const members = [...new Set([pick(targets.fixtureUserIds), pick(targets.fixtureUserIds), pick(targets.fixtureUserIds)])];
      return {
        kind: 'groupMembersAdd',
        query: MEMBERS_ADD,
        variables: { input: { groupId: current.id, userIds: members } },
        payload: 'groupMembersAdd',
        check: (p) => {
          const count = (p['group'] as { members?: { totalCount?: number } } | null)?.members?.totalCount;
          return count === members.length ? null : `groupMembersAdd: totalCount ${String(count)}, expected ${members.length}`;
        },
        after: () => {
          current.members = members;
        },
      };
    }
    if (!current.removed) {
      return {
        kind: 'groupMembersRemove',
        query: MEMBERS_REMOVE,
        variables: { input: { groupId: current.id, userIds: current.members } },
        payload: 'groupMembersRemove',
        check: (p) => {
          const count = (p['group'] as { members?: { totalCount?: number } } | null)?.members?.totalCount;
          return count === 0 ? null : `groupMembersRemove: totalCount ${String(count)}, expected 0`;
        },
        after: () => {
          current.removed = true;
        },
      };
    }
    return {
      kind: 'groupDelete',
      query: GROUP_DELETE,
      variables: { input: { id: current.id } },
      payload: 'groupDelete',
      check: (p) => (p['deletedGroupId'] === current.id ? null : 'groupDelete: another or no deletedGroupId'),
      after: () => {
        group = null;
      },
    };
  };

  const plan = (): Step => {
    seq += 1;
    return {
      kind: 'tenantPlan',
      query: PLAN,
      variables: { input: { organization: { name: FIXTURE_ORG }, groups: [{ name: `TP-${runTag}-${client}-${seq}` }] } },
      payload: 'tenantPlan',
      check: (p) => {
        const changes = p['changes'] as { action: string }[] | null;
        return changes?.length === 1 && changes[0]?.action === 'CREATE_GROUP' ? null : `tenantPlan: ${JSON.stringify(changes)?.slice(0, 200)}`;
      },
    };
  };

  const apply = (): Step => {
    applies += 1;
    const groupName = `TA-${client}`;
    return {
      kind: 'tenantApply',
      query: APPLY,
      variables: {
        input: {
          organization: { name: FIXTURE_ORG },
          groups: [{ name: groupName, description: `revision ${applies}` }],
          users: [{ username: `zz-load-ta-${client}`, displayName: `Apply ${client} revision ${applies}`, email: `ta-${client}@zz-load.example`, groups: [groupName] }],
        },
      },
      payload: 'tenantApply',
      check: (p) => (p['status'] === 'SUCCEEDED' ? null : `tenantApply: status ${String(p['status'])} ${JSON.stringify(p['results']).slice(0, 200)}`),
    };
  };

  const lookup = (): Step => {
    const r = random();
    if (r < 1 / 3) return { kind: 'lookup', query: USER_LOOKUP, variables: { id: pick(targets.userIds) } };
    if (r < 2 / 3) return { kind: 'lookup', query: GROUP_LOOKUP, variables: { id: pick(targets.groupIds) } };
    return { kind: 'lookup', query: ORG_LOOKUP, variables: { name: pick(targets.orgNames) } };
  };

  return () => {
    const r = random();
    if (r < 0.2) return { kind: 'Q1', query: Q1 };
    if (r < 0.3) return { kind: 'Q2', query: Q2, variables: { ids: targets.hundredIds } };
    if (r < 0.55) return lookup();
    if (r < 0.8) return groupStep();
    if (r < 0.9) return plan();
    return apply();
  };
}

/** One request's result as the suite judges it. */
interface Outcome {
  readonly kind: string;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly latencyMs: number;
  /** Any GraphQL error, a non-200 answer or no answer. */
  readonly failed: string | null;
  /** The mutation answered userErrors. */
  readonly userErrors: string | null;
  /** The answer was clean but not what the workload expects. */
  readonly unexpected: string | null;
}

async function send(client: GraphQLClient, step: Step): Promise<Outcome> {
  const e: Exchange = await client.send(step.kind, step.query, step.variables);
  const endedAt = performance.now();
  let failed: string | null = null;
  if (e.outcome !== 'ok') {
    failed = e.transportError ?? (e.errors.length > 0 ? e.errors.map((err) => String(err.extensions?.['code'] ?? err.message ?? 'NO_CODE')).join(',') : `HTTP ${e.status}`);
  }
  let userErrors: string | null = null;
  let unexpected: string | null = null;
  if (failed === null && step.payload !== undefined) {
    const payload = (e.data as Record<string, unknown> | null)?.[step.payload] as Record<string, unknown> | null | undefined;
    const errors = (payload?.['userErrors'] as { code: string }[] | undefined) ?? [];
    if (payload === null || payload === undefined) unexpected = `${step.kind}: no payload`;
    else if (errors.length > 0) userErrors = `${step.kind}: ${errors.map((u) => u.code).join(',')}`;
    else {
      unexpected = step.check?.(payload) ?? null;
      if (unexpected === null) step.after?.(payload);
    }
  }
  return { kind: step.kind, startedAt: e.startedAt, endedAt, latencyMs: e.latencyMs, failed, userErrors, unexpected };
}

/** Sends one request and fails the set-up on anything but a clean answer. */
async function setupRequest<T>(client: GraphQLClient, kind: string, query: string, variables?: Record<string, unknown>): Promise<T> {
  const e = await client.send(kind, query, variables);
  if (e.outcome !== 'ok') throw new Error(`mixed-load set-up, ${kind}: ${e.transportError ?? JSON.stringify(e.errors).slice(0, 500)}`);
  return e.data as T;
}

async function prepare(client: GraphQLClient): Promise<Targets> {
  const blueprint = {
    organization: { name: FIXTURE_ORG, description: 'mixed-load fixture tenant' },
    roles: [{ name: 'Load-Reader', privileges: ['CAN_VIEW_FOLDERS'] }],
    groups: [{ name: 'Load-Staff', roles: ['Load-Reader'] }, { name: 'Load-Pool' }],
    users: Array.from({ length: FIXTURE_USERS }, (_u, i) => ({
      username: `zz-load-user-${String(i).padStart(3, '0')}`,
      displayName: `Load user ${i}`,
      email: `user-${i}@zz-load.example`,
      groups: i % 4 === 0 ? ['Load-Pool', 'Load-Staff'] : ['Load-Pool'],
    })),
  };
  const applied = await setupRequest<{ tenantApply: { status: string; userErrors: unknown[] } }>(client, 'setup-apply', APPLY, { input: blueprint });
  if (applied.tenantApply.status !== 'SUCCEEDED' || applied.tenantApply.userErrors.length > 0) {
    throw new Error(`mixed-load set-up: provisioning ${FIXTURE_ORG} answered ${JSON.stringify(applied.tenantApply).slice(0, 500)}`);
  }
  const fixture = await setupRequest<{ organizationByName: { id: string; users: { nodes: { id: string; username: string }[] } } | null }>(
    client,
    'setup-fixture',
    'query ($name: String!) { organizationByName(name: $name) { id users(first: 100) { nodes { id username } } } }',
    { name: FIXTURE_ORG },
  );
  const org = fixture.organizationByName;
  if (org === null) throw new Error(`mixed-load set-up: ${FIXTURE_ORG} was not found after tenantApply.`);
  const fixtureUserIds = org.users.nodes.filter((u) => u.username.startsWith('zz-load-user-')).map((u) => u.id);
  if (fixtureUserIds.length !== FIXTURE_USERS) throw new Error(`mixed-load set-up: ${FIXTURE_ORG} lists ${fixtureUserIds.length} fixture users, not ${FIXTURE_USERS}.`);
  const demo = await setupRequest<{ organizations: { nodes: { id: string; name: string; groups: { nodes: { id: string }[] }; users: { nodes: { id: string }[] } }[] } }>(
    client,
    'setup-demo',
    'query { organizations(first: 6) { nodes { id name groups(first: 10) { nodes { id } } users(first: 20) { nodes { id } } } } }',
  );
  const demoOrgs = demo.organizations.nodes.filter((o) => o.name !== FIXTURE_ORG);
  const userIds = [...new Set(demoOrgs.flatMap((o) => o.users.nodes.map((u) => u.id)))];
  return {
    fixtureOrgId: org.id,
    fixtureUserIds,
    hundredIds: userIds.slice(0, 100),
    userIds,
    groupIds: demoOrgs.flatMap((o) => o.groups.nodes.map((g) => g.id)),
    orgNames: demoOrgs.map((o) => o.name),
  };
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;
}

function mb(bytes: number | null | undefined): string {
  return bytes === null || bytes === undefined || !Number.isFinite(bytes) ? 'n/a' : `${(bytes / MB).toFixed(1)} MB`;
}

export async function run(): Promise<void> {
  const { clients, seconds, warmupSeconds } = settings;
  const emulator = await startEmulatorHandle({ seed: 'demo', mode: 'process' });
  try {
    const subgraph = await startSubgraphProcess(emulator, { runtime: settings.runtime });
    // Well past the request deadline (25 s): a request is abandoned only if the subgraph breaks its own deadline.
    const client = createGraphQLClient(subgraph.url, clients, 45_000, { keepData: true });
    try {
      process.stdout.write(
        `Mixed load: ${clients} HTTP clients × ${seconds} s (after ${warmupSeconds} s warm-up) against the subgraph child (${subgraph.runtime}, NODE_ENV=${subgraph.nodeEnv}, NODE_OPTIONS=${subgraph.nodeOptions || '(none)'}, ` +
          `production pacing 90/s burst 5) → emulator CLI child (demo seed, limit ${emulator.rateLimit.requestsPerSecond}/s burst ${emulator.rateLimit.burst}). Node ${process.versions.node}.\n`,
      );
      const targets = await prepare(client);
      const runTag = Date.now().toString(36);
      const generators = Array.from({ length: clients }, (_c, i) => workload(targets, i, runTag));
      // Each kind once, sequentially, from client 0's generator until every kind has run: code paths compiled, tokens minted.
      const seen = new Set<string>();
      for (let i = 0; i < 200 && seen.size < 9; i++) {
        const outcome = await send(client, (generators[0] as () => Step)());
        if (outcome.failed !== null || outcome.userErrors !== null || outcome.unexpected !== null) {
          throw new Error(`mixed-load set-up: ${outcome.kind} did not answer cleanly: ${outcome.failed ?? outcome.userErrors ?? outcome.unexpected}`);
        }
        seen.add(outcome.kind);
      }
      const before = await subgraph.gc();

      const outcomes: Outcome[] = [];
      const sampler = sampleRss(subgraph.pid, settings.rssSampleMs);
      const started = performance.now();
      const startedEpoch = Date.now();
      const measureFrom = started + warmupSeconds * 1000;
      const stopAt = measureFrom + seconds * 1000;
      let inFlight = 0;
      const progress = setInterval(() => {
        const failed = outcomes.filter((o) => o.failed !== null).length;
        const rss = sampler.samples.at(-1)?.[1];
        process.stdout.write(
          `  t=${((performance.now() - started) / 1000).toFixed(0)} s: ${outcomes.length} answered, ${failed} failed, ${inFlight} in flight, RSS ${mb(rss)}\n`,
        );
      }, 10_000);
      let measureEpoch = 0;
      const resetAt = setTimeout(() => {
        measureEpoch = Date.now();
        void subgraph.reset();
      }, Math.max(0, measureFrom - performance.now()));
      try {
        await Promise.all(
          generators.map(async (next) => {
            while (performance.now() < stopAt) {
              inFlight += 1;
              outcomes.push(await send(client, next()));
              inFlight -= 1;
            }
          }),
        );
      } finally {
        clearInterval(progress);
        clearTimeout(resetAt);
      }
      const endedEpoch = Date.now();
      const endedAt = performance.now();
      const peak = await subgraph.stats();
      const samples = sampler.stop();
      const after = await subgraph.gc();
      const records = await emulator.calls();

      // ---- figures ----
      const measured = outcomes.filter((o) => o.startedAt >= measureFrom);
      const warm = outcomes.filter((o) => o.startedAt < measureFrom);
      const failedOf = (list: readonly Outcome[]) => list.filter((o) => o.failed !== null);
      const failed = failedOf(measured);
      const userErrors = measured.filter((o) => o.userErrors !== null);
      const unexpected = measured.filter((o) => o.unexpected !== null);
      const latencies = sortedCopy(measured.map((o) => o.latencyMs));
      const completedInWindow = outcomes.filter((o) => o.endedAt >= measureFrom && o.endedAt < stopAt).length;
      const mutations = measured.filter((o) => !['Q1', 'Q2', 'lookup'].includes(o.kind));
      // RSS: seconds from the start of the load; the window is [warmupSeconds, warmupSeconds + seconds).
      const window0 = warmupSeconds;
      const window1 = warmupSeconds + seconds;
      const inRange = (from: number, to: number) => samples.filter(([t]) => t >= from && t < to).map(([, rss]) => rss);
      const firstMean = mean(inRange(window0, window0 + EDGE_SECONDS));
      const lastMean = mean(inRange(window1 - EDGE_SECONDS, window1));
      const ratio = lastMean / firstMean;
      const windowSamples = inRange(window0, window1);
      const upstream = emulatorWindow(records, measureEpoch || startedEpoch + warmupSeconds * 1000, endedEpoch);

      const kinds = [...new Set(measured.map((o) => o.kind))].sort();
      const kindTable: ReportTable = {
        header: ['request', 'requests', 'failed', 'userErrors', 'unexpected', 'p50', 'p95', 'p99', 'max'],
        rows: kinds.map((kind) => {
          const mine = measured.filter((o) => o.kind === kind);
          const sorted = sortedCopy(mine.map((o) => o.latencyMs));
          return [
            kind,
            String(mine.length),
            String(failedOf(mine).length),
            String(mine.filter((o) => o.userErrors !== null).length),
            String(mine.filter((o) => o.unexpected !== null).length),
            ms(percentile(sorted, 50)),
            ms(percentile(sorted, 95)),
            ms(percentile(sorted, 99)),
            ms(sorted.at(-1) ?? Number.NaN),
          ];
        }),
      };
      const summary: ReportTable = {
        header: ['', 'value'],
        rows: [
          ['requests (measured window, by start)', `${measured.length} in ${seconds} s + ${((endedAt - stopAt) / 1000).toFixed(1)} s to finish the last ones; ${(completedInWindow / seconds).toFixed(1)} completed/s in the window`],
          ['of which mutations', String(mutations.length)],
          ['failed requests (GraphQL error, non-200, no answer)', String(failed.length)],
          ['mutations answering userErrors', String(userErrors.length)],
          ['unexpected payloads', String(unexpected.length)],
          ['latency p50 / p95 / p99 / max', `${ms(percentile(latencies, 50))} / ${ms(percentile(latencies, 95))} / ${ms(percentile(latencies, 99))} / ${ms(latencies.at(-1) ?? Number.NaN)}`],
          ['warm-up', `${warm.length} requests in ${warmupSeconds} s, ${failedOf(warm).length} failed, ${warm.filter((o) => o.userErrors !== null).length} userErrors`],
          [
            `subgraph RSS: mean of the first ${EDGE_SECONDS} s → last ${EDGE_SECONDS} s`,
            `${mb(firstMean)} → ${mb(lastMean)} = ${ratio.toFixed(3)}× (${windowSamples.length} samples every ${settings.rssSampleMs} ms; window min ${mb(Math.min(...windowSamples))}, max ${mb(Math.max(...windowSamples))})`,
          ],
          ['subgraph peak RSS in the window (sampled in the child / kernel HWM)', `${mb(peak.peakRss)} / ${mb(peak.kernelPeakRss)}`],
          ['heap after forced GC: before the load → after it', `${mb(before.memory.heapUsed)} → ${mb(after.memory.heapUsed)} (RSS ${mb(before.memory.rss)} → ${mb(after.memory.rss)})`],
          [
            'upstream (emulator log, measured window)',
            `${upstream.calls} calls, ${upstream.meanRate.toFixed(1)}/s (per second: median ${upstream.perSecondMedian}, max ${upstream.perSecondMax}), ${upstream.rateLimited} answered 429${upstream.rateLimited > 0 ? ' (the adapter retried them)' : ''}; statuses ${formatCounts(upstream.statuses)}`,
          ],
        ],
      };
      const failureKinds = new Map<string, number>();
      for (const o of [...failedOf(outcomes), ...outcomes.filter((x) => x.userErrors !== null || x.unexpected !== null)]) {
        increment(failureKinds, `${o.kind}: ${o.failed ?? o.userErrors ?? o.unexpected ?? ''}`.slice(0, 160));
      }
      const verdicts = [
        `failed requests: ${failed.length} of ${measured.length} → ${failed.length === 0 ? 'met (zero)' : 'NOT MET'}`,
        `mutations answering userErrors: ${userErrors.length} of ${mutations.length}, unexpected payloads: ${unexpected.length} → ${userErrors.length + unexpected.length === 0 ? 'met (zero)' : 'NOT MET'}`,
        `p99 latency: ${ms(percentile(latencies, 99))} (p50 ${ms(percentile(latencies, 50))})`,
        `memory flat: last ${EDGE_SECONDS} s ÷ first ${EDGE_SECONDS} s mean RSS = ${ratio.toFixed(3)}× → ${ratio <= FLAT_LIMIT ? `met (within ${FLAT_LIMIT}×)` : `NOT MET (over ${FLAT_LIMIT}×)`}`,
        ...(failureKinds.size > 0 ? [`problems: ${formatCounts(failureKinds)}`] : []),
      ];
      process.stdout.write(`\n${table(summary.header, summary.rows)}\n\n${table(kindTable.header, kindTable.rows)}\n\n${verdicts.join('\n')}\n`);

      const seriesPoints = samples.map(([t, rss]) => [Math.round(t * 100) / 100, Math.round((rss / MB) * 10) / 10] as const);
      record({
        title: `Mixed load: ${clients} clients × ${seconds} s of nested queries and mutations, production pacing`,
        description: [
          `${clients} closed-loop HTTP clients on loopback for ${seconds} s (after ${warmupSeconds} s of warm-up under the same load) against the subgraph in its own process ` +
            '(compiled, `NODE_ENV=production`, every production default: 90 upstream calls/s, burst 5, 25 s deadline), in front of the emulator CLI enforcing ' +
            'ThoughtSpot\'s 100 requests/s (burst 10). Mix per request: 20 % Q1 (nested, 13 upstream calls), 10 % Q2 (`nodes` of 100 users), 25 % lookups, ' +
            '25 % a group cycle in a fixture tenant (`groupCreate` → `groupMembersAdd` → `groupMembersRemove` → `groupDelete`, payloads read back), ' +
            '10 % `tenantPlan`, 10 % `tenantApply` (updates in place). A correct subgraph never fails it: every failed request, userError or unexpected payload counts.',
          `The shared 90 calls/s budget is the bottleneck by design (a replica against one ThoughtSpot cluster), so latency is mostly waiting for a turn. ` +
            `RSS is read from /proc by the driver every ${settings.rssSampleMs} ms; the chart shows the whole run, warm-up included.`,
        ],
        tables: [summary, { caption: 'By kind of request (measured window):', ...kindTable }],
        verdicts,
        charts: [
          {
            kind: 'time',
            title: `Mixed load: subgraph RSS while ${clients} clients send queries and mutations`,
            xLabel: 'seconds since the load started (warm-up first)',
            yLabel: 'RSS (MB)',
            series: [{ name: 'subgraph RSS (MB)', points: seriesPoints }],
            bands: [
              { from: 0, to: window0, label: 'warm-up' },
              { from: window0, to: window0 + EDGE_SECONDS, label: `first ${EDGE_SECONDS} s` },
              { from: window1 - EDGE_SECONDS, to: window1, label: `last ${EDGE_SECONDS} s` },
            ],
            guides: [
              { y: firstMean / MB, from: window0, to: window0 + EDGE_SECONDS, label: `${(firstMean / MB).toFixed(0)} MB` },
              { y: lastMean / MB, from: window1 - EDGE_SECONDS, to: window1, label: `${(lastMean / MB).toFixed(0)} MB (${ratio.toFixed(2)}×)` },
            ],
          },
          {
            kind: 'bars',
            title: 'Mixed load: latency by kind of request (log scale)',
            categories: kinds,
            series: [
              { name: 'p50 (ms)', values: kinds.map((k) => percentile(sortedCopy(measured.filter((o) => o.kind === k).map((o) => o.latencyMs)), 50)) },
              { name: 'p99 (ms)', values: kinds.map((k) => percentile(sortedCopy(measured.filter((o) => o.kind === k).map((o) => o.latencyMs)), 99)) },
            ],
            yLabel: 'latency (ms)',
            yScale: 'log',
          },
        ],
        data: {
          settings,
          requests: measured.length,
          mutations: mutations.length,
          failed: failed.length,
          userErrors: userErrors.length,
          unexpected: unexpected.length,
          latencyMs: { p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99), max: latencies.at(-1) ?? null },
          completedPerSecond: completedInWindow / seconds,
          rss: { firstMean, lastMean, ratio, flatLimit: FLAT_LIMIT, peakSampledInChild: peak.peakRss, kernelPeak: peak.kernelPeakRss },
          heapAfterGc: { before: before.memory.heapUsed, after: after.memory.heapUsed },
          upstream: { calls: upstream.calls, meanRate: upstream.meanRate, rateLimited: upstream.rateLimited },
          warmup: { requests: warm.length, failed: failedOf(warm).length },
          problems: Object.fromEntries(failureKinds),
          rssSamples: samples.map(([t, rss]): RssSample => [Math.round(t * 1000) / 1000, rss]),
        },
      });
      const broken = failed.length + userErrors.length + unexpected.length;
      if (broken > 0) throw new Error(`mixed-load: ${failed.length} failed requests, ${userErrors.length} userErrors, ${unexpected.length} unexpected payloads (${formatCounts(failureKinds)})`);
    } finally {
      await client.close();
      await subgraph.close();
    }
  } finally {
    await emulator.close();
  }
}
