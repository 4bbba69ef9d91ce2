// Test helpers for running GraphQL operations against an App in-process, and for reading the emulator's call log
// (tests count upstream calls with `TestStack.measure`, harness.ts).

import { strict as assert } from 'node:assert';
import type { GraphQLRequest } from '@apollo/server';
import type { FormattedExecutionResult } from 'graphql';
import type { App, ExecuteOptions } from '../../src/app.js';
import type { CallRecord, Emulator } from '../../src/emulator/index.js';

/** What a test passes to `executeSingle`. */
export interface Operation {
  readonly query: string;
  readonly variables?: Record<string, unknown>;
  readonly operationName?: string;
}

/**
 * Executes one operation through `app.execute` (the full Apollo pipeline, in-process) and returns its single
 * result, as `options.caller` (default: the trusted local caller). Node's assert narrows the response body (Apollo's testing guide), so a streamed response fails loudly.
 */
export async function executeSingle<TData = Record<string, unknown>>(
  app: Pick<App, 'execute'>,
  operation: Operation,
  options: ExecuteOptions = {},
): Promise<FormattedExecutionResult<TData>> {
  const request: GraphQLRequest = {
    query: operation.query,
    ...(operation.variables === undefined ? {} : { variables: operation.variables }),
    ...(operation.operationName === undefined ? {} : { operationName: operation.operationName }),
  };
  const response = await app.execute(request, options);
  assert(response.body.kind === 'single', `expected a single result, got ${response.body.kind}`);
  return response.body.singleResult as FormattedExecutionResult<TData>;
}

/** Executes an operation and returns its data, failing the test on any GraphQL error. */
export async function executeData<TData = Record<string, unknown>>(app: Pick<App, 'execute'>, operation: Operation): Promise<TData> {
  const result = await executeSingle<TData>(app, operation);
  assert.equal(result.errors, undefined, `unexpected errors: ${JSON.stringify(result.errors)}`);
  const data = result.data;
  assert(data !== null && data !== undefined, 'expected data');
  return data;
}

/** Token mints are bookkeeping, not reads: call counts in tests leave them out. */
export function isTokenMint(call: Pick<CallRecord, 'path'>): boolean {
  return call.path.includes('/auth/token/');
}

/**
 * The emulator's API calls since `since` (a `seq`, exclusive), token mints excluded, as `{ endpoint: count }` with
 * the `POST /api/rest/2.0/` prefix stripped, e.g. `{ 'users/search': 1 }`. It counts every caller's calls, so it
 * suits a script that is the emulator's only client (the benchmarks); tests use `TestStack.measure` instead, which
 * counts only the calls of their own requests.
 */
export function callsSince(emulator: Pick<Emulator, 'calls'>, since: number): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const call of emulator.calls((c) => c.seq > since && !isTokenMint(c))) {
    const name = (call.endpoint ?? call.path).replace(/^(GET|POST) \/api\/rest\/2\.0\//, '');
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** The `seq` of the emulator's latest call (0 when none): pass it to `callsSince` to count what follows. */
export function lastSeq(emulator: Pick<Emulator, 'calls'>): number {
  return emulator.calls().at(-1)?.seq ?? 0;
}
