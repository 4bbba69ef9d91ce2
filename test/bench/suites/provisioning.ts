// Provisioning figure (`npm run bench -- provisioning`; PROVISIONING_ROUNDS (7) / PROVISIONING_USERS for other runs).
//
// Provisioning one tenant of PROVISIONING_USERS (1,000) users from nothing, with `tenantApply` over HTTP, against the
// emulator in a child process enforcing ThoughtSpot's documented limit (100 requests/s per client IP, burst 10), the
// subgraph configured as in production (support/load.ts: the adapter's default pacing, 90 requests/s, burst 5; the
// default request deadline and upstream call budget). The blueprint: the Organization, 5 roles, 12 groups in a
// three-level hierarchy, and the users spread over the groups (every 50th an administrator).
//
// After one warm-up tenant (not reported), PROVISIONING_ROUNDS tenants are provisioned one after the other.
// Reported per round, from the emulator's own call log over the request's window: the upstream calls (API calls and
// token mints apart); the wall time the client saw; the CPU time of the benchmark's process (the subgraph and the
// client driving it; the emulator runs in its own), which wall time follows on a busy machine; and the bound the
// documented limit sets: calls ÷ 100 per second (every request counts against ThoughtSpot's limit, mints too), the
// least time those calls can take at its rate. The ratio wall ÷ bound says how close a run comes to the limit: about
// 1.1 when a run is rate-bound (the adapter paces at 90/s), more when round trips and the work behind each call
// dominate instead. A convergence check follows each round: `tenantPlan` of the same blueprint must be empty.
//
// The baseline: the same users created one `users/create` call each (the adapter called directly, same pacing), the
// cost `users/import` saves. It cannot run as one GraphQL request at all: 1,000 calls are four times the request's
// upstream budget (REQUEST_MAX_UPSTREAM_CALLS, 250) and eleven seconds at 90/s.

import type { CallRecord } from '../../../src/emulator/index.js';
import { cpuMs } from '../support/measure.js';
import { createGraphQLClient, envInteger, median, ms, requestLimits, startLoadStack, table, type LoadStack } from '../support/load.js';
import { record } from '../support/report.js';

const ROUNDS = envInteger('PROVISIONING_ROUNDS', 7);
const USERS = envInteger('PROVISIONING_USERS', 1_000);
/** ThoughtSpot's documented rate limit (CONTRACT.md §7). */
const UPSTREAM_RPS = 100;

const APPLY = `mutation ($input: TenantBlueprintInput!) {
  tenantApply(input: $input) { runId status results { status } userErrors { code message } }
}`;
const PLAN = `mutation ($input: TenantBlueprintInput!) { tenantPlan(input: $input) { changes { index } userErrors { code } } }`;

interface Blueprint {
  organization: { name: string };
  roles: { name: string; privileges: string[] }[];
  groups: { name: string; subGroups?: string[]; roles?: string[] }[];
  users: { username: string; displayName: string; email: string; groups: string[] }[];
}

function blueprint(tenant: string, users: number): Blueprint {
  const prefix = tenant.toLowerCase();
  const groups = [
    { name: 'Everyone', subGroups: ['Sales', 'Engineering', 'Operations'], roles: ['Viewer'] },
    { name: 'Sales', subGroups: ['Sales-EU', 'Sales-US'], roles: ['Analyst'] },
    { name: 'Engineering', subGroups: ['Eng-Data', 'Eng-Platform'], roles: ['Analyst', 'Developer'] },
    { name: 'Operations', subGroups: ['Ops-Support', 'Ops-Finance'], roles: ['Analyst'] },
    ...['Sales-EU', 'Sales-US', 'Eng-Data', 'Eng-Platform', 'Ops-Support', 'Ops-Finance'].map((name) => ({ name })),
    { name: 'Tenant-Admins', roles: ['Admin', 'Auditor'] },
    { name: 'Auditors', roles: ['Auditor'] },
  ];
  const leaves = ['Sales-EU', 'Sales-US', 'Eng-Data', 'Eng-Platform', 'Ops-Support', 'Ops-Finance'];
  return {
    organization: { name: tenant },
    roles: [
      { name: 'Viewer', privileges: ['CAN_VIEW_FOLDERS'] },
      { name: 'Analyst', privileges: ['DATADOWNLOADING', 'CAN_MODIFY_FOLDERS'] },
      { name: 'Developer', privileges: ['DEVELOPER'] },
      { name: 'Admin', privileges: ['USER_ADMINISTRATION', 'GROUP_ADMINISTRATION'] },
      { name: 'Auditor', privileges: ['CAN_VIEW_FOLDERS', 'LIVEBOARD_VERIFIER'] },
    ],
    groups,
    users: Array.from({ length: users }, (_unused, i) => ({
      username: `${prefix}.user-${String(i).padStart(5, '0')}`,
      displayName: `User ${i}`,
      email: `user-${i}@${prefix}.example`,
      groups: i % 50 === 0 ? ['Administrator', 'Tenant-Admins'] : i % 17 === 0 ? ['Auditors', leaves[i % 6] as string] : [leaves[i % 6] as string],
    })),
  };
}

/** What the emulator saw in a window: API calls by endpoint (token mints apart), and how many it refused with 429. */
function windowCalls(
  records: readonly CallRecord[],
  from: number,
  to: number,
  only: (record: CallRecord) => boolean = () => true,
): { calls: number; mints: number; limited: number; byEndpoint: Map<string, number> } {
  const byEndpoint = new Map<string, number>();
  let calls = 0;
  let mints = 0;
  let limited = 0;
  for (const record of records) {
    if (record.at < from || record.at > to || !only(record)) continue;
    if (record.fault === 'rate-limit') limited += 1;
    if (record.path.includes('/auth/token/')) {
      mints += 1;
      continue;
    }
    calls += 1;
    const name = (record.endpoint ?? record.path).replace(/^(GET|POST) \/api\/rest\/2\.0\//, '');
    byEndpoint.set(name, (byEndpoint.get(name) ?? 0) + 1);
  }
  return { calls, mints, limited, byEndpoint };
}

interface Round {
  readonly label: string;
  readonly calls: number;
  readonly mints: number;
  readonly limited: number;
  readonly wallMs: number;
  /** CPU time of this process (the subgraph and the client driving it; the emulator runs in its own) over the run. */
  readonly cpuMs: number;
  readonly byEndpoint: Map<string, number>;
}

/** The least time `round`'s requests take at ThoughtSpot's documented rate, which counts every request, mints too. */
function boundMs(round: Pick<Round, 'calls' | 'mints'>): number {
  return ((round.calls + round.mints) / UPSTREAM_RPS) * 1000;
}

function row(round: Round): string[] {
  const bound = boundMs(round);
  return [
    round.label,
    String(round.calls),
    String(round.mints),
    String(round.limited),
    ms(round.wallMs),
    ms(round.cpuMs),
    ms(bound),
    (round.wallMs / bound).toFixed(2),
  ];
}

async function applyRound(stack: LoadStack, tenant: string): Promise<Round> {
  const client = createGraphQLClient(stack.url, 1, 120_000);
  try {
    const input = blueprint(tenant, USERS);
    const from = Date.now();
    const cpu = cpuMs();
    const exchange = await client.send('tenantApply', APPLY, { input });
    const cpuUsed = cpuMs() - cpu;
    const to = Date.now();
    if (exchange.outcome !== 'ok') throw new Error(`tenantApply ${tenant}: ${exchange.outcome} ${JSON.stringify(exchange.errors).slice(0, 500)} ${exchange.transportError ?? ''}`);
    const plan = await client.send('tenantPlan', PLAN, { input });
    if (plan.outcome !== 'ok') throw new Error(`tenantPlan ${tenant}: ${plan.outcome} ${JSON.stringify(plan.errors).slice(0, 500)}`);
    const seen = windowCalls(await stack.emulator.calls(), from, to);
    const entry = stack.requestLog.get(exchange.requestId);
    if (entry !== undefined && seen.calls + seen.mints < entry.upstreamCalls) {
      throw new Error(`The emulator logged ${seen.calls + seen.mints} calls, the subgraph ${entry.upstreamCalls}.`);
    }
    return { label: tenant, ...seen, wallMs: exchange.latencyMs, cpuMs: cpuUsed };
  } finally {
    await client.close();
  }
}

/** The per-object baseline: an empty tenant through tenantApply, then one users/create per user (adapter direct). */
async function perObjectRound(stack: LoadStack, tenant: string): Promise<Round> {
  const client = createGraphQLClient(stack.url, 1, 120_000);
  const input = blueprint(tenant, USERS);
  try {
    const empty = await client.send('tenantApply', APPLY, { input: { ...input, users: [] } });
    if (empty.outcome !== 'ok') throw new Error(`tenantApply ${tenant} (no users): ${JSON.stringify(empty.errors).slice(0, 500)}`);
  } finally {
    await client.close();
  }
  const orgs = await stack.app.client.searchOrgs({ orgId: 0 }, { identifier: tenant });
  const orgId = orgs[0]?.id;
  if (orgId === undefined) throw new Error(`${tenant} was not created.`);
  const from = Date.now();
  const cpu = cpuMs();
  const started = performance.now();
  await Promise.all(
    input.users.map((user) =>
      stack.app.client.createUser(
        { orgId },
        { name: user.username, displayName: user.displayName, email: user.email, groupIdentifiers: user.groups, password: 'bench-password-1' },
      ),
    ),
  );
  const wallMs = performance.now() - started;
  const cpuUsed = cpuMs() - cpu;
  const to = Date.now();
  // The window's edges are whole milliseconds: only users/create (and mints) are this round's for certain.
  const seen = windowCalls(await stack.emulator.calls(), from, to, (record) => record.path.includes('/auth/token/') || record.path.endsWith('/users/create'));
  return { label: `${tenant} (users/create × ${USERS})`, ...seen, wallMs, cpuMs: cpuUsed };
}

export async function run(): Promise<void> {
  const stack = await startLoadStack({ seed: 'minimal' });
  try {
    const limits = requestLimits(stack.config);
    process.stdout.write(
      `Provisioning ${USERS} users from nothing: emulator in a child process at ${stack.emulator.rateLimit.requestsPerSecond}/s (burst ${stack.emulator.rateLimit.burst}); ` +
        `subgraph pacing ${stack.config.upstream.rateLimit?.requestsPerSecond ?? 'off'}/s (burst ${stack.config.upstream.rateLimit?.burst ?? '-'}); ` +
        `request budget ${limits.maxUpstreamCalls} calls, deadline ${limits.deadlineMs} ms.\n`,
    );
    // One warm-up tenant first, not reported: a running subgraph has compiled its code paths and holds a Primary-Org
    // token already, which a first request in a fresh process does not.
    await applyRound(stack, 'Bench-Warm-Up');
    const rounds: Round[] = [];
    for (let i = 1; i <= ROUNDS; i++) rounds.push(await applyRound(stack, `Bench-Tenant-${i}`));
    const header = ['run', 'API calls', 'token mints', '429s', 'wall time', 'subgraph CPU', 'bound ((calls + mints) ÷ 100/s)', 'wall ÷ bound'];
    process.stdout.write(`\n${table(header, rounds.map(row))}\n`);
    const first = rounds[0] as Round;
    process.stdout.write(`\nCalls of one run: ${[...first.byEndpoint].map(([endpoint, n]) => `${endpoint} × ${n}`).join(', ')}.\n`);
    const wall = median(rounds.map((r) => r.wallMs));
    const calls = median(rounds.map((r) => r.calls));
    const bound = boundMs({ calls, mints: median(rounds.map((r) => r.mints)) });
    const ratios = rounds.map((r) => r.wallMs / boundMs(r)).sort((a, b) => a - b);
    process.stdout.write(
      `Median over ${ROUNDS} runs: ${calls} API calls, ${ms(wall)} wall, bound ${ms(bound)}, ratio ${(wall / bound).toFixed(2)} ` +
        `(best ${ratios[0]?.toFixed(2)}, worst ${ratios.at(-1)?.toFixed(2)}); every run converged (tenantPlan afterwards: no changes).\n`,
    );

    const baseline = await perObjectRound(stack, 'Bench-Per-Object');
    process.stdout.write(`\nBaseline, one call per user:\n${table(header, [row(baseline)])}\n`);
    process.stdout.write(
      `users/import: ${calls} calls in ${ms(wall)}; one call per user: ${baseline.calls} calls in ${ms(baseline.wallMs)} (${(baseline.wallMs / wall).toFixed(0)}× longer, ` +
        `${(baseline.calls / limits.maxUpstreamCalls).toFixed(1)}× a request's upstream budget).\n`,
    );
    record({
      title: `Provisioning a ${USERS.toLocaleString('en-US')}-user tenant from nothing (tenantApply over HTTP)`,
      description: [
        `One tenant (the Organization, 5 roles, 12 groups in three levels, ${USERS.toLocaleString('en-US')} users) provisioned by one \`tenantApply\` over HTTP, ` +
          `${ROUNDS} tenants one after the other after a warm-up tenant, against the emulator enforcing ThoughtSpot's 100 requests/s (burst 10), the subgraph ` +
          'with production pacing (90/s, burst 5). Calls from the emulator\'s own log; bound = (calls + mints) ÷ 100/s, the least time the documented limit allows; ' +
          'every run converged (`tenantPlan` afterwards: no changes). The baseline creates the same users with one `users/create` each (adapter called directly).',
      ],
      tables: [
        { header, rows: rounds.map(row) },
        { caption: 'Baseline, one call per user:', header, rows: [row(baseline)] },
      ],
      verdicts: [
        `median over ${ROUNDS} runs: ${calls} API calls, ${ms(wall)} wall against a bound of ${ms(bound)}: ${(wall / bound).toFixed(2)}× (best ${ratios[0]?.toFixed(2)}, worst ${ratios.at(-1)?.toFixed(2)})`,
        `one call per user instead: ${baseline.calls} calls in ${ms(baseline.wallMs)}, ${(baseline.wallMs / wall).toFixed(0)}× longer (${(baseline.calls / limits.maxUpstreamCalls).toFixed(1)}× a request's upstream budget)`,
      ],
      charts: [
        {
          kind: 'bars',
          title: `Provisioning ${USERS.toLocaleString('en-US')} users: wall time against ThoughtSpot's rate bound (log scale)`,
          categories: [...rounds.map((r) => r.label.replace('Bench-Tenant-', 'run ')), 'users/create\nper user'],
          series: [
            { name: 'wall time (ms)', values: [...rounds, baseline].map((r) => r.wallMs) },
            { name: 'bound at 100/s (ms)', values: [...rounds, baseline].map((r) => boundMs(r)) },
          ],
          yLabel: 'milliseconds',
          yScale: 'log',
        },
      ],
      data: {
        users: USERS,
        rounds: rounds.map((r) => ({ ...r, byEndpoint: Object.fromEntries(r.byEndpoint), boundMs: boundMs(r) })),
        median: { calls, wallMs: wall, boundMs: bound, ratio: wall / bound },
        baseline: { ...baseline, byEndpoint: Object.fromEntries(baseline.byEndpoint), boundMs: boundMs(baseline) },
      },
    });
  } finally {
    await stack.close();
  }
}
