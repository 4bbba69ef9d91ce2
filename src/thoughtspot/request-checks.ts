// Internal to src/thoughtspot: checks the adapter makes before sending anything. Each one guards against a request
// that ThoughtSpot would either reject with a vaguer message or, worse, accept with a meaning nobody intended.

import { ThoughtSpotRequestError } from './errors.js';
import type { OrgScope, PageRequest } from './types.js';

/** Refuse a call before sending it: a `ThoughtSpotRequestError` without a status, after 0 attempts. */
export function refuse(endpoint: string, orgId: number | undefined, message: string): never {
  throw new ThoughtSpotRequestError(message, { endpoint, orgId, attempts: 0 });
}

/** The Org id of a scope: a non-negative integer (0 is the Primary Org). */
export function checkScope(endpoint: string, scope: OrgScope): number {
  const orgId = scope.orgId as unknown;
  if (typeof orgId !== 'number' || !Number.isInteger(orgId) || orgId < 0) {
    refuse(endpoint, undefined, `${endpoint} needs scope.orgId to be a non-negative integer (0 is the Primary Org), but got: ${String(orgId)}.`);
  }
  return orgId;
}

/**
 * An identifier for a path segment, encoded. Identifiers containing `/` break ThoughtSpot's routing and come back as
 * 400 even when encoded (CONTRACT.md §1, known issue 10.5.0.cl), so they are refused here with advice instead.
 */
export function pathIdentifier(endpoint: string, orgId: number | undefined, name: string, value: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    refuse(endpoint, orgId, `${endpoint} needs a non-empty ${name}, but got: ${JSON.stringify(value)}.`);
  }
  if (value.includes('/')) {
    refuse(
      endpoint,
      orgId,
      `${endpoint} cannot address ${JSON.stringify(value)}: ThoughtSpot cannot route identifiers containing "/" in a path; use the GUID instead.`,
    );
  }
  return encodeURIComponent(value);
}

/** Offset paging arguments as ThoughtSpot accepts them: offset >= 0, size >= 1 or -1 ("everything"). */
export function checkPage(endpoint: string, orgId: number, page: PageRequest): { record_offset: number; record_size: number } {
  const { offset, size } = page;
  if (!Number.isInteger(offset) || offset < 0) {
    refuse(endpoint, orgId, `${endpoint} needs page.offset to be a non-negative integer, but got: ${String(offset)}.`);
  }
  if (!Number.isInteger(size) || (size < 1 && size !== -1)) {
    refuse(endpoint, orgId, `${endpoint} needs page.size to be a positive integer or -1, but got: ${String(size)}.`);
  }
  return { record_offset: offset, record_size: size };
}

/** A page size for the iterators. */
export function checkPageSize(endpoint: string, orgId: number, pageSize: number): number {
  if (!Number.isInteger(pageSize) || pageSize < 1) {
    refuse(endpoint, orgId, `${endpoint} needs pageSize to be a positive integer, but got: ${String(pageSize)}.`);
  }
  return pageSize;
}

/**
 * Update bodies: ThoughtSpot applies one `operation` to every list field, with a per-endpoint default (REPLACE for
 * users and groups, ADD for Orgs, CONTRACT.md §8.1). Relying on a default that differs by endpoint is how members get
 * wiped, so a list field without an explicit operation is refused.
 */
export function checkOperation(endpoint: string, orgId: number, input: object, listFields: readonly string[]): void {
  const present = listFields.filter((field) => (input as Record<string, unknown>)[field] !== undefined);
  if (present.length > 0 && (input as { operation?: unknown }).operation === undefined) {
    refuse(
      endpoint,
      orgId,
      `${endpoint} needs an explicit operation (ADD, REMOVE or REPLACE) when ${present.join(', ')} ${present.length === 1 ? 'is' : 'are'} given.`,
    );
  }
}

/** A non-empty list of non-empty identifiers. */
export function checkIdentifierList(endpoint: string, orgId: number, name: string, values: readonly string[], why: string): void {
  if (!Array.isArray(values) || values.length === 0) {
    refuse(endpoint, orgId, `${endpoint} needs at least one entry in ${name}: ${why}`);
  }
  const blank = values.findIndex((value) => typeof value !== 'string' || value.trim() === '');
  if (blank !== -1) {
    refuse(endpoint, orgId, `${endpoint} needs ${name}[${blank}] to be a non-empty string, but got: ${JSON.stringify(values[blank])}.`);
  }
}
