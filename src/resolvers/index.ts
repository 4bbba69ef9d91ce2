// Public to the rest of src: the resolver map, merged from one file per GraphQL type. The only file that knows every
// type; src/schema.ts builds the subgraph schema from it.

import type { Resolvers } from '../__generated__/resolvers-types.js';
import { AccountStatus } from './AccountStatus.js';
import { AccountType } from './AccountType.js';
import { DateTime } from './DateTime.js';
import { Group } from './Group.js';
import { GroupType } from './GroupType.js';
import { Mutation } from './Mutation/index.js';
import { Node } from './Node.js';
import { Organization } from './Organization.js';
import { OrganizationStatus } from './OrganizationStatus.js';
import { OrganizationVisibility } from './OrganizationVisibility.js';
import { Query } from './Query.js';
import { Role } from './Role.js';
import { RolePermission } from './RolePermission.js';
import { User } from './User.js';
import { Visibility } from './Visibility.js';

/** Every resolver. */
export const resolvers: Resolvers = {
  Query,
  Mutation,
  Node,
  Organization,
  Group,
  User,
  Role,
  DateTime,
  AccountStatus,
  AccountType,
  Visibility,
  GroupType,
  OrganizationStatus,
  OrganizationVisibility,
  RolePermission,
};
