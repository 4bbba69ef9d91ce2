import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ForeignIdError, fromGlobalId, fromGlobalIdOfType, lookupGlobalId, lookupGlobalIdOfType, toGlobalId } from '../../../src/relay/global-id.js';

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');

function errorOf(run: () => unknown): GraphQLError {
  try {
    run();
  } catch (error) {
    if (error instanceof GraphQLError) return error;
    throw error;
  }
  throw new Error('expected a GraphQLError');
}

describe('toGlobalId / fromGlobalId', () => {
  it('round-trips every type, with the Org in group and role IDs', () => {
    const targets = [
      { typename: 'Organization', orgId: 0 },
      { typename: 'Organization', orgId: 1_980_035_173 },
      { typename: 'User', guid: '59481331-ee53-42be-a548-bd87be6ddd4a' },
      { typename: 'Group', orgId: 583_464_508, guid: 'b25ee394-9d13-49e3-9385-cd97f5b253b4' },
      { typename: 'Role', orgId: 0, guid: 'd0326b56-ef23-4c8a-8327-a30e99bcc72b' },
    ] as const;
    for (const target of targets) {
      expect(fromGlobalId('acme', toGlobalId('acme', target), 'id')).toEqual(target);
    }
  });

  it('encodes a versioned, prefixed tuple as unpadded base64url', () => {
    const id = toGlobalId('acme.thoughtspot.cloud', { typename: 'Group', orgId: 7, guid: 'g-1' });
    expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Buffer.from(id, 'base64url').toString('utf8')).toBe('v1:Group:acme.thoughtspot.cloud:7:g-1');
  });

  it('gives the same group different IDs in different Orgs and on different connections', () => {
    const a = toGlobalId('acme', { typename: 'Group', orgId: 1, guid: 'g' });
    expect(toGlobalId('acme', { typename: 'Group', orgId: 2, guid: 'g' })).not.toBe(a);
    expect(toGlobalId('other', { typename: 'Group', orgId: 1, guid: 'g' })).not.toBe(a);
  });

  it('rejects garbage with a BAD_USER_INPUT naming the argument and echoing the value', () => {
    const error = errorOf(() => fromGlobalId('acme', 'not an id!', 'id'));
    expect(error.message).toBe('Argument "id" must be an ID issued by this API, but got: "not an id!".');
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', argumentName: 'id' });
  });

  it('rejects well-formed base64 that is not one of our tuples', () => {
    for (const text of ['v2:User:acme:u', 'v1:Team:acme:t', 'v1:User:acme', 'v1:Group:acme:g', 'v1:Organization:acme:x', 'v1:Organization:acme:-1', 'v1:Group:acme:01:g']) {
      expect(errorOf(() => fromGlobalId('acme', b64(text), 'ids[2]')).message).toBe(
        `Argument "ids[2]" must be an ID issued by this API, but got: ${JSON.stringify(b64(text))}.`,
      );
    }
  });

  it('rejects non-canonical encodings of a valid ID (padding, standard alphabet)', () => {
    const id = toGlobalId('acme', { typename: 'User', guid: 'u?>' });
    const padded = Buffer.from(Buffer.from(id, 'base64url')).toString('base64');
    expect(padded).not.toBe(id);
    expect(() => fromGlobalId('acme', padded, 'id')).toThrow(GraphQLError);
  });

  it('cuts long echoed values', () => {
    const long = 'x'.repeat(200);
    expect(errorOf(() => fromGlobalId('acme', long, 'id')).message).toBe(
      `Argument "id" must be an ID issued by this API, but got: "${'x'.repeat(80)}…".`,
    );
  });

  it('rejects an ID issued for another ThoughtSpot connection without naming either connection', () => {
    const id = toGlobalId('staging', { typename: 'User', guid: 'u' });
    const error = errorOf(() => fromGlobalId('production', id, 'id'));
    expect(error).toBeInstanceOf(ForeignIdError);
    expect(error.message).toBe(`Argument "id" must be an ID issued by this API for the caller's ThoughtSpot connection.`);
    expect(error.message).not.toMatch(/staging|production/);
  });

  it('finds nothing for a lookup of another connection\'s ID, and still rejects garbage', () => {
    const id = toGlobalId('staging', { typename: 'Group', orgId: 2, guid: 'g' });
    expect(lookupGlobalId('production', id, 'id')).toBeNull();
    expect(lookupGlobalIdOfType('production', id, 'Group', 'id')).toBeNull();
    expect(lookupGlobalIdOfType('staging', id, 'Group', 'id')).toEqual({ typename: 'Group', orgId: 2, guid: 'g' });
    expect(() => lookupGlobalId('production', 'garbage', 'id')).toThrow(GraphQLError);
    expect(() => lookupGlobalIdOfType('staging', id, 'Role', 'id')).toThrow(/must be the ID of a Role/);
  });
});

describe('fromGlobalIdOfType', () => {
  it('returns the target when the type matches', () => {
    const id = toGlobalId('acme', { typename: 'Role', orgId: 3, guid: 'r' });
    expect(fromGlobalIdOfType('acme', id, 'Role', 'roleId')).toEqual({ typename: 'Role', orgId: 3, guid: 'r' });
  });

  it('rejects an ID of another type, naming both types', () => {
    const user = toGlobalId('acme', { typename: 'User', guid: 'u' });
    const error = errorOf(() => fromGlobalIdOfType('acme', user, 'Group', 'groupId'));
    expect(error.message).toBe('Argument "groupId" must be the ID of a Group, but got the ID of a User.');
    expect(error.extensions['code']).toBe('BAD_USER_INPUT');
    const org = toGlobalId('acme', { typename: 'Organization', orgId: 1 });
    expect(errorOf(() => fromGlobalIdOfType('acme', org, 'User', 'id')).message).toBe(
      'Argument "id" must be the ID of a User, but got the ID of an Organization.',
    );
  });
});
