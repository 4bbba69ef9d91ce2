import { describe, expect, it } from 'vitest';
import {
  checkIdentifierList,
  checkOperation,
  checkPage,
  checkScope,
  pathIdentifier,
} from '../../../src/thoughtspot/request-checks.js';
import { ThoughtSpotRequestError } from '../../../src/thoughtspot/errors.js';

const endpoint = 'POST /api/rest/2.0/users/{user_identifier}/update';

function refusal(run: () => unknown): ThoughtSpotRequestError {
  try {
    run();
  } catch (error) {
    if (error instanceof ThoughtSpotRequestError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('request checks', () => {
  it('encodes path identifiers and refuses ones ThoughtSpot cannot route', () => {
    expect(pathIdentifier(endpoint, 0, 'user identifier', 'a b@c')).toBe('a%20b%40c');
    const error = refusal(() => pathIdentifier(endpoint, 0, 'user identifier', 'team/alpha'));
    expect(error.message).toBe(
      `${endpoint} cannot address "team/alpha": ThoughtSpot cannot route identifiers containing "/" in a path; use the GUID instead.`,
    );
    expect(error.status).toBeUndefined();
    expect(error.attempts).toBe(0);
    expect(refusal(() => pathIdentifier(endpoint, 0, 'user identifier', ' ')).message).toBe(
      `${endpoint} needs a non-empty user identifier, but got: " ".`,
    );
  });

  it('checks scopes and pages', () => {
    expect(checkScope(endpoint, { orgId: 0 })).toBe(0);
    expect(refusal(() => checkScope(endpoint, { orgId: -1 })).message).toContain('non-negative integer (0 is the Primary Org), but got: -1');
    expect(checkPage(endpoint, 0, { offset: 10, size: -1 })).toEqual({ record_offset: 10, record_size: -1 });
    expect(refusal(() => checkPage(endpoint, 0, { offset: 0, size: 0 })).message).toContain('page.size to be a positive integer or -1, but got: 0');
    expect(refusal(() => checkPage(endpoint, 0, { offset: 1.5, size: 1 })).message).toContain('page.offset');
  });

  it('requires an explicit operation whenever a list field is present', () => {
    expect(() => checkOperation(endpoint, 0, { displayName: 'x' }, ['groupIdentifiers'])).not.toThrow();
    expect(() => checkOperation(endpoint, 0, { groupIdentifiers: [], operation: 'REPLACE' }, ['groupIdentifiers'])).not.toThrow();
    expect(refusal(() => checkOperation(endpoint, 0, { groupIdentifiers: ['g'] }, ['groupIdentifiers', 'orgIdentifiers'])).message).toBe(
      `${endpoint} needs an explicit operation (ADD, REMOVE or REPLACE) when groupIdentifiers is given.`,
    );
  });

  it('refuses empty identifier lists with the reason', () => {
    expect(refusal(() => checkIdentifierList(endpoint, 0, 'identifiers', [], 'it would log out everybody.')).message).toBe(
      `${endpoint} needs at least one entry in identifiers: it would log out everybody.`,
    );
    expect(refusal(() => checkIdentifierList(endpoint, 0, 'identifiers', ['a', ''], 'x')).message).toContain('identifiers[1]');
  });
});
