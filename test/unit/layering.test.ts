// The import graph of src/ against the allowed arrows between its parts (DESIGN.md §3, house-style §4.1 "Import
// boundaries"). Every relative import, re-export and dynamic import of every .ts file is resolved to the file it
// names, so nested paths (`../../thoughtspot/errors.js` from resolvers/shared/) are caught like shallow ones. This
// test is the one place the layering is written down: eslint does not restate it.

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

/**
 * A part of src/ is a folder (`relay/`) or a top-level file (`app.ts`); a file listed here on its own (`errors/codes.ts`)
 * is a part of its own. An arrow inside one part is always allowed. A target is a whole part (`relay/`) or one file
 * of it (`thoughtspot/index.ts`: the adapter's public surface is the only way in).
 */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  // The process entry and the composition root: the only files that see everything.
  'main.ts': ['app.ts', 'config.ts'],
  'app.ts': [
    'auth/index.ts',
    'config.ts',
    'connections/index.ts',
    'context.ts',
    'emulator/index.ts', // embedded mode only; nothing else in src/ imports the emulator
    'errors/codes.ts',
    'errors/format.ts',
    'logger.ts',
    'observability/index.ts',
    'plugins/',
    'ratelimit/index.ts',
    'schema.ts',
    'secrets.ts',
    'store/index.ts',
    'thoughtspot/index.ts',
    'validation/',
  ],
  'schema.ts': ['__generated__/', 'errors/codes.ts', 'resolvers/index.ts'],
  'context.ts': [
    'auth/index.ts',
    'connections/index.ts',
    'errors/codes.ts',
    'loaders/index.ts',
    'logger.ts',
    'secrets.ts',
    'store/index.ts',
    'thoughtspot/index.ts',
  ],
  'plugins/': ['auth/index.ts', 'context.ts', 'errors/codes.ts', 'logger.ts', 'name-pattern.ts', 'observability/index.ts', 'relay/'],
  // Logs, metrics, traces, readiness: the request scope (for request ids), the adapter's event types, the log levels.
  'observability/': ['config.ts', 'context.ts', 'logger.ts', 'thoughtspot/index.ts'],
  'validation/': [],
  // Reads go resolvers → loaders → adapter; resolvers name the adapter's records and types, and mutations may call it.
  'resolvers/': [
    '__generated__/',
    'auth/index.ts',
    'context.ts',
    'errors/codes.ts',
    'loaders/index.ts',
    'name-pattern.ts',
    'provisioning/',
    'relay/',
    'store/index.ts',
    'thoughtspot/index.ts',
    'url-policy.ts',
  ],
  // Tenant blueprints and churn: pure planners and their executors over the adapter; no GraphQL, no store, no loaders.
  'provisioning/': ['thoughtspot/index.ts'],
  // models.ts holds the codegen mappers' targets, which are connection models (type imports).
  'loaders/': ['relay/connection.ts', 'thoughtspot/index.ts'],
  // codegen output: contextType and mappers (codegen.yml).
  '__generated__/': [
    'context.ts',
    'loaders/models.ts',
    'resolvers/shared/admin-queries.ts',
    'resolvers/shared/thoughtspot-connections.ts',
    'thoughtspot/index.ts',
  ],
  // Who calls: tokens in, a Caller out. Coded errors only; no adapter, no store.
  'auth/': ['errors/codes.ts'],
  // Which cluster a request talks to: adapter clients over stored connections.
  'connections/': ['errors/codes.ts', 'store/index.ts', 'thoughtspot/index.ts'],
  // Operational state: knows its databases and nothing of GraphQL or ThoughtSpot.
  'store/': [],
  // What replicas share in Redis: implements the adapter's SharedRateBudget port; nothing of GraphQL.
  'ratelimit/': ['logger.ts', 'thoughtspot/index.ts'],
  'secrets.ts': [],
  // Pure Relay maths: coded errors only, so loading a cursor does not load the adapter.
  'relay/': ['errors/codes.ts'],
  'errors/codes.ts': [],
  'errors/format.ts': ['errors/codes.ts', 'logger.ts', 'thoughtspot/index.ts', 'unreachable.ts'],
  // The adapter knows HTTP and the vendor, and shares only the leaves.
  'thoughtspot/': ['logger.ts', 'unreachable.ts'],
  // The emulator shares nothing with the adapter but the name-pattern rules both implement.
  'emulator/': ['name-pattern.ts'],
  // Leaves.
  'config.ts': ['url-policy.ts'],
  'url-policy.ts': [],
  'logger.ts': [],
  'unreachable.ts': [],
  'name-pattern.ts': [],
};

/** Packages a part must never import, at any depth of its own files. */
const FORBIDDEN_PACKAGES: Readonly<Record<string, readonly RegExp[]>> = {
  'thoughtspot/': [/^graphql(\/|$)/, /^@apollo\//, /^dataloader$/, /^ioredis$/],
  'emulator/': [/^graphql(\/|$)/, /^@apollo\//, /^dataloader$/],
  'relay/': [/^undici(\/|$)/],
  'store/': [/^graphql(\/|$)/, /^@apollo\//, /^dataloader$/, /^undici(\/|$)/, /^jose$/],
  'observability/': [/^graphql(\/|$)/, /^@apollo\//, /^dataloader$/, /^undici(\/|$)/],
  'provisioning/': [/^graphql(\/|$)/, /^@apollo\//, /^dataloader$/],
  'ratelimit/': [/^graphql(\/|$)/, /^@apollo\//, /^dataloader$/, /^undici(\/|$)/],
  'secrets.ts': [/^graphql(\/|$)/, /^@apollo\//, /^undici(\/|$)/],
  'errors/codes.ts': [/^undici(\/|$)/, /^@apollo\//],
};

/**
 * What loading a part must never load, following every import that survives compilation (`import type` and
 * `export type … from` are erased; `import { type A }` is not, under verbatimModuleSyntax).
 */
const NEVER_LOADS: Readonly<Record<string, readonly string[]>> = {
  'relay/': ['thoughtspot/', 'undici'],
  'errors/codes.ts': ['thoughtspot/', 'undici'],
};

/**
 * What the process must not load at start-up, only once its configuration asks for it (`import()` where it is used):
 * the embedded emulator, and the drivers of optional services. Each costs resident memory a deployment that does not
 * use it should not pay (ioredis alone about 10 MB).
 */
const LOADED_ON_DEMAND: readonly string[] = ['emulator/', 'ioredis', 'pg', '@libsql/client', '@opentelemetry'];

interface ImportEdge {
  /** The file's path relative to src/, with `/` separators. */
  readonly from: string;
  readonly specifier: string;
  /** The imported file relative to src/ for a relative specifier (`../x` when it leaves src/), else null. */
  readonly to: string | null;
  /** True when the import is erased by the compiler. */
  readonly typeOnly: boolean;
  /** True for `import('…')`: loaded when the code runs, not when the importing file loads. */
  readonly dynamic: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

const toPosix = (path: string): string => path.split(sep).join('/');

function importsOf(file: string): ImportEdge[] {
  const from = toPosix(relative(SRC, file));
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const edges: ImportEdge[] = [];
  const add = (specifier: string, typeOnly: boolean, dynamic = false): void => {
    const to = specifier.startsWith('.')
      ? toPosix(relative(SRC, resolve(dirname(file), specifier))).replace(/\.js$/, '.ts')
      : null;
    edges.push({ from, specifier, to, typeOnly, dynamic });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, node.importClause?.isTypeOnly === true);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, node.isTypeOnly);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const expression = node.moduleReference.expression;
      if (ts.isStringLiteral(expression)) add(expression.text, node.isTypeOnly);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] !== undefined &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      add(node.arguments[0].text, false, true);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      add(node.argument.literal.text, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edges;
}

/** The part a file belongs to: itself when ALLOWED names it, else its top-level folder, else the file. */
function partOf(path: string): string {
  if (path in ALLOWED) return path;
  const slash = path.indexOf('/');
  return slash === -1 ? path : path.slice(0, slash + 1);
}

/** Whether a target entry (`relay/` or `thoughtspot/index.ts`) covers a file. */
const covers = (target: string, path: string): boolean => (target.endsWith('/') ? path.startsWith(target) : path === target);

const files = sourceFiles(SRC).map((file) => toPosix(relative(SRC, file)));
const edges = sourceFiles(SRC).flatMap(importsOf);

describe('layering of src/', () => {
  it('finds the import graph (a guard against a parser that silently reads nothing)', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(edges.some((edge) => edge.from === 'app.ts' && edge.to === 'emulator/index.ts')).toBe(true);
    expect(edges.some((edge) => edge.from.startsWith('resolvers/shared/') && edge.to === 'loaders/index.ts')).toBe(true);
  });

  it('gives every file of src/ a part in the allow-list', () => {
    const orphans = files.filter((file) => !(partOf(file) in ALLOWED)).map((file) => `${file}: no entry for ${partOf(file)}`);
    expect(orphans).toEqual([]);
  });

  it('resolves every relative import to a file inside src/', () => {
    const known = new Set(files);
    const unresolved = edges
      .filter((edge) => edge.to !== null && !edge.to.endsWith('.json') && !known.has(edge.to))
      .map((edge) => `${edge.from}: import '${edge.specifier}' names no .ts file in src/`);
    expect(unresolved).toEqual([]);
  });

  it('draws only allowed arrows between parts', () => {
    const offences = edges.flatMap((edge) => {
      if (edge.to === null) return [];
      const fromPart = partOf(edge.from);
      if (fromPart === partOf(edge.to)) return [];
      const allowed = ALLOWED[fromPart] ?? [];
      if (allowed.some((target) => covers(target, edge.to!))) return [];
      return [`${edge.from}: import '${edge.specifier}' (${fromPart} → ${edge.to}) is not an allowed arrow`];
    });
    expect(offences).toEqual([]);
  });

  it('keeps forbidden packages out of the parts that must not know them', () => {
    const offences = edges.flatMap((edge) => {
      const forbidden = FORBIDDEN_PACKAGES[partOf(edge.from)] ?? [];
      return edge.to === null && forbidden.some((pattern) => pattern.test(edge.specifier))
        ? [`${edge.from}: import '${edge.specifier}' is forbidden in ${partOf(edge.from)}`]
        : [];
    });
    expect(offences).toEqual([]);
  });

  it('loads neither the adapter nor undici when relay/ or the error codes load', () => {
    const offences = Object.entries(NEVER_LOADS).flatMap(([part, banned]) =>
      files.filter((file) => partOf(file) === part).flatMap((start) => loadedFrom(start, banned, { dynamic: true })),
    );
    expect(offences).toEqual([]);
  });

  it('loads the emulator and optional drivers only when the configuration asks for them', () => {
    expect(loadedFrom('main.ts', LOADED_ON_DEMAND, { dynamic: false })).toEqual([]);
    // The same walk with dynamic imports followed does reach them: the check above is not vacuous.
    expect(loadedFrom('main.ts', LOADED_ON_DEMAND, { dynamic: true }).length).toBeGreaterThanOrEqual(LOADED_ON_DEMAND.length);
  });
});

/**
 * Breadth-first over the imports that survive compilation from `start` (dynamic ones too, or only those that load
 * with the file), one message per banned target reached, with the chain that reached it.
 */
function loadedFrom(start: string, banned: readonly string[], follow: { readonly dynamic: boolean }): string[] {
  const runtime = new Map<string, ImportEdge[]>();
  for (const edge of edges) {
    if (!edge.typeOnly && (follow.dynamic || !edge.dynamic)) runtime.set(edge.from, [...(runtime.get(edge.from) ?? []), edge]);
  }
  const offences: string[] = [];
  const via = new Map<string, string>([[start, '']]);
  const queue = [start];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    for (const edge of runtime.get(file) ?? []) {
      const target = edge.to ?? edge.specifier;
      if (via.has(target)) continue;
      via.set(target, file);
      if (banned.some((ban) => (ban.endsWith('/') ? target.startsWith(ban) : target === ban || target.startsWith(`${ban}/`)))) {
        const chain = [target];
        for (let step = file; step !== ''; step = via.get(step) ?? '') chain.unshift(step);
        offences.push(`${start} loads ${target}: ${chain.join(' → ')}`);
      } else if (edge.to !== null) {
        queue.push(edge.to);
      }
    }
  }
  return offences;
}
