// Test support: what contract.json says, turned into test tools. `expectMatchesSchema` checks a response body
// against an endpoint's success schema (required fields present, JSON types right, integers integral, enums
// respected, null only where nullable); `minimalBody` and `concretePath` build the smallest valid request.

import { expect } from 'vitest';
import { ENDPOINTS_BY_ID, type SchemaNode } from '../../../src/emulator/contract.js';

function check(value: unknown, node: SchemaNode, path: string, problems: string[]): void {
  if (value === null) {
    if (node.nullable !== true) problems.push(`${path} is null but not nullable`);
    return;
  }
  if (node.resolved === false) return;
  switch (node.type) {
    case 'string':
      if (typeof value !== 'string') problems.push(`${path} should be a string, got ${JSON.stringify(value)}`);
      else if (node.enum !== undefined && !node.enum.includes(value)) problems.push(`${path}=${value} is not in the enum`);
      return;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) problems.push(`${path} should be an integer, got ${JSON.stringify(value)}`);
      return;
    case 'number':
      if (typeof value !== 'number') problems.push(`${path} should be a number, got ${JSON.stringify(value)}`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') problems.push(`${path} should be a boolean, got ${JSON.stringify(value)}`);
      return;
    case 'array':
      if (!Array.isArray(value)) {
        problems.push(`${path} should be an array`);
        return;
      }
      value.forEach((item, i) => {
        if (node.items !== undefined) check(item, node.items, `${path}[${i}]`, problems);
      });
      return;
    case 'object': {
      // The spec types role timestamps as `object` although every example is an epoch-ms number (CONTRACT.md §14.5).
      if (node.properties === undefined && typeof value === 'number' && path.endsWith('_in_millis')) return;
      if (typeof value !== 'object' || Array.isArray(value)) {
        problems.push(`${path} should be an object, got ${JSON.stringify(value)}`);
        return;
      }
      const record = value as Record<string, unknown>;
      for (const [key, child] of Object.entries(node.properties ?? {})) {
        if (!(key in record)) {
          if (child.required === true) problems.push(`${path}.${key} is required but missing`);
          continue;
        }
        check(record[key], child, `${path}.${key}`, problems);
      }
      return;
    }
    default:
      return;
  }
}

/** The problems of a body against an endpoint's success schema (empty when it conforms). */
export function schemaProblems(body: unknown, endpointId: string): string[] {
  const endpoint = ENDPOINTS_BY_ID.get(endpointId);
  if (endpoint === undefined) throw new Error(`No endpoint ${endpointId} in contract.json.`);
  if (!endpoint.success.schema) throw new Error(`${endpointId} has no success body.`);
  const problems: string[] = [];
  check(body, endpoint.success.schema, '$', problems);
  return problems;
}

/** Asserts that a body matches an endpoint's success schema. */
export function expectMatchesSchema(body: unknown, endpointId: string): void {
  expect(schemaProblems(body, endpointId)).toEqual([]);
}

/** The smallest body a schema accepts: every required field with a plain sample value, nothing else. */
export function minimalBody(schema: SchemaNode): unknown {
  if (schema.any_of) return minimalBody(schema.any_of[0]!);
  if (schema.enum) return schema.enum[0];
  switch (schema.type) {
    case 'string':
      return 'sample';
    case 'integer':
    case 'number':
      return 1;
    case 'boolean':
      return true;
    case 'array':
      return [];
    case 'object':
      return Object.fromEntries(
        Object.entries(schema.properties ?? {})
          .filter(([, child]) => child.required === true)
          .map(([name, child]) => [name, minimalBody(child)]),
      );
    default:
      return null;
  }
}

/** Replaces every `{param}` of a path template with `value-of-<param>`. */
export function concretePath(template: string): { path: string; params: Record<string, string> } {
  const params: Record<string, string> = {};
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    params[name] = `value-of-${name}`;
    return params[name];
  });
  return { path, params };
}
