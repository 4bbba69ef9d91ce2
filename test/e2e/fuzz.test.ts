// A bounded, seeded black-box fuzz of the subgraph over HTTP ("Safe to expose").
//
// Every operation is generated from a fixed seed (mulberry32) and the seeded directory, sent over HTTP to a subgraph
// running in a child process (see support/hostile.ts for why out of process), eight at a time, and checked against
// the contract's invariants: no HTTP 5xx, a JSON answer, every error with an `extensions.code` from the contract's
// list and never INTERNAL_SERVER_ERROR; and, where the contract makes the outcome determinate, the code itself (or
// that the operation succeeds). The process must survive all of it: no crash, no wedge, no unhandled rejection.
//
// A failure prints each offending operation with its number, the request (replayable with curl or `exchange`), the
// expectation, what broke and the response. `FUZZ_ONLY=12,345` re-runs just those operations (the rest are still
// generated, so the numbers and payloads are the same); `FUZZ_SEED` changes the seed (default below). The full report
// of a run is written to $TMPDIR/thoughtspot-subgraph-fuzz-report.json.

import { mulberry32 } from '../support/random.js';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kind, parse, type TypeNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId, type GlobalIdTarget } from '../../src/relay/global-id.js';
import {
  CONNECTION_ID,
  clip,
  codesOf,
  errorsOf,
  exchange,
  gqlPost,
  invariantViolations,
  pool,
  startHostileStack,
  type Exchange,
  type HostileStack,
  type HttpRequest,
} from './support/hostile.js';

/** The fuzz seed. Fixed: a run is reproducible; set FUZZ_SEED to explore another sequence. */
const SEED = Number(process.env['FUZZ_SEED'] ?? 0x5afe_2025) >>> 0;
const ONLY = new Set((process.env['FUZZ_ONLY'] ?? '').split(',').filter((s) => s.trim() !== '').map(Number));
/** Operations in flight at once. */
const CONCURRENCY = 8;
/**
 * A liveness cap, not a performance threshold: an operation that gets no answer at all within it is reported as
 * "no answer" (the server is wedged or gone) so the run can go on; a healthy server answers every one of these
 * operations orders of magnitude sooner, even on a loaded machine.
 */
const NO_ANSWER_AFTER_MS = 20_000;
/** The contract's default limits. */
const LIMITS = { depth: 15, nodes: 500_000, lists: 50 } as const;
type Measure = keyof typeof LIMITS;

// ------------------------------------------------------------------------------------------------ the schema

interface FieldInfo {
  readonly name: string;
  /** The named type of the field (list and non-null stripped). */
  readonly type: string;
  readonly args: ReadonlyMap<string, string>;
  readonly requiredArgs: readonly string[];
}
interface TypeInfo {
  readonly kind: 'object' | 'interface' | 'enum' | 'input' | 'scalar' | 'union';
  readonly fields: Map<string, FieldInfo>;
  readonly values: string[];
}

function printType(node: TypeNode): string {
  if (node.kind === Kind.NON_NULL_TYPE) return `${printType(node.type)}!`;
  if (node.kind === Kind.LIST_TYPE) return `[${printType(node.type)}]`;
  return node.name.value;
}
function namedOf(node: TypeNode): string {
  return node.kind === Kind.NAMED_TYPE ? node.name.value : namedOf(node.type);
}

/** The schema's types, read from schema/*.graphql (the shapes the fuzz builds come from here). */
function loadSchemaModel(): Map<string, TypeInfo> {
  const directory = fileURLToPath(new URL('../../schema/', import.meta.url));
  const types = new Map<string, TypeInfo>();
  for (const scalar of ['String', 'Int', 'Float', 'Boolean', 'ID']) types.set(scalar, { kind: 'scalar', fields: new Map(), values: [] });
  const entry = (name: string, kind: TypeInfo['kind']): TypeInfo => {
    let info = types.get(name);
    if (info === undefined) {
      info = { kind, fields: new Map(), values: [] };
      types.set(name, info);
    }
    return info;
  };
  for (const file of readdirSync(directory).filter((f) => f.endsWith('.graphql')).sort()) {
    const document = parse(readFileSync(join(directory, file), 'utf8'));
    for (const definition of document.definitions) {
      switch (definition.kind) {
        case Kind.OBJECT_TYPE_DEFINITION:
        case Kind.OBJECT_TYPE_EXTENSION:
        case Kind.INTERFACE_TYPE_DEFINITION:
        case Kind.INPUT_OBJECT_TYPE_DEFINITION: {
          const kind = definition.kind === Kind.INTERFACE_TYPE_DEFINITION ? 'interface' : definition.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION ? 'input' : 'object';
          const info = entry(definition.name.value, kind);
          for (const field of definition.fields ?? []) {
            const args = new Map<string, string>();
            const requiredArgs: string[] = [];
            for (const arg of 'arguments' in field ? (field.arguments ?? []) : []) {
              args.set(arg.name.value, printType(arg.type));
              if (arg.type.kind === Kind.NON_NULL_TYPE && arg.defaultValue === undefined) requiredArgs.push(arg.name.value);
            }
            info.fields.set(field.name.value, { name: field.name.value, type: namedOf(field.type), args, requiredArgs });
          }
          break;
        }
        case Kind.ENUM_TYPE_DEFINITION:
          entry(definition.name.value, 'enum').values.push(...(definition.values ?? []).map((v) => v.name.value));
          break;
        case Kind.SCALAR_TYPE_DEFINITION:
          entry(definition.name.value, 'scalar');
          break;
        default:
          break;
      }
    }
  }
  return types;
}

const SCHEMA = loadSchemaModel();

function typeInfo(name: string): TypeInfo {
  const info = SCHEMA.get(name);
  if (info === undefined) throw new Error(`schema/*.graphql has no type ${name}`);
  return info;
}
function isLeaf(typeName: string): boolean {
  const kind = SCHEMA.get(typeName)?.kind;
  return kind === 'scalar' || kind === 'enum';
}
/** Leaf fields of a type that take no required argument. */
function leafFields(typeName: string): string[] {
  return [...typeInfo(typeName).fields.values()].filter((f) => isLeaf(f.type) && f.requiredArgs.length === 0).map((f) => f.name);
}
/** Connection fields of a type, with the type of their nodes. */
function connectionFields(typeName: string): { field: FieldInfo; nodeType: string }[] {
  return [...typeInfo(typeName).fields.values()]
    // The directory's connections (first/last, totalCount); the audit log's forward-only list is an admin field with
    // a shape of its own, exercised by its own tests.
    .filter((f) => f.type.endsWith('Connection') && f.args.has('first') && f.args.has('last') && typeInfo(f.type).fields.has('totalCount'))
    .map((field) => ({ field, nodeType: typeInfo(field.type).fields.get('nodes')?.type ?? 'Node' }));
}
function enumValues(typeName: string): string[] {
  return typeInfo(typeName).values;
}

// ------------------------------------------------------------------------------------------------ randomness

type Rng = () => number;
function int(rng: Rng, lo: number, hi: number): number {
  return lo + Math.floor(rng() * (hi - lo + 1));
}
function pick<T>(rng: Rng, items: readonly T[]): T {
  if (items.length === 0) throw new Error('pick from an empty list');
  return items[Math.floor(rng() * items.length)] as T;
}
function chance(rng: Rng, p: number): boolean {
  return rng() < p;
}
function shuffle<T>(rng: Rng, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
function hashString(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0);
}
const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
function randomText(rng: Rng, length: number, alphabet = ALNUM): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(rng() * alphabet.length)];
  return out;
}
/** Awkward but well-formed Unicode (no lone surrogates): astral, combining, zero-width, RTL, CJK, NUL, controls. */
const UNICODE_BITS = ['💥', '🏳️‍🌈', 'ユーザー', 'ä', 'a\u0301', '\u200b', '\u202e', 'א', 'ß', 'İ', '\u0000', '\t', '\n', '\u2028', '\uFEFF', '𝔘'];
function unicodeText(rng: Rng, parts: number): string {
  let out = '';
  for (let i = 0; i < parts; i++) out += chance(rng, 0.5) ? pick(rng, UNICODE_BITS) : randomText(rng, int(rng, 1, 3));
  return out;
}
/** A lone surrogate: only expressible through JSON variables. */
const LONE_SURROGATE = '\ud83d';

// ------------------------------------------------------------------------------------------------ operations

type Expectation =
  /** No error at all, and data. */
  | { readonly kind: 'ok' }
  /** At least one error, every error with this code (and the HTTP status, when given). */
  | { readonly kind: 'code'; readonly code: string; readonly status?: number }
  /** Errors, if any, only with these codes; no error at all is acceptable only when `okAllowed`. */
  | { readonly kind: 'oneOf'; readonly codes: readonly string[]; readonly okAllowed: boolean }
  /** Refused as QUERY_TOO_COMPLEX on one of these measures, with the default limit, and no data. */
  | { readonly kind: 'complex'; readonly measures: readonly Measure[] }
  /** Only the invariants. */
  | { readonly kind: 'invariants' };

const OK: Expectation = { kind: 'ok' };
const ANY: Expectation = { kind: 'invariants' };
const code = (c: string, status?: number): Expectation => (status === undefined ? { kind: 'code', code: c } : { kind: 'code', code: c, status });
const BAD_INPUT = code('BAD_USER_INPUT');
const INVALID = code('GRAPHQL_VALIDATION_FAILED', 400);
const PARSE = code('GRAPHQL_PARSE_FAILED', 400);
const BAD_REQUEST = code('BAD_REQUEST');
const oneOf = (codes: readonly string[], okAllowed: boolean): Expectation => ({ kind: 'oneOf', codes, okAllowed });
const complex = (...measures: Measure[]): Expectation => ({ kind: 'complex', measures });

interface Op {
  readonly n: number;
  readonly category: string;
  readonly label: string;
  readonly request: HttpRequest;
  readonly expect: Expectation;
}

/** The directory facts the generators forge from, and what the setup harvested over GraphQL. */
interface Ctx {
  readonly orgIds: readonly number[];
  readonly fixtureOrg: number;
  readonly groupGuids: readonly string[];
  readonly roleGuids: readonly string[];
  readonly userGuids: readonly string[];
  /** Global IDs of existing objects, by type. */
  readonly valid: Readonly<Record<'Organization' | 'Group' | 'User' | 'Role', readonly string[]>>;
  /** Cursors harvested from lists, by list key (see LIST_KEYS). */
  readonly cursors: Readonly<Record<string, readonly string[]>>;
}

const gid = (target: GlobalIdTarget): string => toGlobalId(CONNECTION_ID, target);
const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');
const lit = (value: string): string => JSON.stringify(value);
const NODE_TYPES = ['Organization', 'Group', 'User', 'Role'] as const;
type NodeType = (typeof NODE_TYPES)[number];
const LOOKUP: Record<NodeType, string> = { Organization: 'organization', Group: 'group', User: 'user', Role: 'role' };
const NONEXISTENT_ORG = 424_242;

/** A list the fuzz can page: where it is reached from and how it is selected. */
interface ListSite {
  readonly key: string;
  readonly prefix: string;
  readonly suffix: string;
  readonly field: FieldInfo;
  readonly nodeType: string;
}

function listSites(ctx: Ctx): ListSite[] {
  const sites: ListSite[] = connectionFields('Query').map(({ field, nodeType }) => ({ key: `Query.${field.name}`, prefix: '', suffix: '', field, nodeType }));
  const parents: Record<NodeType, string> = {
    Organization: gid({ typename: 'Organization', orgId: ctx.fixtureOrg }),
    Group: gid({ typename: 'Group', orgId: ctx.fixtureOrg, guid: ctx.groupGuids[0] as string }),
    Role: gid({ typename: 'Role', orgId: ctx.fixtureOrg, guid: ctx.roleGuids[0] as string }),
    User: gid({ typename: 'User', guid: ctx.userGuids[0] as string }),
  };
  for (const type of NODE_TYPES) {
    for (const { field, nodeType } of connectionFields(type)) {
      sites.push({ key: `${type}.${field.name}`, prefix: `${LOOKUP[type]}(id: ${lit(parents[type])}) {`, suffix: '}', field, nodeType });
    }
  }
  return sites;
}

function nodeSelection(rng: Rng, nodeType: string): string {
  const leaves = leafFields(nodeType).filter((f) => f !== 'id');
  const extra = shuffle(rng, leaves).slice(0, int(rng, 0, 2));
  return `id ${extra.join(' ')}`;
}
function connectionSelection(rng: Rng, nodeType: string): string {
  return chance(rng, 0.5)
    ? `{ nodes { ${nodeSelection(rng, nodeType)} } pageInfo { hasNextPage endCursor } }`
    : `{ edges { cursor node { ${nodeSelection(rng, nodeType)} } } }`;
}
/** A query around one list field: `{ prefix field(args) { … } suffix }`, with optional variable definitions. */
function listQuery(rng: Rng, site: ListSite, args: string, varDefs = ''): string {
  const call = args === '' ? site.field.name : `${site.field.name}(${args})`;
  const body = `{ ${site.prefix} ${call} ${connectionSelection(rng, site.nodeType)} ${site.suffix} }`;
  return varDefs === '' ? body : `query Fuzz(${varDefs}) ${body}`;
}

/** A per-category generator: `add` appends an operation with the next number. */
interface Gen {
  readonly rng: Rng;
  readonly ctx: Ctx;
  add(label: string, request: HttpRequest, expect: Expectation): void;
  post(label: string, query: string, variables: Record<string, unknown> | undefined, expect: Expectation): void;
}

// --- ids --------------------------------------------------------------------------------------------------------

/** A malformed ID: never one this API issued. */
function garbageId(rng: Rng, ctx: Ctx): string {
  const valid = pick(rng, ctx.valid.Organization);
  return pick(rng, [
    '',
    ' ',
    'null',
    '0',
    '-1',
    'NaN',
    '\u0000',
    '../../../etc/passwd',
    "' OR 1=1 --",
    '<script>alert(1)</script>',
    '%',
    '%%%%',
    `${valid}=`,
    `${valid}==`,
    ` ${valid}`,
    `${valid}\n`,
    valid.replace(/[A-Za-z]/, '+'),
    Buffer.from('v1:Organization:test:0').toString('base64'),
    'a'.repeat(int(rng, 513, 900)),
    'A'.repeat(int(rng, 1_025, 4_000)),
    unicodeText(rng, int(rng, 1, 8)),
    randomText(rng, int(rng, 1, 40), ALNUM + '+/=!@#$^&*()[]{}'),
    b64(randomText(rng, int(rng, 1, 30))),
    b64(unicodeText(rng, 4)),
  ]);
}

/** A well-formed base64url ID whose content is wrong: never accepted. */
function forgedMalformedId(rng: Rng, ctx: Ctx): string {
  const org = pick(rng, ctx.orgIds);
  const guid = pick(rng, ctx.groupGuids);
  return b64(
    pick(rng, [
      `v2:Organization:${CONNECTION_ID}:${org}`,
      `V1:Organization:${CONNECTION_ID}:${org}`,
      `v1:organization:${CONNECTION_ID}:${org}`,
      `v1:Hacker:${CONNECTION_ID}:${org}`,
      `v1:Node:${CONNECTION_ID}:${org}`,
      `v1:Query:${CONNECTION_ID}:${org}`,
      `v1:__proto__:${CONNECTION_ID}:${org}`,
      `v1:Organization:${CONNECTION_ID}:`,
      `v1:Organization:${CONNECTION_ID}:-1`,
      `v1:Organization:${CONNECTION_ID}:01`,
      `v1:Organization:${CONNECTION_ID}:1.5`,
      `v1:Organization:${CONNECTION_ID}:1e3`,
      `v1:Organization:${CONNECTION_ID}:0x10`,
      `v1:Organization:${CONNECTION_ID}:99999999999999999999`,
      `v1:Organization:${CONNECTION_ID}:${'9'.repeat(40)}`,
      `v1:Organization:${CONNECTION_ID}:${org}:extra`,
      `v1:Organization:${CONNECTION_ID}`,
      `v1:Organization`,
      `v1`,
      `v1:::`,
      `v1:Group:${CONNECTION_ID}:${org}`,
      `v1:Group:${CONNECTION_ID}::${guid}`,
      `v1:Group:${CONNECTION_ID}:${org}:`,
      `v1:Group:${CONNECTION_ID}:${org}:${guid}:x`,
      `v1:Group:${CONNECTION_ID}:-5:${guid}`,
      `v1:Role:${CONNECTION_ID}:abc:${guid}`,
      `v1:User:${CONNECTION_ID}:`,
      `v1:User:${CONNECTION_ID}:a:b`,
      `c1:0:abcdefabcdef`,
    ]),
  );
}

/** An ID issued for another ThoughtSpot connection. */
function foreignId(rng: Rng, ctx: Ctx): string {
  const connection = pick(rng, ['prod', 'other-cluster', 'TEST', 'test ', 'emulator', 'a.b-c_d']);
  const type = pick(rng, NODE_TYPES);
  const org = pick(rng, ctx.orgIds);
  const key = type === 'Organization' ? `${org}` : type === 'User' ? pick(rng, ctx.userGuids) : `${org}:${pick(rng, ctx.groupGuids)}`;
  return b64(`v1:${type}:${connection}:${key}`);
}

/** Well-formed IDs of objects that do not exist: `null` from a lookup. */
function nonexistentId(rng: Rng, ctx: Ctx, type: NodeType): string {
  switch (type) {
    case 'Organization':
      return gid({ typename: 'Organization', orgId: pick(rng, [NONEXISTENT_ORG, 7, 31_337, 2_147_483_646]) });
    case 'User':
      return gid({ typename: 'User', guid: pick(rng, ['00000000-0000-0000-0000-000000000000', 'no-such-user', randomText(rng, 32)]) });
    default:
      return gid({
        typename: type,
        orgId: chance(rng, 0.5) ? NONEXISTENT_ORG : pick(rng, ctx.orgIds),
        guid: pick(rng, ['00000000-0000-0000-0000-000000000000', 'no-such-guid', randomText(rng, 36)]),
      });
  }
}

/** Well-formed IDs with odd keys: a lookup may answer null or refuse them, but must not fail. */
function oddKeyId(rng: Rng, ctx: Ctx, type: NodeType): string {
  const odd = pick(rng, [unicodeText(rng, 4), randomText(rng, int(rng, 200, 360)), '%', '%%', '*', '"', "'", '\\', '{}', '[]', '../x', ' ', '\u0000']);
  switch (type) {
    case 'Organization':
      return b64(`v1:Organization:${CONNECTION_ID}:${pick(rng, ['9999999999999999', '2147483648', '4294967296', '9007199254740993'])}`);
    case 'User':
      return b64(`v1:User:${CONNECTION_ID}:${odd.replaceAll(':', '')}`);
    default:
      return b64(`v1:${type}:${CONNECTION_ID}:${chance(rng, 0.3) ? '9999999999999999' : String(pick(rng, ctx.orgIds))}:${odd.replaceAll(':', '') || 'x'}`);
  }
}

function genIds(g: Gen): void {
  const { rng, ctx } = g;
  const selection = (target: NodeType | 'node'): string =>
    target === 'node' ? '{ __typename id }' : target === 'User' ? '{ id username }' : '{ id name }';
  const field = (target: NodeType | 'node'): string => (target === 'node' ? 'node' : LOOKUP[target]);
  for (let i = 0; i < 180; i++) {
    const target = pick(rng, ['node', 'node', ...NODE_TYPES] as const);
    const type = pick(rng, NODE_TYPES);
    const matches = target === 'node' || target === type;
    const kind = pick(rng, ['garbage', 'forged', 'valid', 'nonexistent', 'foreign', 'odd', 'cursor', 'varType', 'literalType'] as const);
    let value: unknown;
    let expect: Expectation;
    switch (kind) {
      case 'garbage':
        value = garbageId(rng, ctx);
        expect = BAD_INPUT;
        break;
      case 'forged':
        value = forgedMalformedId(rng, ctx);
        expect = BAD_INPUT;
        break;
      case 'valid':
        value = pick(rng, ctx.valid[type]);
        expect = matches ? OK : BAD_INPUT;
        break;
      case 'nonexistent':
        value = nonexistentId(rng, ctx, type);
        expect = matches ? OK : BAD_INPUT;
        break;
      case 'foreign':
        // A lookup of another connection's ID finds nothing (null, no error), as for an object that does not exist.
        value = foreignId(rng, ctx);
        expect = OK;
        break;
      case 'odd':
        value = oddKeyId(rng, ctx, type);
        expect = matches ? oneOf(['BAD_USER_INPUT'], true) : BAD_INPUT;
        break;
      case 'cursor':
        value = pick(rng, Object.values(ctx.cursors).flat());
        expect = BAD_INPUT;
        break;
      case 'varType': {
        const wrong = pick(rng, [123, 0, -1, 1.5, 1e300, true, false, [], ['x'], {}, { id: pick(rng, ctx.valid.Organization) }, null, 'MISSING', LONE_SURROGATE]);
        const query = `query Fuzz($id: ID!) { ${field(target)}(id: $id) ${selection(target)} }`;
        g.post(`${field(target)}(id: $id) ← ${JSON.stringify(wrong)}`, query, wrong === 'MISSING' ? {} : { id: wrong }, BAD_INPUT);
        continue;
      }
      case 'literalType': {
        const literal = pick(rng, ['1.5', 'true', 'null', '["a"]', '{ a: 1 }', 'FOO', '123', '-7', '$undefinedVariable']);
        g.post(`${field(target)}(id: ${literal})`, `{ ${field(target)}(id: ${literal}) ${selection(target)} }`, undefined, literal === '123' || literal === '-7' ? BAD_INPUT : INVALID);
        continue;
      }
    }
    const text = value as string;
    // Inline when the value is a valid GraphQL string literal, through a variable otherwise (and half the time).
    if (chance(rng, 0.5)) {
      g.post(`${field(target)}(id: $id) ← ${kind} ${clip(JSON.stringify(text), 120)}`, `query Fuzz($id: ID!) { ${field(target)}(id: $id) ${selection(target)} }`, { id: text }, expect);
    } else {
      g.post(`${field(target)}(id: <${kind}> ${clip(JSON.stringify(text), 120)})`, `{ ${field(target)}(id: ${lit(text)}) ${selection(target)} }`, undefined, expect);
    }
  }
  // nodes(ids:)
  const nodesQuery = 'query Fuzz($ids: [ID!]!) { nodes(ids: $ids) { __typename ... on Node { id } } }';
  for (let i = 0; i < 45; i++) {
    const kind = pick(rng, ['valid', 'tooMany', 'mixed', 'scalar', 'nullEntry', 'literalNull'] as const);
    const some = (n: number): string[] =>
      Array.from({ length: n }, () => (chance(rng, 0.8) ? pick(rng, ctx.valid[pick(rng, NODE_TYPES)]) : nonexistentId(rng, ctx, pick(rng, NODE_TYPES))));
    switch (kind) {
      case 'valid': {
        const ids = some(int(rng, 0, 100));
        g.post(`nodes(ids: ${ids.length} well-formed)`, nodesQuery, { ids }, OK);
        break;
      }
      case 'tooMany': {
        const ids = some(int(rng, 101, 250));
        g.post(`nodes(ids: ${ids.length} well-formed, over the 100 limit)`, nodesQuery, { ids }, BAD_INPUT);
        break;
      }
      case 'mixed': {
        const ids = some(int(rng, 0, 60));
        const garbage = chance(rng, 0.5);
        ids.splice(int(rng, 0, ids.length), 0, garbage ? garbageId(rng, ctx) : foreignId(rng, ctx));
        // A malformed entry fails its own index; another connection's ID is a null entry, like a missing object.
        g.post(`nodes(ids: ${ids.length} with a ${garbage ? 'malformed' : 'foreign'} one)`, nodesQuery, { ids }, garbage ? BAD_INPUT : OK);
        break;
      }
      case 'scalar': {
        const one = pick(rng, [pick(rng, ctx.valid.Group), 5, 'garbage']);
        g.post(`nodes(ids: ${JSON.stringify(one)}) (a single value for a list)`, nodesQuery, { ids: one }, typeof one === 'string' && one !== 'garbage' ? OK : BAD_INPUT);
        break;
      }
      case 'nullEntry':
        g.post('nodes(ids: [valid, null])', nodesQuery, { ids: [pick(rng, ctx.valid.User), null] }, BAD_INPUT);
        break;
      case 'literalNull':
        g.post('nodes(ids: null) literal', '{ nodes(ids: null) { __typename } }', undefined, INVALID);
        break;
    }
  }
}

// --- cursors ----------------------------------------------------------------------------------------------------

/** The lists whose cursors the setup harvests: key → how to reach them (root lists and the fixture Org's). */
const LIST_KEYS = ['Query.organizations', 'Query.users', 'Query.groups', 'Query.roles', 'Organization.groups', 'Organization.users', 'Organization.roles'] as const;

function tagOf(cursor: string): string {
  return Buffer.from(cursor, 'base64url').toString('utf8').split(':')[2] ?? '';
}

function genCursors(g: Gen): void {
  const { rng, ctx } = g;
  const sites = listSites(ctx).filter((s) => (LIST_KEYS as readonly string[]).includes(s.key));
  for (let i = 0; i < 140; i++) {
    const site = pick(rng, sites);
    const own = ctx.cursors[site.key] ?? [];
    const cursor = pick(rng, own);
    const others = Object.entries(ctx.cursors).filter(([key]) => key !== site.key).flatMap(([, list]) => list);
    const direction = chance(rng, 0.7) ? 'after' : 'before';
    const size = direction === 'after' ? `first: ${pick(rng, [1, 2, 3, 5])}` : `last: ${pick(rng, [1, 2])}`;
    const kind = pick(rng, ['own', 'other', 'filterChanged', 'truncated', 'mutated', 'forgedOk', 'forgedBad', 'garbage', 'varType', 'literalType'] as const);
    let value: string;
    let expect: Expectation;
    let extraArgs = '';
    switch (kind) {
      case 'own':
        value = cursor;
        expect = OK;
        break;
      case 'other':
        value = pick(rng, others);
        expect = BAD_INPUT;
        break;
      case 'filterChanged':
        // The same list with another filter (every harvested list takes `namePattern`).
        value = cursor;
        extraArgs = `, namePattern: ${lit(pick(rng, ['%e%', 'a%', '%-%']))}`;
        expect = BAD_INPUT;
        break;
      case 'truncated':
        value = cursor.slice(0, int(rng, 0, cursor.length - 1));
        expect = BAD_INPUT;
        break;
      case 'mutated': {
        const at = int(rng, 0, cursor.length - 1);
        value = cursor.slice(0, at) + pick(rng, [...'AZaz09-_'].filter((c) => c !== cursor[at])) + cursor.slice(at + 1);
        expect = oneOf(['BAD_USER_INPUT'], true);
        break;
      }
      case 'forgedOk':
        value = b64(`c1:${pick(rng, [0, 1, 2, 3, 10, 1_000, 123_456, 2_147_483_646])}:${tagOf(cursor)}`);
        expect = OK;
        break;
      case 'forgedBad':
        value = b64(
          pick(rng, [
            `c1:2147483647:${tagOf(cursor)}`,
            `c1:2147483648:${tagOf(cursor)}`,
            `c1:9999999999:${tagOf(cursor)}`,
            `c1:10000000000:${tagOf(cursor)}`,
            `c1:-1:${tagOf(cursor)}`,
            `c1:01:${tagOf(cursor)}`,
            `c1:1.0:${tagOf(cursor)}`,
            `c1:1e3:${tagOf(cursor)}`,
            `c1::${tagOf(cursor)}`,
            `c1:0x1:${tagOf(cursor)}`,
            `c2:0:${tagOf(cursor)}`,
            `C1:0:${tagOf(cursor)}`,
            `c1:0`,
            `c1:0:${tagOf(cursor)}:x`,
            `c1:0:${randomText(rng, 12)}`,
            `c1:0:`,
          ]),
        );
        expect = BAD_INPUT;
        break;
      case 'garbage':
        value = pick(rng, [garbageId(rng, ctx), pick(rng, ctx.valid.Group), randomText(rng, int(rng, 1, 64)), 'x'.repeat(int(rng, 1_025, 3_000))]);
        expect = BAD_INPUT;
        break;
      case 'varType': {
        const wrong = pick(rng, [123, 1.5, true, [], [cursor], {}, { cursor }]);
        const query = listQuery(rng, site, `${direction}: $c, ${size}`, '$c: String');
        g.post(`${site.key}(${direction}: $c) ← ${JSON.stringify(wrong).slice(0, 80)}`, query, { c: wrong }, BAD_INPUT);
        continue;
      }
      case 'literalType': {
        const literal = pick(rng, ['123', 'true', '[""]', '{ a: 1 }', 'ENUM_VALUE']);
        g.post(`${site.key}(${direction}: ${literal})`, listQuery(rng, site, `${direction}: ${literal}, ${size}`), undefined, INVALID);
        continue;
      }
    }
    if (chance(rng, 0.5)) {
      g.post(`${site.key}(${direction}: $c${extraArgs}) ← ${kind} ${clip(JSON.stringify(value), 100)}`, listQuery(rng, site, `${direction}: $c, ${size}${extraArgs}`, '$c: String'), { c: value }, expect);
    } else {
      g.post(`${site.key}(${direction}: <${kind}>${extraArgs})`, listQuery(rng, site, `${direction}: ${lit(value)}, ${size}${extraArgs}`), undefined, expect);
    }
  }
}

// --- page sizes -------------------------------------------------------------------------------------------------

function genPageSizes(g: Gen): void {
  const { rng, ctx } = g;
  const sites = listSites(ctx);
  for (let i = 0; i < 150; i++) {
    const site = pick(rng, sites);
    const arg = chance(rng, 0.6) ? 'first' : 'last';
    if (chance(rng, 0.5)) {
      const [literal, expect] = pick(rng, [
        ['0', OK],
        ['1', OK],
        ['2', OK],
        ['20', OK],
        ['100', OK],
        ['null', OK],
        ['-1', BAD_INPUT],
        ['-100', BAD_INPUT],
        ['101', BAD_INPUT],
        ['1000', BAD_INPUT],
        ['65536', BAD_INPUT],
        ['2147483647', oneOf(['BAD_USER_INPUT', 'QUERY_TOO_COMPLEX'], false)],
        ['-2147483648', BAD_INPUT],
        ['2147483648', INVALID],
        ['-2147483649', INVALID],
        ['1.5', INVALID],
        ['1e3', INVALID],
        ['"x"', INVALID],
        ['"5"', INVALID],
        ['true', INVALID],
        ['[1]', INVALID],
        ['{ a: 1 }', INVALID],
        ['ASC', INVALID],
      ] as const);
      g.post(`${site.key}(${arg}: ${literal})`, listQuery(rng, site, `${arg}: ${literal}`), undefined, expect);
    } else {
      const [value, expect] = pick(rng, [
        [0, OK],
        [1, OK],
        [100, OK],
        [null, OK],
        [-1, BAD_INPUT],
        [101, BAD_INPUT],
        [1000, BAD_INPUT],
        [2_147_483_647, oneOf(['BAD_USER_INPUT', 'QUERY_TOO_COMPLEX'], false)],
        [2 ** 31, oneOf(['BAD_USER_INPUT', 'QUERY_TOO_COMPLEX'], false)],
        [1e21, oneOf(['BAD_USER_INPUT', 'QUERY_TOO_COMPLEX'], false)],
        [-(2 ** 53), BAD_INPUT],
        [1.5, BAD_INPUT],
        [0.0001, BAD_INPUT],
        ['x', BAD_INPUT],
        ['5', BAD_INPUT],
        ['', BAD_INPUT],
        [true, BAD_INPUT],
        [[5], BAD_INPUT],
        [{}, BAD_INPUT],
      ] as const);
      const required = chance(rng, 0.2);
      g.post(
        `${site.key}(${arg}: $n${required ? ' Int!' : ''}) ← ${JSON.stringify(value)}`,
        listQuery(rng, site, `${arg}: $n`, required ? '$n: Int!' : '$n: Int'),
        { n: value },
        required && value === null ? BAD_INPUT : expect,
      );
    }
  }
  // Wrongly typed variable declarations, and both page sizes at once.
  for (let i = 0; i < 12; i++) {
    const site = pick(rng, sites);
    const declared = pick(rng, ['String', 'Float', 'ID', 'Boolean', '[Int]', 'Int!']);
    g.post(`${site.key}(first: $n) with $n: ${declared}`, listQuery(rng, site, 'first: $n', `$n: ${declared}`), { n: 5 }, declared === 'Int!' ? OK : INVALID);
  }
  for (let i = 0; i < 8; i++) {
    const site = pick(rng, sites);
    g.post(`${site.key}(first and last)`, listQuery(rng, site, `first: ${int(rng, 0, 5)}, last: ${int(rng, 0, 5)}`), undefined, oneOf(['BAD_USER_INPUT'], true));
  }
}

// --- filters and enums ------------------------------------------------------------------------------------------

const ORDER_FIELDS: Record<string, string> = {};
for (const [name, info] of SCHEMA) if (info.kind === 'input' && name.endsWith('Order')) ORDER_FIELDS[name] = info.fields.get('field')?.type ?? '';

/** A short pattern with at most three `%`, of awkward characters: always a valid filter. */
function shortPattern(rng: Rng): string {
  const pieces = [randomText(rng, int(rng, 0, 4)), pick(rng, ['.*', '(', ')', '[', ']', '^', '$', '\\', '_', '?', '+', '|', '{2}', '\u0000', 'ä', '💥', "'", '"', '--', ' ']), randomText(rng, int(rng, 0, 3))];
  let pattern = pieces.join('');
  for (let k = int(rng, 0, 3); k > 0; k--) {
    const at = int(rng, 0, pattern.length);
    pattern = `${pattern.slice(0, at)}%${pattern.slice(at)}`;
  }
  return pattern;
}
/** A text of exactly `length` characters (code units), a `%` or two inside. */
function textOfLength(rng: Rng, length: number): string {
  const text = randomText(rng, length).split('');
  if (length > 4) text[int(rng, 0, length - 1)] = '%';
  return text.join('');
}

function genFilters(g: Gen): void {
  const { rng, ctx } = g;
  const sites = listSites(ctx);
  const withArg = (predicate: (type: string, name: string) => boolean) => sites.filter((s) => [...s.field.args].some(([name, type]) => predicate(type, name)));
  const enumArgOf = (site: ListSite) => [...site.field.args].filter(([, type]) => SCHEMA.get(type.replace(/[[\]!]/g, ''))?.kind === 'enum' && !type.startsWith('['));

  for (let i = 0; i < 210; i++) {
    const kind = pick(rng, ['enumLiteral', 'enumVar', 'privileges', 'orderBy', 'pattern', 'pattern', 'names', 'orgFilter', 'idFilter'] as const);
    switch (kind) {
      case 'enumLiteral': {
        const site = pick(rng, withArg((type) => SCHEMA.get(type.replace(/!/g, ''))?.kind === 'enum'));
        const [name, type] = pick(rng, enumArgOf(site));
        const values = enumValues(type.replace(/!/g, ''));
        const good = chance(rng, 0.3);
        const value = good ? pick(rng, values) : pick(rng, ['BANNED', 'active', `"${pick(rng, values)}"`, '1', 'true', 'SHARABLE', 'IN_ACTIVE', 'LOCAL_USER', `${pick(rng, values)}_`, '__proto__']);
        g.post(`${site.key}(${name}: ${value})`, listQuery(rng, site, `${name}: ${value}, first: 2`), undefined, good ? OK : INVALID);
        break;
      }
      case 'enumVar': {
        const site = pick(rng, withArg((type) => SCHEMA.get(type.replace(/!/g, ''))?.kind === 'enum'));
        const [name, type] = pick(rng, enumArgOf(site));
        const values = enumValues(type.replace(/!/g, ''));
        const good = chance(rng, 0.3);
        const value: unknown = good ? pick(rng, values) : pick(rng, ['BANNED', 'active', 1, true, [], {}, [pick(rng, values)], `${pick(rng, values)} `, '']);
        g.post(`${site.key}(${name}: $v) ← ${JSON.stringify(value)}`, listQuery(rng, site, `${name}: $v, first: 2`, `$v: ${type.replace(/!/g, '')}`), { v: value }, good ? OK : BAD_INPUT);
        break;
      }
      case 'privileges': {
        const site = pick(rng, withArg((_, name) => name === 'privileges'));
        const privileges = enumValues('Privilege');
        if (chance(rng, 0.4)) {
          const [literal, expect] = pick(rng, [
            ['[]', OK],
            [`[${pick(rng, privileges)}]`, OK],
            [`${pick(rng, privileges)}`, OK],
            [`[${pick(rng, privileges)}, NOT_A_PRIVILEGE]`, INVALID],
            ['[null]', INVALID],
            ['["DEVELOPER"]', INVALID],
            ['[CAN_MODIDY_FOLDERS]', INVALID],
          ] as const);
          g.post(`${site.key}(privileges: ${literal})`, listQuery(rng, site, `privileges: ${literal}, first: 2`), undefined, expect);
        } else {
          const [value, expect] = pick(rng, [
            [[], OK],
            [shuffle(rng, privileges).slice(0, int(rng, 1, 60)), OK],
            [pick(rng, privileges), OK],
            [['NOT_A_PRIVILEGE'], BAD_INPUT],
            [[pick(rng, privileges), null], BAD_INPUT],
            [['developer'], BAD_INPUT],
            [[1], BAD_INPUT],
            [{ 0: 'DEVELOPER' }, BAD_INPUT],
          ] as const);
          g.post(`${site.key}(privileges: $p) ← ${clip(JSON.stringify(value), 100)}`, listQuery(rng, site, 'privileges: $p, first: 2', '$p: [Privilege!]'), { p: value }, expect);
        }
        break;
      }
      case 'orderBy': {
        const site = pick(rng, withArg((_, name) => name === 'orderBy'));
        const input = (site.field.args.get('orderBy') ?? '').replace(/!/g, '');
        const fields = enumValues(ORDER_FIELDS[input] ?? '');
        const good = { field: pick(rng, fields), direction: pick(rng, ['ASC', 'DESC']) };
        if (chance(rng, 0.4)) {
          const [literal, expect] = pick(rng, [
            [`{ field: ${good.field}, direction: ${good.direction} }`, OK],
            [`{ field: NOPE, direction: ASC }`, INVALID],
            [`{ field: ${good.field} }`, INVALID],
            [`{ field: ${good.field}, direction: ASC, extra: 1 }`, INVALID],
            [`{ field: "${good.field}", direction: ASC }`, INVALID],
            [`${good.field}`, INVALID],
            ['null', OK],
          ] as const);
          g.post(`${site.key}(orderBy: ${literal})`, listQuery(rng, site, `orderBy: ${literal}, first: 2`), undefined, expect);
        } else {
          const [value, expect] = pick(rng, [
            [good, OK],
            [{ ...good, field: 'NOPE' }, BAD_INPUT],
            [{ field: good.field }, BAD_INPUT],
            [{ ...good, extra: 1 }, BAD_INPUT],
            [{ ...good, direction: 'asc' }, BAD_INPUT],
            [good.field, BAD_INPUT],
            [[good], BAD_INPUT],
            [{ field: null, direction: 'ASC' }, BAD_INPUT],
            [null, OK],
          ] as const);
          g.post(`${site.key}(orderBy: $o) ← ${JSON.stringify(value)}`, listQuery(rng, site, 'orderBy: $o, first: 2', `$o: ${input}`), { o: value }, expect);
        }
        break;
      }
      case 'pattern': {
        const site = pick(rng, withArg((_, name) => name === 'namePattern'));
        const [pattern, expect] = pick(rng, [
          [shortPattern(rng), OK],
          [shortPattern(rng), OK],
          [unicodeText(rng, int(rng, 1, 10)), OK],
          [textOfLength(rng, 255), OK],
          [textOfLength(rng, 256), BAD_INPUT],
          [textOfLength(rng, int(rng, 257, 5_000)), BAD_INPUT],
          [textOfLength(rng, int(rng, 20_000, 120_000)), BAD_INPUT],
          ['', oneOf(['BAD_USER_INPUT'], true)],
        ] as const);
        if (chance(rng, 0.5) || pattern.includes('\u0000')) {
          g.post(`${site.key}(namePattern: $p) ← ${pattern.length} chars ${clip(JSON.stringify(pattern), 60)}`, listQuery(rng, site, 'namePattern: $p, first: 3', '$p: String'), { p: pattern }, expect);
        } else {
          g.post(`${site.key}(namePattern: <${pattern.length} chars> ${clip(JSON.stringify(pattern), 60)})`, listQuery(rng, site, `namePattern: ${lit(pattern)}, first: 3`), undefined, expect);
        }
        break;
      }
      case 'names': {
        const lookups = [
          { field: 'organizationByName', arg: 'name', sel: '{ id name }' },
          { field: 'groupByName', arg: 'name', sel: '{ id name }' },
          { field: 'roleByName', arg: 'name', sel: '{ id name }' },
          { field: 'userByUsername', arg: 'username', sel: '{ id username }' },
          { field: 'userByEmail', arg: 'email', sel: '{ id username }' },
        ];
        const emailSites = withArg((_, name) => name === 'email');
        const [value, expect] = pick(rng, [
          [unicodeText(rng, int(rng, 1, 6)), OK],
          [shortPattern(rng), OK],
          [`${randomText(rng, 8)}@${randomText(rng, 6)}.example`, OK],
          [textOfLength(rng, 255), OK],
          [textOfLength(rng, 256), BAD_INPUT],
          [textOfLength(rng, int(rng, 300, 50_000)), BAD_INPUT],
          ['', oneOf(['BAD_USER_INPUT'], true)],
        ] as const);
        if (chance(rng, 0.3)) {
          const site = pick(rng, emailSites);
          g.post(`${site.key}(email: <${value.length} chars>)`, listQuery(rng, site, 'email: $e, first: 2', '$e: String'), { e: value }, expect);
        } else {
          const lookup = pick(rng, lookups);
          const query = `query Fuzz($v: String!) { ${lookup.field}(${lookup.arg}: $v) ${lookup.sel} }`;
          g.post(`${lookup.field}(${lookup.arg}: <${value.length} chars> ${clip(JSON.stringify(value), 50)})`, query, { v: value }, expect);
        }
        break;
      }
      case 'orgFilter': {
        // organizationId on lists (a filter) and on the by-name lookups.
        const listSitesWithOrg = withArg((_, name) => name === 'organizationId');
        const [value, listExpect, lookupExpect, what] = pick(rng, [
          [pick(rng, ctx.valid.Organization), OK, OK, 'existing'],
          [gid({ typename: 'Organization', orgId: NONEXISTENT_ORG }), BAD_INPUT, oneOf(['BAD_USER_INPUT'], true), 'nonexistent'],
          [gid({ typename: 'Organization', orgId: 2_147_483_646 }), BAD_INPUT, oneOf(['BAD_USER_INPUT'], true), 'nonexistent'],
          [b64(`v1:Organization:elsewhere:${pick(rng, ctx.orgIds)}`), BAD_INPUT, oneOf(['BAD_USER_INPUT'], true), 'foreign'],
          [pick(rng, ctx.valid.Group), BAD_INPUT, BAD_INPUT, 'a Group id'],
          [pick(rng, ctx.valid.User), BAD_INPUT, BAD_INPUT, 'a User id'],
          [garbageId(rng, ctx), BAD_INPUT, BAD_INPUT, 'garbage'],
        ] as const);
        if (chance(rng, 0.65)) {
          const site = pick(rng, listSitesWithOrg);
          g.post(`${site.key}(organizationId: <${what}>)`, listQuery(rng, site, 'organizationId: $o, first: 2', '$o: ID'), { o: value }, listExpect);
        } else if (chance(rng, 0.5)) {
          const lookup = pick(rng, [
            ['groupByName', 'name', 'G-00'],
            ['roleByName', 'name', 'R-Read'],
            ['userByEmail', 'email', 'u-000@fixture-co.example'],
          ] as const);
          g.post(
            `${lookup[0]}(organizationId: <${what}>)`,
            `query Fuzz($o: ID) { ${lookup[0]}(${lookup[1]}: ${lit(lookup[2])}, organizationId: $o) { id } }`,
            { o: value },
            lookupExpect,
          );
        } else {
          // User.privileges(organizationId:) filters too.
          g.post(`User.privileges(organizationId: <${what}>)`, `query Fuzz($u: ID!, $o: ID) { user(id: $u) { privileges(organizationId: $o) } }`, { u: pick(rng, ctx.valid.User), o: value }, listExpect);
        }
        break;
      }
      case 'idFilter': {
        const site = pick(rng, withArg((_, name) => ['groupId', 'roleId', 'userId'].includes(name)));
        const names = [...site.field.args.keys()].filter((name) => ['groupId', 'roleId', 'userId'].includes(name));
        const name = pick(rng, names);
        const type: NodeType = name === 'groupId' ? 'Group' : name === 'roleId' ? 'Role' : 'User';
        const wrongType = pick(rng, NODE_TYPES.filter((t) => t !== type));
        const options: [unknown, Expectation, string][] = [
          [garbageId(rng, ctx), BAD_INPUT, 'garbage'],
          // Another connection's ID narrows the list as an object that does not exist would: no match, or the
          // missing Organization its group or role would be in.
          [foreignId(rng, ctx), oneOf(['BAD_USER_INPUT'], true), 'foreign'],
          [pick(rng, ctx.valid[wrongType]), BAD_INPUT, `a ${wrongType} id`],
          [forgedMalformedId(rng, ctx), BAD_INPUT, 'forged'],
        ];
        if (type !== 'User') {
          options.push([gid({ typename: type, orgId: NONEXISTENT_ORG, guid: pick(rng, type === 'Group' ? ctx.groupGuids : ctx.roleGuids) }), BAD_INPUT, 'in a nonexistent Organization']);
        }
        if (site.prefix === '' || site.key.startsWith('Organization.')) {
          // A fixture object, on a list of the fixture Org (or a root list, whose Org it implies).
          const own = type === 'Group' ? ctx.valid.Group : type === 'Role' ? ctx.valid.Role : ctx.valid.User;
          options.push([pick(rng, own), OK, 'existing']);
        }
        const [value, expect, what] = pick(rng, options);
        g.post(`${site.key}(${name}: <${what}>)`, listQuery(rng, site, `${name}: $x, first: 2`, '$x: ID'), { x: value }, expect);
        break;
      }
    }
  }
}

// --- variables --------------------------------------------------------------------------------------------------

function genVariables(g: Gen): void {
  const { rng, ctx } = g;
  const simple = '{ organizations(first: 1) { nodes { id } } }';
  for (const variables of ['x', [1], 1, true, '{"a":1}']) {
    g.add(`variables: ${JSON.stringify(variables)}`, gqlPost({ query: simple, variables }), code('BAD_REQUEST', 400));
  }
  g.add('variables: null', gqlPost({ query: simple, variables: null }), OK);
  const cases: [string, string, Record<string, unknown> | undefined, Expectation][] = [
    ['unknown variable type', 'query Fuzz($x: Foo) { organizations(first: 1) { nodes { id } } }', { x: 1 }, INVALID],
    ['variable type mismatch', 'query Fuzz($x: Int) { node(id: $x) { id } }', { x: 1 }, INVALID],
    ['unused variable', 'query Fuzz($x: Int) { organizations(first: 1) { nodes { id } } }', { x: 1 }, INVALID],
    ['undefined variable', '{ organizations(first: $x) { nodes { id } } }', { x: 1 }, INVALID],
    ['duplicate variable', 'query Fuzz($x: Int, $x: Int) { organizations(first: $x) { nodes { id } } }', { x: 1 }, INVALID],
    ['missing required variable', 'query Fuzz($x: ID!) { node(id: $x) { id } }', {}, BAD_INPUT],
    ['variables omitted', 'query Fuzz($x: ID!) { node(id: $x) { id } }', undefined, BAD_INPUT],
    ['null for a required variable', 'query Fuzz($x: ID!) { node(id: $x) { id } }', { x: null }, BAD_INPUT],
    ['input object variable type', 'query Fuzz($x: GroupOrder) { node(id: $x) { id } }', { x: {} }, INVALID],
    ['output type as variable type', 'query Fuzz($x: Group) { organizations(first: 1) { nodes { id } } }', { x: {} }, INVALID],
    ['default of the wrong type', 'query Fuzz($x: Int = "a") { organizations(first: $x) { nodes { id } } }', undefined, INVALID],
    ['default out of range', 'query Fuzz($x: Int = 5000) { organizations(first: $x) { nodes { id } } }', undefined, BAD_INPUT],
    ['extra variables are ignored', simple, { a: 1, b: [1, 2], c: { d: null } }, OK],
    ['__proto__ in variables', 'query Fuzz($first: Int) { organizations(first: $first) { nodes { id } } }', JSON.parse('{"__proto__":{"first":500},"first":1}') as Record<string, unknown>, OK],
    ['constructor in variables', simple, { constructor: { prototype: { polluted: true } } }, OK],
  ];
  for (const [label, query, variables, expect] of cases) g.post(label, query, variables, expect);
  // Many unused variables, and deeply nested variable values (built as text: JSON.stringify itself would overflow).
  for (let i = 0; i < 6; i++) {
    const count = int(rng, 1_000, 20_000);
    const vars: Record<string, number> = {};
    for (let k = 0; k < count; k++) vars[`v${k}`] = k;
    g.post(`${count} unused variables`, simple, vars, OK);
  }
  for (const depth of [100, 1_000, 10_000, 100_000]) {
    const nested = `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const nestedObject = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    const bodies: [string, string, Expectation][] = [
      [`ID! variable nested ${depth} deep`, `{"query":"query Fuzz($id: ID!) { node(id: $id) { id } }","variables":{"id":${nested}}}`, BAD_INPUT],
      [`[ID!]! variable nested ${depth} deep`, `{"query":"query Fuzz($ids: [ID!]!) { nodes(ids: $ids) { id } }","variables":{"ids":${nested}}}`, BAD_INPUT],
      [
        `_entities representation id nested ${depth} deep`,
        `{"query":"query Fuzz($r: [_Any!]!) { _entities(representations: $r) { __typename } }","variables":{"r":[{"__typename":"Group","id":${nested}}]}}`,
        BAD_INPUT,
      ],
      [
        `_entities representation with an extra key nested ${depth} deep`,
        `{"query":"query Fuzz($r: [_Any!]!) { _entities(representations: $r) { __typename } }","variables":{"r":[{"__typename":"Group","id":${JSON.stringify(pick(rng, ctx.valid.Group))},"x":${nestedObject}}]}}`,
        oneOf(['BAD_USER_INPUT'], true),
      ],
      [`unused variable nested ${depth} deep`, `{"query":"{ organizations(first: 1) { nodes { id } } }","variables":{"deep":${nestedObject}}}`, OK],
      [`orderBy variable nested ${depth} deep`, `{"query":"query Fuzz($o: GroupOrder) { groups(orderBy: $o, first: 1) { nodes { id } } }","variables":{"o":${nestedObject}}}`, BAD_INPUT],
    ];
    for (const [label, body, expect] of bodies) g.add(label, { method: 'POST', path: '', headers: { 'content-type': 'application/json' }, body }, expect);
  }
  // Random JSON values for a handful of typed variables.
  const typed: [string, string, (v: unknown) => Expectation][] = [
    ['$id: ID', 'query Fuzz($id: ID) { node(id: $id) { id } }', (v) => (v === null ? INVALID : BAD_INPUT)],
    ['$s: AccountStatus', 'query Fuzz($s: AccountStatus) { users(accountStatus: $s, first: 1) { nodes { id } } }', (v) => (v === null ? OK : BAD_INPUT)],
    ['$b: Boolean!', 'query Fuzz($b: Boolean!) { organizations(first: 1) @include(if: $b) { nodes { id } } }', (v) => (typeof v === 'boolean' ? OK : BAD_INPUT)],
  ];
  const jsonValues: unknown[] = [null, 0, -0, 1e308, -1e-308, '', ' ', 'true', [], [[]], {}, { a: [] }, [null], '\u0000', LONE_SURROGATE];
  for (let i = 0; i < 25; i++) {
    const [label, query, expectOf] = pick(rng, typed);
    const value = pick(rng, jsonValues);
    // `$id: ID` with null is fine for the variable but node(id:) needs ID!: a validation error, whatever the value.
    g.post(`${label} ← ${JSON.stringify(value)}`, query, { [label.slice(1, label.indexOf(':'))]: value }, label === '$id: ID' ? INVALID : expectOf(value));
  }
}

// --- _entities --------------------------------------------------------------------------------------------------

const ENTITIES = 'query Fuzz($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Organization { name } ... on Group { name } ... on User { username } ... on Role { name } } }';

function validRepresentation(rng: Rng, ctx: Ctx): Record<string, unknown> {
  const type = pick(rng, NODE_TYPES);
  if (type === 'Organization' && chance(rng, 0.3)) return { __typename: 'Organization', name: pick(rng, ['Primary', 'Fixture-Co', 'No-Such-Org']) };
  if (type === 'User' && chance(rng, 0.3)) return { __typename: 'User', username: pick(rng, ['fixture-co.u-000', 'nobody.here', 'tsadmin']) };
  return { __typename: type, id: chance(rng, 0.8) ? pick(rng, ctx.valid[type]) : nonexistentId(rng, ctx, type) };
}
function invalidRepresentation(rng: Rng, ctx: Ctx): unknown {
  const type = pick(rng, NODE_TYPES);
  const id = pick(rng, ctx.valid[type]);
  return pick(rng, [
    {},
    { id },
    { __typename: '', id },
    { __typename: 'Hacker', id },
    { __typename: 'Query', id },
    { __typename: 'PageInfo', id },
    { __typename: 'Node', id },
    { __typename: 'GroupConnection', id },
    { __typename: '_Service', id },
    { __typename: type.toLowerCase(), id },
    { __typename: 1, id },
    { __typename: null, id },
    { __typename: [type], id },
    { __typename: { name: type }, id },
    { __typename: 'Group', id: [] },
    { __typename: 'Group', id: {} },
    { __typename: 'Group', id: null },
    { __typename: 'Role', id: 42 },
    { __typename: 'User', id: 1.5 },
    { __typename: 'Organization', id: true },
    { __typename: 'Group', id: [id] },
    { __typename: 'Group', id: '' },
    { __typename: 'Group', id: garbageId(rng, ctx) },
    { __typename: 'Role', id: foreignId(rng, ctx) },
    { __typename: 'Group', id: pick(rng, ctx.valid.User) },
    { __typename: 'Organization', id: pick(rng, ctx.valid.Role) },
    { __typename: 'Group', name: 'G-00' },
    { __typename: 'Role', name: 'R-Read' },
    { __typename: 'Organization', name: 42 },
    { __typename: 'Organization', name: ['Primary'] },
    { __typename: 'User', username: {} },
    { __typename: 'User', username: null },
    { __typename: 'User', email: 'u-000@fixture-co.example' },
    { __typename: 'Group', id: 'x'.repeat(2_000) },
    JSON.parse(`{"__typename":"Group","__proto__":{"id":${JSON.stringify(id)}}}`),
    1,
    'Group',
    true,
    [],
    [{ __typename: 'Group', id }],
  ]);
}

function genEntities(g: Gen): void {
  const { rng, ctx } = g;
  // The known crash first, verbatim.
  g.post('_entities [{"__typename":"Group","id":[]},{}] (the known crash)', ENTITIES, { r: [{ __typename: 'Group', id: [] }, {}] }, BAD_INPUT);
  g.post('_entities []', ENTITIES, { r: [] }, OK);
  g.post('_entities null', ENTITIES, { r: null }, BAD_INPUT);
  g.post('_entities [null]', ENTITIES, { r: [null] }, BAD_INPUT);
  g.post('_entities "x"', ENTITIES, { r: 'x' }, BAD_INPUT);
  g.post('_entities inline [{__typename: "Group", id: []}, {}]', '{ _entities(representations: [{ __typename: "Group", id: [] }, {}]) { __typename } }', undefined, BAD_INPUT);
  g.post('_entities inline [1]', '{ _entities(representations: [1]) { __typename } }', undefined, BAD_INPUT);
  g.post('_service', '{ _service { sdl } }', undefined, OK);
  for (let i = 0; i < 150; i++) {
    const kind = pick(rng, ['valid', 'invalid', 'mixed', 'mixed'] as const);
    let reps: unknown[];
    let expect: Expectation;
    if (kind === 'valid') {
      reps = Array.from({ length: int(rng, 1, 40) }, () => validRepresentation(rng, ctx));
      expect = OK;
    } else if (kind === 'invalid') {
      reps = [invalidRepresentation(rng, ctx)];
      expect = BAD_INPUT;
    } else {
      reps = Array.from({ length: int(rng, 1, 20) }, () => validRepresentation(rng, ctx));
      for (let k = int(rng, 1, 3); k > 0; k--) reps.splice(int(rng, 0, reps.length), 0, invalidRepresentation(rng, ctx));
      expect = BAD_INPUT;
    }
    g.post(`_entities ${kind} ${clip(JSON.stringify(reps), 200)}`, ENTITIES, { r: reps }, expect);
  }
}

// --- operations, syntax and directives -------------------------------------------------------------------------

function genOperations(g: Gen): void {
  const { rng } = g;
  const ops: [string, Expectation, string?][] = [
    ['mutation { __typename }', OK],
    ['mutation M { organizations(first: 1) { totalCount } }', INVALID],
    ['mutation ($x: Int) { __typename }', INVALID],
    ['mutation { createUser(name: "x") { id } }', INVALID],
    ['mutation { deleteUser(id: "x") }', INVALID],
    ['subscription { __typename }', INVALID],
    ['subscription S { organizations(first: 1) { totalCount } }', INVALID],
    ['subscription { userChanged { id } }', INVALID],
    ['query Q { __typename } mutation M { __typename }', OK, 'M'],
    ['query Q { __typename } subscription S { __typename }', INVALID, 'S'],
    ['query Q { __typename } mutation M { __typename }', ANY, 'Q'],
    ['fragment F on Query { __typename }', INVALID],
    ['type X { a: Int }', INVALID],
    ['{ __typename } type X { a: Int }', INVALID],
    ['schema { query: Query }', INVALID],
    ['extend type Query { x: Int }', INVALID],
    ['directive @x on FIELD', INVALID],
    ['{ __typename @nope }', INVALID],
    ['{ __typename @skip }', INVALID],
    ['{ __typename @skip(if: "yes") }', INVALID],
    ['{ __typename @skip(if: true) @skip(if: false) }', INVALID],
    ['{ __typename @include(if: false) }', OK],
    ['{ ... @defer { __typename } }', INVALID],
    ['{ organizations(first: 1) @stream { totalCount } }', INVALID],
    ['{ __typename } { __typename }', INVALID],
    ['query A { __typename } query A { __typename }', INVALID],
    ['query A { __typename } query B { __typename }', code('OPERATION_RESOLUTION_FAILURE')],
    ['query A { __typename }', code('OPERATION_RESOLUTION_FAILURE'), 'B'],
    ['{ ...A } fragment A on Query { ...A }', INVALID],
    ['{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }', INVALID],
    ['{ ...Missing }', INVALID],
    ['{ ...A } fragment A on Query { __typename } fragment A on Query { __typename }', INVALID],
    ['{ ... on Group { id } }', INVALID],
    ['{ organizations { nodes { ... on User { id } } } }', INVALID],
    ['{ organizations(first: 1) { nodes { name: id name } } }', INVALID],
    ['{ organizations(first: 1, first: 2) { totalCount } }', INVALID],
    ['{ organizations(nope: 1) { totalCount } }', INVALID],
    ['{ organizations { nodes } }', INVALID],
    ['{ organizations(first: 1) { totalCount { x } } }', INVALID],
    ['{ node }', INVALID],
    ['{ __schema { queryType { name } mutationType { name } subscriptionType { name } } }', OK],
    ['{ __type(name: "Mutation") { name } }', OK],
    ['{ __typename a: __typename b: __typename }', OK],
  ];
  for (const [query, expect, operationName] of ops) {
    g.add(`${query}${operationName === undefined ? '' : ` (operationName ${operationName})`}`, gqlPost(operationName === undefined ? { query } : { query, operationName }), expect);
  }
  // Syntax errors: explicit ones, and strict prefixes of valid queries (always unbalanced).
  const broken = [
    '{',
    '}',
    '{ organizations(first: ) { totalCount } }',
    '{ organizations(first: 1 { totalCount } }',
    'query (',
    'query Q($: Int) { __typename }',
    '{ "unterminated }',
    '{ __typename } }',
    '{ a: b: c }',
    '\u0000',
    '{ __typename \u0000 }',
    '{ __typename } #\n}',
    '{ organizations(namePattern: """unterminated) { totalCount } }',
    '{ organizations(namePattern: "\\u{D800}") { totalCount } }',
    '{ organizations(namePattern: "\\x41") { totalCount } }',
    'query Q @ { __typename }',
    '{ ...on }',
    '{ ... on { __typename } }',
    'fragment on on on { on }',
    'mutation',
    'subscription {',
    '{ 1 }',
    '{ $x }',
  ];
  for (const query of broken) g.add(`syntax: ${JSON.stringify(query)}`, gqlPost({ query }), PARSE);
  const valid = [
    '{ organizations(first: 2, orderBy: { field: NAME, direction: ASC }) { totalCount nodes { id name groups(first: 1) { nodes { name } } } } }',
    'query Fuzz($id: ID!) { node(id: $id) { __typename ... on Group { name members(first: 2) { nodes { username } } } } }',
    '{ users(first: 3, namePattern: "%a%") { edges { cursor node { username email } } pageInfo { hasNextPage } } }',
  ];
  for (let i = 0; i < 30; i++) {
    const source = pick(rng, valid);
    const end = source.lastIndexOf('}');
    let cut = int(rng, 1, end - 1);
    while (source.slice(0, cut).trim() === '') cut += 1;
    g.add(`syntax: prefix of ${cut} characters`, gqlPost({ query: source.slice(0, cut) }), PARSE);
  }
}

// --- GET --------------------------------------------------------------------------------------------------------

function genGet(g: Gen): void {
  const { rng, ctx } = g;
  const preflight = { 'apollo-require-preflight': 'true' };
  const get = (label: string, params: Record<string, string>, expect: Expectation, headers: Record<string, string> = preflight): void => {
    g.add(`GET ${label}`, { method: 'GET', path: `?${new URLSearchParams(params).toString()}`, headers }, expect);
  };
  const valid = '{ organizations(first: 1) { nodes { id name } } }';
  const q = (id: string) => `query Fuzz($id: ID!) { node(id: $id) { id } }${id}`;
  for (let i = 0; i < 70; i++) {
    const kind = pick(rng, ['valid', 'syntax', 'unknownField', 'badVarsJson', 'varsArray', 'badExtJson', 'mutation', 'subscription', 'noQuery', 'emptyQuery', 'opName', 'apq', 'csrf', 'csrfSimpleType', 'jsonType', 'badVarValue', 'badId', 'garbageParams'] as const);
    switch (kind) {
      case 'valid':
        get('valid', { query: valid }, OK);
        break;
      case 'syntax':
        get('syntax error', { query: pick(rng, ['{', '{ organizations(', 'query {', '}}}']) }, PARSE);
        break;
      case 'unknownField':
        get('unknown field', { query: `{ ${pick(rng, ['nope', 'mutation', 'users { nope }', 'organizations { nodes { password } }'])} }` }, INVALID);
        break;
      case 'badVarsJson':
        get('variables=not JSON', { query: q(''), variables: pick(rng, ['nope', '{', '{"id":', "{'id':1}"]) }, code('BAD_REQUEST', 400));
        break;
      case 'varsArray':
        get('variables=array', { query: q(''), variables: '[1]' }, code('BAD_REQUEST', 400));
        break;
      case 'badExtJson':
        get('extensions=not JSON', { query: valid, extensions: pick(rng, ['nope', '{', '[}']) }, code('BAD_REQUEST', 400));
        break;
      case 'mutation':
        // A valid mutation over GET is refused by method (Apollo Server: 405); an invalid one fails validation first.
        if (chance(rng, 0.5)) get('mutation', { query: 'mutation { __typename }' }, code('BAD_REQUEST', 405));
        else get('mutation', { query: 'mutation M { organizations(first: 1) { totalCount } }' }, INVALID);
        break;
      case 'subscription':
        get('subscription', { query: 'subscription { __typename }' }, INVALID);
        break;
      case 'noQuery':
        get('no query', {}, code('BAD_REQUEST', 400));
        break;
      case 'emptyQuery':
        get('empty query', { query: '' }, code('BAD_REQUEST', 400));
        break;
      case 'opName':
        get('unknown operationName', { query: 'query A { __typename }', operationName: 'B' }, code('OPERATION_RESOLUTION_FAILURE'));
        break;
      case 'apq':
        get('APQ unknown hash', { extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: randomText(rng, 64, '0123456789abcdef') } }) }, code('PERSISTED_QUERY_NOT_FOUND'));
        break;
      case 'csrf':
        get('without a preflight header (CSRF)', { query: valid }, code('BAD_REQUEST', 400), {});
        break;
      case 'csrfSimpleType':
        get('with a simple content-type and no preflight header (CSRF)', { query: valid }, code('BAD_REQUEST', 400), {
          'content-type': pick(rng, ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data']),
        });
        break;
      case 'jsonType':
        get('with content-type application/json and no preflight header', { query: valid }, OK, { 'content-type': 'application/json' });
        break;
      case 'badVarValue':
        get('variable of the wrong type', { query: 'query Fuzz($n: Int) { organizations(first: $n) { totalCount } }', variables: JSON.stringify({ n: pick(rng, ['x', 1.5, true, 101, -1]) }) }, BAD_INPUT);
        break;
      case 'badId':
        get('malformed id', { query: q(''), variables: JSON.stringify({ id: garbageId(rng, ctx).slice(0, 500) }) }, BAD_INPUT);
        break;
      case 'garbageParams':
        g.add(
          'GET garbage query string',
          { method: 'GET', path: pick(rng, ['?query=%ZZ', '?query=%7B&query=%7D', '?=&&=', '?query[]=x', '?query=%00', `?query=${'%7B'.repeat(2_000)}`, '?variables=%7B%7D']), headers: preflight },
          ANY,
        );
        break;
    }
  }
}

// --- APQ --------------------------------------------------------------------------------------------------------

function genApq(g: Gen): void {
  const { rng } = g;
  const sha = (text: string) => createHash('sha256').update(text).digest('hex');
  for (let i = 0; i < 50; i++) {
    const kind = pick(rng, ['unknown', 'unknownOddHash', 'badVersion', 'mismatch', 'register', 'shapes'] as const);
    const query = `{ organizations(first: ${int(rng, 1, 3)}) { nodes { id } } }`;
    switch (kind) {
      case 'unknown':
        g.add('APQ unknown hash', gqlPost({ extensions: { persistedQuery: { version: 1, sha256Hash: randomText(rng, 64, '0123456789abcdef') } } }), code('PERSISTED_QUERY_NOT_FOUND'));
        break;
      case 'unknownOddHash': {
        const hash = pick(rng, ['', 'xyz', 'Z'.repeat(64), randomText(rng, 1_000), unicodeText(rng, 3)]);
        g.add(`APQ odd hash ${clip(JSON.stringify(hash), 40)}`, gqlPost({ extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }), oneOf(['PERSISTED_QUERY_NOT_FOUND', 'BAD_REQUEST'], false));
        break;
      }
      case 'badVersion': {
        const version = pick(rng, [2, 0, -1, '1', null, 1.5, [1]]);
        g.add(`APQ version ${JSON.stringify(version)}`, gqlPost({ extensions: { persistedQuery: { version, sha256Hash: randomText(rng, 64, '0123456789abcdef') } } }), BAD_REQUEST);
        break;
      }
      case 'mismatch':
        g.add('APQ hash that does not match the query', gqlPost({ query, extensions: { persistedQuery: { version: 1, sha256Hash: sha(`${query} `) } } }), BAD_REQUEST);
        break;
      case 'register':
        g.add('APQ registration (hash and query)', gqlPost({ query, extensions: { persistedQuery: { version: 1, sha256Hash: sha(query) } } }), OK);
        break;
      case 'shapes': {
        const persistedQuery = pick(rng, ['x', 1, [], true, {}]);
        g.add(`APQ persistedQuery ${JSON.stringify(persistedQuery)}`, gqlPost({ extensions: { persistedQuery } }), oneOf(['BAD_REQUEST', 'PERSISTED_QUERY_NOT_FOUND'], false));
        break;
      }
    }
  }
}

// --- HTTP bodies ------------------------------------------------------------------------------------------------

function genHttp(g: Gen): void {
  const { rng } = g;
  const json = { 'content-type': 'application/json' };
  const raw = (label: string, body: string, expect: Expectation, headers: Record<string, string> = json, method = 'POST', path = '') =>
    g.add(label, { method, path, headers, body }, expect);
  const validBody = '{"query":"{ organizations(first: 1) { nodes { id } } }"}';
  for (const body of ['', ' ', '{', '{"query": ', '{"query":"{ __typename }"', "{'query':'{ __typename }'}", '{"query":"{ __typename }",}', 'nul', 'NaN', '\uFEFF' + validBody, '{"query":"\\u00"}', '{"query":"{ __typename }"}{"query":"x"}', '\u0000']) {
    raw(`invalid JSON ${JSON.stringify(body)}`, body, code('BAD_REQUEST', 400));
  }
  for (const body of ['[]', `[${validBody}]`, `[${validBody},${validBody}]`, 'null', '1', '"{ __typename }"', 'true', '{}']) {
    raw(`JSON that is not an operation: ${body.slice(0, 60)}`, body, code('BAD_REQUEST', 400));
  }
  for (const body of ['{"query":null}', '{"query":""}', '{"query":1}', '{"query":["{ __typename }"]}', '{"query":{"kind":"Document"}}', '{"variables":{}}', '{"operationName":"A"}', '{"query":"{ __typename }","operationName":1}', '{"query":"{ __typename }","extensions":"x"}', '{"query":"{ __typename }","extensions":[]}']) {
    raw(`malformed operation ${body}`, body, code('BAD_REQUEST', 400));
  }
  for (const contentType of ['text/plain', 'text/plain; charset=utf-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/graphql', 'application/jsonx', 'json', '']) {
    const headers: Record<string, string> = contentType === '' ? {} : { 'content-type': contentType };
    raw(`POST with content-type ${JSON.stringify(contentType)}`, validBody, code('BAD_REQUEST', 400), headers);
  }
  for (const contentType of ['application/json; charset=utf-8', 'application/json;charset=UTF-8']) {
    raw(`POST with content-type ${JSON.stringify(contentType)}`, validBody, OK, { 'content-type': contentType });
  }
  raw('POST with content-type "APPLICATION/JSON"', validBody, ANY, { 'content-type': 'APPLICATION/JSON' });
  for (const accept of ['application/graphql-response+json', 'application/json', '*/*', 'text/event-stream', 'multipart/mixed', 'text/html', 'application/xml', '']) {
    raw(`POST with accept ${JSON.stringify(accept)}`, validBody, ANY, { ...json, accept });
  }
  for (const method of ['PUT', 'PATCH', 'DELETE']) raw(`${method} /`, validBody, BAD_REQUEST, json, method);
  raw('POST /graphql', validBody, OK, json, 'POST', 'graphql');
  for (const path of ['graphql/', 'GRAPHQL', 'graphql/x', '%2e%2e/graphql', 'health/../graphql', '..%2fgraphql', '/%00']) raw(`POST /${path}`, validBody, ANY, json, 'POST', path);
  // Near the 1 MiB body limit, and just over it.
  const limit = 1_048_576;
  const pad = (prefix: string, suffix: string, total: number) => `${prefix}${'x'.repeat(total - prefix.length - suffix.length)}${suffix}`;
  raw('~1 MB query padded with a comment', pad('{"query":"{ organizations(first: 1) { nodes { id } } } #', '"}', limit - 10), OK);
  raw('~1 MB query padded with whitespace', `{"query":"{ organizations(first: 1) { nodes { id } }${' '.repeat(limit - 100)}}"}`, OK);
  raw('~1 MB of commas (ignored tokens)', `{"query":"{ organizations(first: 1) { nodes { id } }${','.repeat(limit - 100)}}"}`, OK);
  raw('~1 MB namePattern literal', pad('{"query":"{ organizations(first: 1, namePattern: \\"', '\\") { nodes { id } } }"}', limit - 10), BAD_INPUT);
  raw('~1 MB namePattern variable', pad('{"query":"query Fuzz($p: String) { users(namePattern: $p, first: 1) { nodes { id } } }","variables":{"p":"', '"}}', limit - 10), BAD_INPUT);
  raw('~1 MB id variable', pad('{"query":"query Fuzz($id: ID!) { node(id: $id) { id } }","variables":{"id":"', '"}}', limit - 10), BAD_INPUT);
  raw('~1 MB operationName', pad('{"query":"{ __typename }","operationName":"', '"}', limit - 10), code('OPERATION_RESOLUTION_FAILURE'));
  const aliases: string[] = [];
  for (let size = 0; size < limit - 40_000; size += aliases[aliases.length - 1]?.length ?? 0) aliases.push(`a${aliases.length}: __typename `);
  // Both are far over QUERY_MAX_TOKENS (15,000): the parser stops counting there, before any recursive pass.
  raw(`~1 MB of ${aliases.length} aliased __typename fields`, JSON.stringify({ query: `{ ${aliases.join('')}}` }), code('GRAPHQL_PARSE_FAILED', 400));
  const repeated = 'name '.repeat(150_000);
  raw('~750 kB of one repeated field', JSON.stringify({ query: `{ organizations(first: 1) { nodes { ${repeated} } } }` }), code('GRAPHQL_PARSE_FAILED', 400));
  // Just under the token limit, a chain of fragments must still be measured and answered (a chain of 4,000 overflowed
  // graphql-js's recursive validation before the token limit existed).
  const chain = Array.from({ length: 1_500 }, (_, i) => `fragment C${i} on Organization { ...C${i + 1} }`).join(' ');
  raw('a chain of 1,500 fragments', JSON.stringify({ query: `{ organizations(first: 1) { nodes { ...C0 } } } ${chain} fragment C1500 on Organization { name }` }), OK);
  const longChain = Array.from({ length: 20_000 }, (_, i) => `fragment C${i} on Organization { ...C${i + 1} }`).join(' ');
  raw('a chain of 20,000 fragments', JSON.stringify({ query: `{ organizations(first: 1) { nodes { ...C0 } } } ${longChain} fragment C20000 on Organization { name }` }), code('GRAPHQL_PARSE_FAILED', 400));
  raw('1 byte over the body limit', pad('{"query":"{ __typename } #', '"}', limit + 1), BAD_REQUEST);
  raw('5 MB body', pad('{"query":"{ __typename } #', '"}', 5 * limit), BAD_REQUEST);
  for (let i = 0; i < 6; i++) {
    const bytes = Buffer.alloc(int(rng, 1, 2_000));
    for (let k = 0; k < bytes.length; k++) bytes[k] = int(rng, 0, 255);
    raw(`random bytes (${bytes.length})`, bytes.toString('latin1'), code('BAD_REQUEST', 400));
  }
}

// --- complexity: depth, nodes, lists, fragments -------------------------------------------------------------------

/** A chain of `links` hops Organization → groups/roles → Organization, from the fixture Org, as text and measures. */
function depthChain(rng: Rng, ctx: Ctx, links: number, viaFragments: boolean): { query: string; depth: number; lists: number } {
  const start = `organization(id: ${lit(gid({ typename: 'Organization', orgId: ctx.fixtureOrg }))})`;
  let depth = 2; // the root lookup and the final `name`
  const hops: [string, string][] = [];
  for (let i = 0; i < links; i++) {
    const list = pick(rng, ['groups', 'roles']);
    if (chance(rng, 0.5)) {
      hops.push([`${list}(first: 1) { nodes { organization {`, '} } }']);
      depth += 3;
    } else {
      hops.push([`${list}(first: 1) { edges { node { organization {`, '} } } }']);
      depth += 4;
    }
  }
  if (!viaFragments) {
    const open = hops.map(([o]) => o).join(' ');
    const close = hops.map(([, c]) => c).reverse().join(' ');
    return { query: `{ ${start} { ${open} name ${close} } }`, depth, lists: links };
  }
  const fragments = hops.map(([o, c], i) => `fragment L${i} on Organization { ${o} ${i + 1 < hops.length ? `...L${i + 1}` : 'name'} ${c} }`);
  return { query: `{ ${start} { ${hops.length > 0 ? '...L0' : 'name'} } } ${fragments.join(' ')}`, depth, lists: links };
}

function genComplexity(g: Gen): void {
  const { rng, ctx } = g;
  // Depth.
  for (let i = 0; i < 24; i++) {
    const links = chance(rng, 0.3) ? int(rng, 1, 3) : int(rng, 5, 40);
    const { query, depth, lists } = depthChain(rng, ctx, links, chance(rng, 0.4));
    const expect = depth <= 13 ? OK : depth >= 18 && lists <= LIMITS.lists ? complex('depth') : depth >= 18 ? complex('depth', 'lists') : oneOf(['QUERY_TOO_COMPLEX'], true);
    g.post(`depth ${depth} (${lists} lists)`, query, undefined, expect);
  }
  // Nodes: organizations → groups → members → roles, page sizes drawn until clearly inside or outside. (Not down to
  // Role.users: while the limit is missing, that fan-out would make each refused-to-be query a multi-megabyte read.)
  const levels = ['organizations', 'groups', 'members', 'roles'];
  for (let i = 0; i < 14; i++) {
    let sizes: (number | null)[] = [];
    let nodes = 0;
    for (;;) {
      const depthLevels = int(rng, 2, levels.length);
      sizes = Array.from({ length: depthLevels }, () => pick(rng, [1, 2, 3, null, 50, 100, 100]));
      nodes = 0;
      let product = 1;
      for (const size of sizes) {
        product *= size ?? 20;
        nodes += product;
      }
      if (nodes <= 60 || nodes > 600_000) break;
    }
    let body = 'id';
    for (let level = sizes.length - 1; level >= 0; level--) {
      const size = sizes[level];
      const sizeArg = size === null ? '' : `(${chance(rng, 0.8) ? 'first' : 'last'}: ${size})`;
      body = `${levels[level]}${sizeArg} { nodes { ${body} } }`;
    }
    g.post(`nodes ${nodes} (${sizes.map((s) => s ?? 'default').join('×')})`, `{ ${body} }`, undefined, nodes > 600_000 ? complex('nodes') : OK);
  }
  // Nodes through aliases: siblings whose sums add up.
  for (let i = 0; i < 3; i++) {
    const count = int(rng, 6, 12);
    const one = 'organizations(first: 100) { nodes { groups(first: 100) { nodes { members(first: 10) { nodes { id } } } } } }';
    g.post(`nodes ${count} × 110,100 through aliases`, `{ ${Array.from({ length: count }, (_, k) => `a${k}: ${one}`).join(' ')} }`, undefined, complex('nodes'));
  }
  // Lists: many aliased lists, at the root, nested, and of nodes(ids:) / _entities.
  const roots = connectionFields('Query').map(({ field }) => field.name);
  for (let i = 0; i < 18; i++) {
    const over = chance(rng, 0.75);
    const count = over ? int(rng, 60, 600) : int(rng, 1, 6);
    const kind = pick(rng, ['root', 'nodes', 'entities', 'nested'] as const);
    const item = (k: number): string => {
      switch (kind) {
        case 'root':
          return `a${k}: ${pick(rng, roots)}(first: ${int(rng, 0, 1)}) { totalCount }`;
        case 'nodes':
          return `a${k}: nodes(ids: []) { id }`;
        case 'entities':
          return `a${k}: _entities(representations: []) { __typename }`;
        case 'nested':
          return `a${k}: groups(first: 1) { nodes { id } }`;
      }
    };
    const items = Array.from({ length: count }, (_, k) => item(k)).join(' ');
    const query = kind === 'nested' ? `{ organization(id: ${lit(gid({ typename: 'Organization', orgId: ctx.fixtureOrg }))}) { ${items} } }` : `{ ${items} }`;
    g.post(`lists ${count} (${kind})`, query, undefined, over ? complex('lists') : OK);
  }
  // Fragment bombs of moderate size (2^k occurrences of one list after expansion).
  for (let k = 3; k <= 16; k++) {
    const base = chance(rng, 0.5) ? 'organizations(first: 1) { totalCount }' : 'groups(first: 0) { totalCount }';
    const fragments = [`fragment F0 on Query { ${base} }`];
    for (let j = 1; j <= k; j++) fragments.push(`fragment F${j} on Query { ...F${j - 1} ...F${j - 1} }`);
    const occurrences = 2 ** k;
    g.post(`fragment bomb 2^${k}`, `{ ...F${k} } ${fragments.join(' ')}`, undefined, occurrences > LIMITS.lists ? complex('lists') : OK);
  }
  // Fragment cycles, long ones too.
  for (const length of [1, 2, 3, 10, 100, 500]) {
    const fragments = Array.from({ length }, (_, i) => `fragment C${i} on Query { __typename ...C${(i + 1) % length} }`);
    g.post(`fragment cycle of ${length}`, `{ ...C0 } ${fragments.join(' ')}`, undefined, INVALID);
  }
  // Deep nesting without depth: inline fragments, and unknown fields deeper than the parser's stack.
  g.post('500 nested inline fragments', `{ ${'... on Query { '.repeat(500)} __typename ${'} '.repeat(500)}}`, undefined, OK);
  for (const hops of [300, 1_500, 12_000]) {
    // A valid chain Organization → groups → Organization…, 3 × hops fields deep: too deep to run, possibly too deep
    // for the parser's stack (graphql-js then reports a coded parse failure).
    const open = `organizations(first: 1) { nodes { ${'groups(first: 1) { nodes { organization { '.repeat(hops)}`;
    const query = `{ ${open} id ${'} } } '.repeat(hops)}} } }`;
    g.post(`${3 * hops + 3} nested fields`, query, undefined, oneOf(['GRAPHQL_PARSE_FAILED', 'QUERY_TOO_COMPLEX'], false));
  }
}

/** The operations most likely to wedge a naive cost analysis: run last, so a wedge cannot hide other findings. */
function genBombs(g: Gen): void {
  const { ctx } = g;
  for (const k of [20, 24, 32, 48, 64]) {
    const fragments = ['fragment F0 on Query { organizations(first: 1) { totalCount } }'];
    for (let j = 1; j <= k; j++) fragments.push(`fragment F${j} on Query { ...F${j - 1} ...F${j - 1} }`);
    g.post(`fragment bomb 2^${k}`, `{ ...F${k} } ${fragments.join(' ')}`, undefined, complex('lists', 'nodes'));
  }
  for (const k of [16, 30]) {
    // Nested: 2^k group lists of 100 inside one page of 100 Organizations.
    const fragments = ['fragment G0 on Organization { groups(first: 100) { nodes { id } } }'];
    for (let j = 1; j <= k; j++) fragments.push(`fragment G${j} on Organization { ...G${j - 1} ...G${j - 1} }`);
    g.post(`nested fragment bomb 2^${k}`, `{ organizations(first: 100) { nodes { ...G${k} } } } ${fragments.join(' ')}`, undefined, complex('lists', 'nodes'));
  }
  // Aliased siblings that multiply through fragments: 10 aliases per level, 6 levels (about 1.1 million lists).
  const levels = ['fragment T0 on Group { id }'];
  for (let level = 1; level <= 6; level++) {
    levels.push(`fragment T${level} on Group { ${Array.from({ length: 10 }, (_, k) => `a${k}: subGroups(first: 1) { nodes { ...T${level - 1} } }`).join(' ')} }`);
  }
  g.post('alias tree 10^6 lists through fragments', `{ group(id: ${lit(ctx.valid.Group[0] as string)}) { ...T6 } } ${levels.join(' ')}`, undefined, complex('lists', 'nodes'));
}

const CATEGORIES: [string, (g: Gen) => void][] = [
  ['ids', genIds],
  ['cursors', genCursors],
  ['page sizes', genPageSizes],
  ['filters and enums', genFilters],
  ['variables', genVariables],
  ['_entities', genEntities],
  ['operations and syntax', genOperations],
  ['GET', genGet],
  ['APQ', genApq],
  ['HTTP bodies', genHttp],
  ['complexity', genComplexity],
  ['bombs', genBombs],
];

function generate(ctx: Ctx): Map<string, Op[]> {
  const byCategory = new Map<string, Op[]>();
  let n = 0;
  for (const [category, generator] of CATEGORIES) {
    const ops: Op[] = [];
    const rng = mulberry32(SEED ^ hashString(category));
    const add = (label: string, request: HttpRequest, expect: Expectation) => ops.push({ n: ++n, category, label, request, expect });
    generator({
      rng,
      ctx,
      add,
      post: (label, query, variables, expect) => add(label, gqlPost(variables === undefined ? { query } : { query, variables }), expect),
    });
    byCategory.set(category, ops);
  }
  return byCategory;
}

// ------------------------------------------------------------------------------------------------ checking

function expectationText(expect: Expectation): string {
  switch (expect.kind) {
    case 'ok':
      return 'no errors';
    case 'code':
      return `${expect.code}${expect.status === undefined ? '' : ` (HTTP ${expect.status})`}`;
    case 'oneOf':
      return `one of ${expect.codes.join(', ')}${expect.okAllowed ? ' or no error' : ''}`;
    case 'complex':
      return `QUERY_TOO_COMPLEX (${expect.measures.join(' or ')})`;
    case 'invariants':
      return 'invariants only';
  }
}

function check(op: Op, result: Exchange): string[] {
  const problems = invariantViolations(result);
  const codes = codesOf(result);
  const body = result.json as { data?: unknown } | undefined;
  const expect = op.expect;
  switch (expect.kind) {
    case 'ok':
      if (codes.length > 0) problems.push(`expected no errors, got [${codes.join(', ')}]: ${clip(JSON.stringify(errorsOf(result).map((e) => e.message)), 300)}`);
      else if (body?.data === null || body?.data === undefined) problems.push(`expected data, got HTTP ${result.status}`);
      break;
    case 'code':
      if (codes.length === 0) problems.push(`expected ${expect.code}, got no error (HTTP ${result.status})`);
      else if (codes.some((c) => c !== expect.code)) problems.push(`expected ${expect.code}, got [${codes.join(', ')}]`);
      if (expect.status !== undefined && result.status !== expect.status) problems.push(`expected HTTP ${expect.status}, got ${result.status}`);
      break;
    case 'oneOf':
      if (codes.length === 0 && !expect.okAllowed) problems.push(`expected one of ${expect.codes.join(', ')}, got no error (HTTP ${result.status})`);
      else if (codes.some((c) => !expect.codes.includes(c))) problems.push(`expected only ${expect.codes.join(', ')}, got [${codes.join(', ')}]`);
      break;
    case 'complex': {
      const errors = errorsOf(result);
      if (errors.length === 0 || codes.some((c) => c !== 'QUERY_TOO_COMPLEX')) {
        problems.push(`expected QUERY_TOO_COMPLEX (${expect.measures.join(' or ')}), got ${codes.length === 0 ? `no error (HTTP ${result.status})` : `[${codes.join(', ')}]`}`);
        break;
      }
      for (const error of errors) {
        const measure = String(error.extensions?.['measure']) as Measure;
        if (!expect.measures.includes(measure)) problems.push(`expected measure ${expect.measures.join(' or ')}, got ${measure}`);
        else if (error.extensions?.['limit'] !== LIMITS[measure]) problems.push(`expected the default ${measure} limit ${LIMITS[measure]}, got ${String(error.extensions?.['limit'])}`);
      }
      if (body?.data !== undefined && body.data !== null) problems.push('a refused operation returned data');
      break;
    }
    case 'invariants':
      break;
  }
  return problems;
}

function describeRequest(request: HttpRequest): string {
  const headers = Object.entries(request.headers).map(([k, v]) => `${k}: ${v}`).join('; ');
  return `${request.method} /${request.path}${headers === '' ? '' : ` [${headers}]`}${request.body === undefined ? '' : ` ${clip(request.body, 700)}`}`;
}

interface Finding {
  readonly n: number;
  readonly category: string;
  readonly label: string;
  readonly request: string;
  readonly expected: string;
  readonly problems: readonly string[];
  readonly response: string;
}

function formatFindings(findings: readonly Finding[], limit = 25): string {
  const lines = findings.slice(0, limit).map(
    (f) => `#${f.n} ${f.label}\n    request:  ${f.request}\n    expected: ${f.expected}\n    problems: ${f.problems.join(' | ')}\n    response: ${f.response}`,
  );
  if (findings.length > limit) lines.push(`… and ${findings.length - limit} more (see the JSON report)`);
  return lines.join('\n');
}

// ------------------------------------------------------------------------------------------------ the suite

let stack: HostileStack;
let operations: Map<string, Op[]>;
const findings: Finding[] = [];
/** Times the subgraph process was found dead or wedged and had to be restarted. */
const incidents: string[] = [];
/** Unhandled rejections the subgraph process(es) reported; collected before any restart. */
const rejections: string[] = [];
/** How long each operation took to answer, for the JSON report (never asserted). */
const timings: { n: number; category: string; label: string; ms: number }[] = [];
/** And the suite's own process. */
const localRejections: unknown[] = [];
const onLocalRejection = (reason: unknown) => localRejections.push(reason);
let total = 0;

async function harvest(): Promise<Ctx> {
  const facts = stack.facts;
  const fixtureOrgGid = gid({ typename: 'Organization', orgId: facts.fixture.orgId });
  const query = `{
    o: organizations(first: 3) { edges { cursor } }
    u: users(first: 3) { edges { cursor } }
    g: groups(first: 3) { edges { cursor } }
    r: roles(first: 3) { edges { cursor } }
    f: organization(id: ${lit(fixtureOrgGid)}) { g: groups(first: 3) { edges { cursor } } u: users(first: 3) { edges { cursor } } r: roles(first: 3) { edges { cursor } } }
  }`;
  const result = await exchange(stack.url, gqlPost({ query }));
  type Edges = { edges: { cursor: string }[] } | null;
  const data = (result.json as { data?: Record<string, Edges & Record<string, Edges>> } | undefined)?.data;
  const cursorsOf = (edges: Edges | undefined, name: string): string[] => {
    const list = edges?.edges.map((e) => e.cursor) ?? [];
    if (list.length < 2) throw new Error(`setup could not harvest cursors of ${name}: ${clip(result.text, 1_000)}`);
    return list;
  };
  const fixture = data?.['f'];
  return {
    orgIds: facts.orgs.map((o) => o.id),
    fixtureOrg: facts.fixture.orgId,
    groupGuids: facts.fixture.groups.map((g) => g.guid),
    roleGuids: facts.fixture.roles.map((r) => r.guid),
    userGuids: facts.fixture.users.map((u) => u.guid),
    valid: {
      Organization: facts.orgs.map((o) => gid({ typename: 'Organization', orgId: o.id })),
      Group: facts.fixture.groups.map((g) => gid({ typename: 'Group', orgId: facts.fixture.orgId, guid: g.guid })),
      Role: facts.fixture.roles.map((r) => gid({ typename: 'Role', orgId: facts.fixture.orgId, guid: r.guid })),
      User: facts.fixture.users.slice(0, 20).map((u) => gid({ typename: 'User', guid: u.guid })),
    },
    cursors: {
      'Query.organizations': cursorsOf(data?.['o'], 'organizations'),
      'Query.users': cursorsOf(data?.['u'], 'users'),
      'Query.groups': cursorsOf(data?.['g'], 'groups'),
      'Query.roles': cursorsOf(data?.['r'], 'roles'),
      'Organization.groups': cursorsOf(fixture?.['g'], 'Organization.groups'),
      'Organization.users': cursorsOf(fixture?.['u'], 'Organization.users'),
      'Organization.roles': cursorsOf(fixture?.['r'], 'Organization.roles'),
    },
  };
}

/** Whether the subgraph answers /health (bounded by the liveness cap). */
async function healthy(): Promise<boolean> {
  if (!stack.subgraph.alive) return false;
  try {
    const response = await fetch(new URL('health', stack.url), { signal: AbortSignal.timeout(NO_ANSWER_AFTER_MS) });
    return response.status === 200;
  } catch {
    return false;
  }
}

/** Runs one category's operations, eight at a time; records findings; restarts a dead or wedged subgraph. */
async function runCategory(category: string): Promise<Finding[]> {
  const ops = (operations.get(category) ?? []).filter((op) => ONLY.size === 0 || ONLY.has(op.n));
  total += ops.length;
  const found: Finding[] = [];
  let wedgedBy: number | null = null;
  await pool(ops, CONCURRENCY, async (op) => {
    if (wedgedBy !== null) {
      found.push({ n: op.n, category, label: op.label, request: describeRequest(op.request), expected: expectationText(op.expect), problems: [`not run: the server stopped answering at #${wedgedBy}`], response: '' });
      return;
    }
    let problems: string[];
    let response = '';
    const started = performance.now();
    try {
      const result = await exchange(stack.url, op.request, AbortSignal.timeout(NO_ANSWER_AFTER_MS));
      problems = check(op, result);
      response = `${result.status} ${clip(result.text, 700)}`;
    } catch (error) {
      const reason = error instanceof Error ? `${error.name}: ${error.message}${error.cause instanceof Error ? ` (${error.cause.message})` : ''}` : String(error);
      problems = [`no HTTP answer: ${reason}${stack.subgraph.alive ? '' : ` — the subgraph process exited ${JSON.stringify(stack.subgraph.exit)}`}`];
      if (!(await healthy())) wedgedBy ??= op.n;
    }
    timings.push({ n: op.n, category, label: op.label, ms: Math.round(performance.now() - started) });
    if (problems.length > 0) {
      found.push({ n: op.n, category, label: op.label, request: describeRequest(op.request), expected: expectationText(op.expect), problems, response });
    }
  });
  if (!(await healthy())) {
    incidents.push(`after "${category}": the subgraph ${stack.subgraph.alive ? 'stopped answering /health' : `exited ${JSON.stringify(stack.subgraph.exit)}`}${wedgedBy === null ? '' : ` (first operation without an answer: #${wedgedBy})`}; stderr: ${clip(stack.subgraph.stderrTail(), 1_500)}`);
    await stack.restartSubgraph();
  } else {
    rejections.push(...(await stack.diagnostics()).unhandledRejections);
  }
  found.sort((a, b) => a.n - b.n);
  findings.push(...found);
  return found;
}

beforeAll(async () => {
  process.on('unhandledRejection', onLocalRejection);
  stack = await startHostileStack();
  operations = generate(await harvest());
}, 60_000);

afterAll(async () => {
  process.off('unhandledRejection', onLocalRejection);
  try {
    const report = join(tmpdir(), 'thoughtspot-subgraph-fuzz-report.json');
    writeFileSync(report, JSON.stringify({ seed: SEED, operations: total, incidents, rejections, findings, slowest: [...timings].sort((a, b) => b.ms - a.ms).slice(0, 60) }, null, 2));
  } finally {
    await stack?.close();
  }
});

describe(`black-box fuzz over HTTP (seed ${SEED}, ${CONCURRENCY} at a time)`, () => {
  it('generates at least 1,000 hostile operations from the seed', () => {
    const count = [...operations.values()].reduce((sum, ops) => sum + ops.length, 0);
    expect(count).toBeGreaterThanOrEqual(1_000);
  });

  for (const [category] of CATEGORIES) {
    it(`${category}: every answer keeps the contract`, async () => {
      const found = await runCategory(category);
      // The count, not the list, is compared: the message already prints the findings readably.
      expect(found.length, `${found.length} operation(s) broke the contract (seed ${SEED}; re-run one with FUZZ_ONLY=<n>):\n${formatFindings(found)}\n\nsubgraph stderr (tail):\n${clip(stack.subgraph.stderrTail(2_000), 2_000)}\n`).toBe(0);
    }, 120_000);
  }

  it('left the process alive, unwedged, without unhandled rejections', async () => {
    expect(incidents, incidents.join('\n')).toEqual([]);
    expect(stack.subgraph.alive).toBe(true);
    const health = await fetch(new URL('health', stack.url));
    expect(health.status).toBe(200);
    const simple = await exchange(stack.url, gqlPost({ query: '{ organizations(first: 1) { totalCount nodes { name } } }' }));
    expect(simple.status).toBe(200);
    expect(errorsOf(simple)).toEqual([]);
    rejections.push(...(await stack.diagnostics()).unhandledRejections);
    expect(rejections, 'unhandled rejections in the subgraph process').toEqual([]);
    expect(localRejections, 'unhandled rejections in the suite process').toEqual([]);
  }, 60_000);
});
