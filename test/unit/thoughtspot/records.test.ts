import { describe, expect, it } from 'vitest';
import { toUserRecord, userSearchBody } from '../../../src/thoughtspot/users.js';
import { groupSearchBody, toGroupRecord } from '../../../src/thoughtspot/groups.js';
import { toOrgRecord } from '../../../src/thoughtspot/orgs.js';
import { toRoleRecord } from '../../../src/thoughtspot/roles.js';
import { toSystemInfoRecord } from '../../../src/thoughtspot/system.js';
import { importResult } from '../../../src/thoughtspot/shared.js';
import { refreshSkewMs, serviceTokenBody, toTokenRecord } from '../../../src/thoughtspot/auth.js';
import { WireShapeError } from '../../../src/thoughtspot/decode.js';

const userWire = {
  id: '59481331-ee53-42be-a548-bd87be6ddd4a',
  name: 'tsadmin',
  display_name: 'Administrator',
  visibility: 'SHARABLE',
  author_id: null,
  creation_time_in_millis: 1354006445722,
  modification_time_in_millis: 1354006445722,
  current_org: { id: 0, name: 'Primary' },
  account_type: 'LOCAL_USER',
  account_status: 'ACTIVE',
  email: 'admin@example.com',
  orgs: [
    { id: 0, name: 'Primary' },
    { id: 583464508, name: 'acme' },
  ],
  privileges: ['ADMINISTRATION', 'SOME_FUTURE_PRIVILEGE'],
  user_groups: [{ id: 'g1', name: 'Administrator' }],
  user_inherited_groups: [{ id: 'g1', name: 'Administrator' }, { name: 'no id, dropped' }],
  super_user: false,
  system_user: false,
  notify_on_share: true,
  preferred_locale: null,
  first_login_time_in_millis: null,
  unknown_future_field: { anything: true },
};

describe('toUserRecord', () => {
  it('translates a wire User into a camelCase record', () => {
    expect(toUserRecord(userWire)).toEqual({
      id: '59481331-ee53-42be-a548-bd87be6ddd4a',
      name: 'tsadmin',
      displayName: 'Administrator',
      email: 'admin@example.com',
      accountType: 'LOCAL_USER',
      accountStatus: 'ACTIVE',
      visibility: 'SHARABLE',
      orgs: [
        { id: 0, name: 'Primary' },
        { id: 583464508, name: 'acme' },
      ],
      currentOrg: { id: 0, name: 'Primary' },
      groups: [{ id: 'g1', name: 'Administrator' }],
      inheritedGroups: [{ id: 'g1', name: 'Administrator' }],
      privileges: ['ADMINISTRATION', 'SOME_FUTURE_PRIVILEGE'],
      notifyOnShare: true,
      showOnboardingExperience: null,
      onboardingExperienceCompleted: null,
      preferredLocale: null,
      superUser: false,
      systemUser: false,
      external: false,
      hidden: false,
      authorId: null,
      createdAt: 1354006445722,
      modifiedAt: 1354006445722,
      firstLoginAt: null,
    });
  });

  it('normalises nulls: no Orgs on non-Org clusters, an empty current_org, unknown enum values', () => {
    const record = toUserRecord({
      id: 'u',
      name: 'n',
      display_name: 'N',
      visibility: 'DEFAULT',
      orgs: null,
      current_org: {},
      account_status: 'SOMETHING_NEW',
    });
    expect(record.orgs).toEqual([]);
    expect(record.currentOrg).toBeNull();
    expect(record.accountStatus).toBeNull();
    expect(record.visibility).toBe('SHARABLE');
    expect(record.groups).toEqual([]);
  });

  it('refuses a user without an id, naming the path', () => {
    expect(() => toUserRecord({ name: 'x' }, 'users/search response[3]')).toThrow(
      new WireShapeError('expected users/search response[3].id to be a non-empty string, but got: nothing'),
    );
  });

  it('refuses wrong types instead of guessing', () => {
    expect(() => toUserRecord({ ...userWire, privileges: 'ADMINISTRATION' })).toThrow('expected user.privileges to be an array');
    expect(() => toUserRecord({ ...userWire, orgs: [{ id: 'acme', name: 'acme' }] })).toThrow('integer Org id');
  });
});

describe('toGroupRecord', () => {
  it('translates a wire group, turning string Org ids into numbers', () => {
    const record = toGroupRecord({
      id: 'g',
      name: 'sales',
      display_name: 'Sales',
      visibility: 'NON_SHARABLE',
      type: 'LOCAL_GROUP',
      orgs: [{ id: '583464508', name: 'acme' }],
      sub_groups: [{ id: 's', name: 'emea' }],
      users: null,
      roles: null,
      system_group: true,
    });
    expect(record).toMatchObject({
      id: 'g',
      name: 'sales',
      displayName: 'Sales',
      visibility: 'NON_SHARABLE',
      type: 'LOCAL_GROUP',
      orgs: [{ id: 583464508, name: 'acme' }],
      subGroups: [{ id: 's', name: 'emea' }],
      users: [],
      roles: [],
      systemGroup: true,
      description: null,
    });
  });
});

describe('toOrgRecord and toRoleRecord', () => {
  it('translates the spec example Org', () => {
    expect(toOrgRecord({ id: 0, name: 'Primary', status: 'ACTIVE', description: 'Primary Org', visibility: 'SHOW' })).toEqual({
      id: 0,
      name: 'Primary',
      description: 'Primary Org',
      status: 'ACTIVE',
      visibility: 'SHOW',
    });
  });

  it('reads role timestamps typed object in the spec as numbers', () => {
    const record = toRoleRecord({
      id: 'r',
      name: 'Analyst',
      description: 'd',
      privileges: ['DATADOWNLOADING'],
      permission: 'READ_ONLY',
      orgs: [{ id: '0', name: 'Primary' }],
      groups: [{ id: 'g', name: 'sales' }],
      groups_assigned_count: 1,
      creation_time_in_millis: '1700000000000',
      modification_time_in_millis: 1700000000001,
    });
    expect(record).toMatchObject({
      orgs: [{ id: 0, name: 'Primary' }],
      createdAt: 1700000000000,
      modifiedAt: 1700000000001,
      permission: 'READ_ONLY',
      groupsAssignedCount: 1,
    });
  });
});

describe('toSystemInfoRecord and importResult', () => {
  it('maps every system field it keeps, nulls included', () => {
    expect(toSystemInfoRecord({ id: 'c', release_version: '10.1.0.cl', all_user_group_id: 'all' })).toEqual({
      id: 'c',
      name: null,
      releaseVersion: '10.1.0.cl',
      timeZone: null,
      type: null,
      environment: null,
      tsadminUserId: null,
      adminGroupId: null,
      allUserGroupId: 'all',
      systemUserId: null,
      superUserId: null,
    });
  });

  it('reads import responses of both kinds', () => {
    expect(importResult({ users_added: [{ name: 'a' }], users_updated: [{ id: 'x', name: 'b' }] }, 'users', 'r')).toEqual({
      added: [{ id: null, name: 'a' }],
      updated: [{ id: 'x', name: 'b' }],
      deleted: [],
    });
    expect(importResult({ groups_added: [], groups_updated: [], groups_deleted: [{ id: 'g', name: 'old' }] }, 'groups', 'r')).toEqual({
      added: [],
      updated: [],
      deleted: [{ id: 'g', name: 'old' }],
    });
  });
});

describe('search bodies', () => {
  it('sends snake_case filters, the page and an explicit NAME ASC sort', () => {
    expect(
      userSearchBody({ groupIdentifiers: ['g1', 'g2'], accountStatus: 'ACTIVE', namePattern: '%al%' }, { record_offset: 20, record_size: 21 }),
    ).toEqual({
      group_identifiers: ['g1', 'g2'],
      account_status: 'ACTIVE',
      name_pattern: '%al%',
      sort_options: { field_name: 'NAME', order: 'ASC' },
      record_offset: 20,
      record_size: 21,
    });
  });

  it('keeps a caller-chosen sort and the include flags', () => {
    expect(
      groupSearchBody(
        { userIdentifiers: ['u'], includeUsers: false, sort: { field: 'CREATED', order: 'DESC' } },
        { record_offset: 0, record_size: 5 },
      ),
    ).toEqual({
      user_identifiers: ['u'],
      include_users: false,
      sort_options: { field_name: 'CREATED', order: 'DESC' },
      record_offset: 0,
      record_size: 5,
    });
  });
});

describe('service tokens', () => {
  it('sends exactly one credential and always org_id', () => {
    expect(serviceTokenBody({ username: 'svc', secretKey: 'k' }, 7, 3600)).toEqual({
      username: 'svc',
      secret_key: 'k',
      org_id: 7,
      validity_time_in_sec: 3600,
    });
    expect(serviceTokenBody({ username: 'svc', password: 'p' }, 0, 300)).toEqual({
      username: 'svc',
      password: 'p',
      org_id: 0,
      validity_time_in_sec: 300,
    });
  });

  it('reads a Token and checks its Org', () => {
    const wire = {
      token: 'dG9rZW4=',
      creation_time_in_millis: 1000,
      expiration_time_in_millis: 301000,
      scope: { access_type: 'FULL', org_id: 7, metadata_id: null },
      valid_for_user_id: 'uid',
      valid_for_username: 'svc',
    };
    expect(toTokenRecord(wire, 7)).toEqual({
      token: 'dG9rZW4=',
      createdAt: 1000,
      expiresAt: 301000,
      orgId: 7,
      accessType: 'FULL',
      userId: 'uid',
      username: 'svc',
    });
    expect(() => toTokenRecord(wire, 8)).toThrow('expected a token scoped to Org 8');
    expect(toTokenRecord({ ...wire, scope: { access_type: 'FULL', org_id: null } }, 0).orgId).toBeNull();
  });

  it('refreshes 30 s before expiry, or at 90 % of a short validity', () => {
    expect(refreshSkewMs(3_600_000)).toBe(30_000);
    expect(refreshSkewMs(10_000)).toBe(1_000);
  });
});
