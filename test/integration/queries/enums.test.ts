import { describe, expect, it } from 'vitest';
import { AccountStatus } from '../../../src/resolvers/AccountStatus.js';
import { AccountType } from '../../../src/resolvers/AccountType.js';
import { GroupType } from '../../../src/resolvers/GroupType.js';
import { OrganizationStatus } from '../../../src/resolvers/OrganizationStatus.js';
import { OrganizationVisibility } from '../../../src/resolvers/OrganizationVisibility.js';
import { RolePermission } from '../../../src/resolvers/RolePermission.js';
import { Visibility } from '../../../src/resolvers/Visibility.js';
import { toPrivilege } from '../../../src/resolvers/shared/privileges.js';
import {
  ACCOUNT_STATUSES,
  ACCOUNT_TYPES,
  GROUP_TYPES,
  ORG_STATUSES,
  ORG_VISIBILITIES,
  ROLE_PERMISSIONS,
  VISIBILITIES,
} from '../../../src/thoughtspot/index.js';
import { useTestStack } from '../../support/harness.js';

const stack = useTestStack({ seed: 'minimal' });

const tables: [string, Record<string, string>, readonly string[]][] = [
  ['AccountStatus', AccountStatus, ACCOUNT_STATUSES],
  ['AccountType', AccountType, ACCOUNT_TYPES],
  ['Visibility', Visibility, VISIBILITIES],
  ['GroupType', GroupType, GROUP_TYPES],
  ['OrganizationStatus', OrganizationStatus, ORG_STATUSES],
  ['OrganizationVisibility', OrganizationVisibility, ORG_VISIBILITIES],
  ['RolePermission', RolePermission, ROLE_PERMISSIONS],
];

describe('enum mappings', () => {
  it.each(tables)('%s maps every GraphQL value to a distinct ThoughtSpot value, covering all of them', (name, map, wire) => {
    const graphqlValues = stack.app.schema.getType(name)?.toConfig() as { values: Record<string, { value: unknown }> };
    expect(Object.keys(graphqlValues.values).sort()).toEqual(Object.keys(map).sort());
    for (const [key, config] of Object.entries(graphqlValues.values)) expect(config.value).toBe(map[key]);
    expect(Object.values(map).sort()).toEqual([...wire].sort());
  });

  it('sends ThoughtSpot values upstream for GraphQL enum arguments', async () => {
    const { records } = await stack.run(
      '{ users(accountType: OIDC, visibility: NOT_SHAREABLE, accountStatus: SUSPENDED) { nodes { username } } groups(type: TENANT) { nodes { name } } }',
    );
    const bodies = records.map((c) => c.body);
    expect(bodies).toContainEqual(expect.objectContaining({ account_type: 'OIDC_USER', visibility: 'NON_SHARABLE', account_status: 'SUSPENDED' }));
    expect(bodies).toContainEqual(expect.objectContaining({ type: 'TENANT_GROUP' }));
  });

  it('maps every Privilege value to itself, and the roles/search typo to the right value', () => {
    const values = Object.keys((stack.app.schema.getType('Privilege')?.toConfig() as { values: object }).values);
    expect(values).toHaveLength(54);
    for (const value of values) expect(toPrivilege(value)).toBe(value);
    expect(toPrivilege('CAN_MODIDY_FOLDERS')).toBe('CAN_MODIFY_FOLDERS');
    expect(toPrivilege('SOME_FUTURE_PRIVILEGE')).toBeNull();
  });
});
