// Child-process entry of the read-path benchmark (test/bench/suites/queries.ts, through measure.ts): one emulator,
// rate limit off, on its own event loop and in its own process, so the subgraph's CPU time and memory measured in
// the benchmark's process hold none of the emulator's work. Started with `fork` (`node --import tsx`); argv[2] is
// the seed: `demo` (plus the benchmark's fixture Org "Xenon-Bench" with 60 users and a 1,000-member group) or
// `large:N`. It answers the parent over IPC: `{ type: 'ready', url, credentials, inputs }` once listening, then one
// reply per request (set the added latency, read the call log, close).

import { toGlobalId } from '../../../src/relay/global-id.js';
import { startEmulator, type CallRecord, type Emulator } from '../../../src/emulator/index.js';
import type { OrgRec, UserRec } from '../../../src/emulator/domain/index.js';
import { addFixtureOrg, addLargeGroup } from '../../support/fixtures.js';

/** What the demo directory gives the canonical queries (computed here, where the state lives). */
export interface DemoInputs {
  /** Global ids of 100 listed users across the demo Orgs (Q2), and their usernames (Q4). */
  readonly hundredIds: readonly string[];
  readonly hundredNames: readonly string[];
  /** How many Orgs those 100 users belong to between them (the figures assume 6). */
  readonly hundredOrgs: number;
  /** Global id of the 1,000-member group (Q3). */
  readonly thousandId: string;
  /** Orgs, groups and members a nested query reads with page sizes (orgs, groups, members): the data behind Q1/Q5. */
  readonly nested: Readonly<Record<string, { readonly orgs: readonly string[]; readonly members: number; readonly memberOrgs: number }>>;
}

/** Messages from the parent. */
export type EmulatorRequest =
  | { readonly id: number; readonly op: 'latency'; readonly ms: number }
  | { readonly id: number; readonly op: 'lastSeq' }
  | { readonly id: number; readonly op: 'calls'; readonly since: number }
  | { readonly id: number; readonly op: 'close' };

/** A call record as sent to the parent: the fields the benchmark reads, plus any numeric field the log may gain. */
export interface CompactCall {
  readonly seq: number;
  readonly endpoint: string | null;
  readonly path: string;
  readonly status: number;
  readonly orgId: number | null;
  readonly fault: string | null;
  /** Numeric fields of CallRecord beyond the ones known today (e.g. response bytes or rows, if the log adds them). */
  readonly extra: Readonly<Record<string, number>>;
}

const KNOWN_FIELDS = new Set(['seq', 'at', 'method', 'path', 'endpoint', 'params', 'body', 'status', 'orgId', 'userId', 'durationMs', 'fault', 'remoteAddress']);

function compact(call: CallRecord): CompactCall {
  const extra: Record<string, number> = {};
  for (const [key, value] of Object.entries(call)) {
    if (!KNOWN_FIELDS.has(key) && typeof value === 'number') extra[key] = value;
  }
  return { seq: call.seq, endpoint: call.endpoint, path: call.path, status: call.status, orgId: call.orgId, fault: call.fault, extra };
}

function byName(a: { name: string }, b: { name: string }): number {
  const x = a.name.toLowerCase();
  const y = b.name.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The demo directory as the canonical queries see it, after adding the benchmark's fixture Org. */
function prepareDemo(emulator: Emulator): DemoInputs {
  const state = emulator.state;
  // Named to sort after the demo tenants, so `organizations(first: 3)` and `(first: 6)` read demo Orgs only.
  const fixture = addFixtureOrg(emulator, 'Xenon-Bench', 60);
  const thousand = addLargeGroup(emulator, fixture.org, 'Thousand', 1000);
  const hundred = [...state.users.values()]
    .filter((u) => !u.hidden && u.orgIds.size > 0 && !u.name.startsWith('xenon-bench') && !u.name.startsWith('thousand'))
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .slice(0, 100);
  const orgsOf = (users: Iterable<UserRec>): Set<number> => new Set([...users].flatMap((u) => [...u.orgIds]));
  // Which members `organizations(first: o) { groups(first: g) { members(first: m) } }` returns, by the emulator's own
  // listing order (name), for the footnote that checks the data still matches the assumptions.
  const nested = (o: number, g: number, m: number) => {
    const orgs = [...state.orgs.values()].sort(byName).slice(0, o);
    const members = new Set<UserRec>();
    for (const org of orgs) {
      const groups = [...org.groups.values()].sort((a, b) => byName(a, b) || (a.id < b.id ? -1 : 1)).slice(0, g);
      const listed = state.sortedOrgMembers(org.id, 'NAME');
      for (const group of groups) {
        const inGroup = group.builtIn === 'ALL' ? listed : listed.filter((u) => u.groupIds.has(group.id));
        for (const user of inGroup.slice(0, m)) members.add(user);
      }
    }
    return { orgs: orgs.map((org: OrgRec) => org.name), members: members.size, memberOrgs: orgsOf(members).size };
  };
  return {
    hundredIds: hundred.map((u) => toGlobalId('test', { typename: 'User', guid: u.id })),
    hundredNames: hundred.map((u) => u.name),
    hundredOrgs: orgsOf(hundred).size,
    thousandId: toGlobalId('test', { typename: 'Group', orgId: thousand.orgId, guid: thousand.id }),
    nested: { '3/10/20': nested(3, 10, 20), '6/20/40': nested(6, 20, 40), '3/5/5': nested(3, 5, 5) },
  };
}

async function main(): Promise<void> {
  const seedArg = process.argv[2] ?? 'demo';
  const large = /^large:(\d+)$/.exec(seedArg);
  if (seedArg !== 'demo' && large === null) throw new Error(`emulator-process: unknown seed ${seedArg}`);
  const emulator = await startEmulator({
    seed: large === null ? 'demo' : { large: { users: Number(large[1]) } },
    host: '127.0.0.1',
    port: 0,
    rateLimit: { enabled: false },
    callLogLimit: 200_000,
  });
  const inputs = large === null ? prepareDemo(emulator) : null;
  const send = (message: unknown): void => {
    process.send?.(message);
  };
  let closing = false;
  process.on('message', (message: EmulatorRequest) => {
    void (async () => {
      try {
        switch (message.op) {
          case 'latency':
            emulator.setLatency(message.ms);
            send({ id: message.id, result: null });
            return;
          case 'lastSeq':
            send({ id: message.id, result: emulator.calls().at(-1)?.seq ?? 0 });
            return;
          case 'calls':
            send({ id: message.id, result: emulator.calls((c) => c.seq > message.since).map(compact) });
            return;
          case 'close':
            closing = true;
            await emulator.close();
            send({ id: message.id, result: null });
            process.disconnect();
            return;
        }
      } catch (err) {
        send({ id: message.id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
      }
    })();
  });
  // The parent went away without closing us: do not linger.
  process.on('disconnect', () => {
    if (closing) return;
    void emulator.close().finally(() => process.exit(0));
  });
  send({
    type: 'ready',
    url: emulator.url,
    username: emulator.adminCredentials.username,
    secretKey: emulator.adminCredentials.secretKey,
    inputs,
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`emulator-process failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
