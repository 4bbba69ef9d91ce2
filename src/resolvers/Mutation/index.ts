// Internal to src/resolvers: the Mutation map, one file per field.

import type { MutationResolvers } from '../../__generated__/resolvers-types.js';
import { groupCreate } from './groupCreate.js';
import { embedTokenCreate } from './embedTokenCreate.js';
import { groupMembersAdd } from './groupMembersAdd.js';
import { groupMembersRemove } from './groupMembersRemove.js';
import { groupRolesAssign } from './groupRolesAssign.js';
import { groupRolesUnassign } from './groupRolesUnassign.js';
import { groupSubGroupsAdd } from './groupSubGroupsAdd.js';
import { groupSubGroupsRemove } from './groupSubGroupsRemove.js';
import { organizationUsersAdd } from './organizationUsersAdd.js';
import { organizationUsersRemove } from './organizationUsersRemove.js';
import { tenantApply } from './tenantApply.js';
import { tenantDeprovision } from './tenantDeprovision.js';
import { tenantPlan } from './tenantPlan.js';
import { groupUpdate } from './groupUpdate.js';
import { groupDelete } from './groupDelete.js';
import { organizationCreate } from './organizationCreate.js';
import { organizationUpdate } from './organizationUpdate.js';
import { organizationDelete } from './organizationDelete.js';
import { userCreate } from './userCreate.js';
import { userUpdate } from './userUpdate.js';
import { userDelete } from './userDelete.js';
import { userActivate } from './userActivate.js';
import { userDeactivate } from './userDeactivate.js';
import { userPasswordReset } from './userPasswordReset.js';
import { roleCreate } from './roleCreate.js';
import { roleUpdate } from './roleUpdate.js';
import { roleDelete } from './roleDelete.js';
import { thoughtSpotConnectionCreate } from './thoughtSpotConnectionCreate.js';
import { thoughtSpotConnectionDelete } from './thoughtSpotConnectionDelete.js';
import { thoughtSpotConnectionTest } from './thoughtSpotConnectionTest.js';
import { thoughtSpotConnectionUpdate } from './thoughtSpotConnectionUpdate.js';

/** Resolvers of `Mutation`. */
export const Mutation: MutationResolvers = {
  groupCreate,
  embedTokenCreate,
  groupMembersAdd,
  groupMembersRemove,
  groupRolesAssign,
  groupRolesUnassign,
  groupSubGroupsAdd,
  groupSubGroupsRemove,
  organizationUsersAdd,
  organizationUsersRemove,
  tenantPlan,
  tenantApply,
  tenantDeprovision,
  groupUpdate,
  groupDelete,
  organizationCreate,
  organizationUpdate,
  organizationDelete,
  userCreate,
  userUpdate,
  userDelete,
  userActivate,
  userDeactivate,
  userPasswordReset,
  roleCreate,
  roleUpdate,
  roleDelete,
  thoughtSpotConnectionCreate,
  thoughtSpotConnectionUpdate,
  thoughtSpotConnectionDelete,
  thoughtSpotConnectionTest,
};
