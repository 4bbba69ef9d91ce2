import { composeServices } from '@apollo/composition';
import { ApolloGateway, LocalGraphQLDataSource, type GraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { printSubgraphSchema } from '@apollo/subgraph';
import { useTestStack } from '../../support/harness.js';
import { rolesOfUser, userNamed } from '../../support/oracle.js';
import * as host from './fixtures/host.js';

const stack = useTestStack({ seed: 'demo' });
let gateway: ApolloServer;
let supergraphSdl: string;
let hostData: host.HostData;

/**
 * Routes the gateway's fetches for this subgraph through the app's full Apollo pipeline, in-process (in the async
 * context of the gateway's operation, so `stack.measure` around it counts what the subgraph requests cost).
 */
function directoryDataSource(): GraphQLDataSource {
  return {
    async process({ request }) {
      const response = await stack.app.execute({
        query: request.query ?? '',
        ...(request.variables === undefined ? {} : { variables: request.variables }),
        ...(request.operationName === undefined ? {} : { operationName: request.operationName }),
      });
      if (response.body.kind !== 'single') throw new Error('expected a single result');
      return response.body.singleResult as never;
    },
  };
}

beforeAll(async () => {
  const state = stack.emulator.state;
  const tenantOrgs = ['Alderbrook-Foods', 'Cobalt-Freight', 'Everpine-Energy'];
  hostData = {
    tenants: [
      ...tenantOrgs.map((name, i) => ({ id: `t${i + 1}`, displayName: name.replace('-', ' '), thoughtspotOrgName: name })),
      { id: 't9', displayName: 'Churned Inc', thoughtspotOrgName: 'Churned-Inc' },
    ],
    accounts: [...state.users.values()]
      .filter((u) => !u.hidden && u.orgIds.size === 1 && !u.orgIds.has(0))
      .slice(0, 12)
      .map((u, i) => ({ id: `a${i + 1}`, email: u.email ?? '', thoughtspotUsername: u.name })),
  };
  const hostSchema = buildSubgraphSchema([{ typeDefs: host.typeDefs, resolvers: host.resolvers(hostData) as never }]);
  const composed = composeServices([
    { name: 'directory', url: 'https://directory.api.com.invalid', typeDefs: parse(printSubgraphSchema(stack.app.schema)) },
    { name: host.name, url: host.url, typeDefs: host.typeDefs },
  ]);
  if (composed.errors !== undefined) throw new Error(composed.errors.map((e) => e.message).join('\n'));
  supergraphSdl = composed.supergraphSdl;
  gateway = new ApolloServer({
    gateway: new ApolloGateway({
      supergraphSdl,
      buildService: ({ name }) => (name === host.name ? new LocalGraphQLDataSource(hostSchema) : directoryDataSource()),
    }),
  });
  await gateway.start();
});
afterAll(() => gateway.stop());

async function throughGateway(query: string) {
  const response = await gateway.executeOperation({ query });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return response.body.singleResult;
}

describe('composition with a host subgraph', () => {
  it('composes into a supergraph where the host joins Organization by name and User by username', () => {
    expect(supergraphSdl).toContain('@join__type(graph: DIRECTORY, key: "name")');
    expect(supergraphSdl).toContain('@join__type(graph: HOST, key: "username", resolvable: false)');
  });

  it('joins each host Tenant to its Organization, with one orgs/search for all of them', async () => {
    const { value: result, calls } = await stack.measure(() =>
      throughGateway(`{ tenants { id displayName organization { name remoteId groups(first: 2) { nodes { name } } } } }`),
    );
    expect(result.errors).toBeUndefined();
    const state = stack.emulator.state;
    expect((result.data as { tenants: unknown[] }).tenants).toEqual(
      hostData.tenants.map((tenant) => {
        const org = [...state.orgs.values()].find((o) => o.name === tenant.thoughtspotOrgName);
        return {
          id: tenant.id,
          displayName: tenant.displayName,
          organization: org === undefined ? null : { name: org.name, remoteId: String(org.id), groups: { nodes: [{ name: 'Administrator' }, { name: 'All' }] } },
        };
      }),
    );
    // _entities: one orgs/search for the four references; then one groups/search per Org that exists.
    expect(calls).toEqual({ 'groups/search': 3, 'orgs/search': 1 });
  });

  it('joins each host account to its ThoughtSpot User and on to its effective roles', async () => {
    const { value: result, calls } = await stack.measure(() =>
      throughGateway(`{ accounts { email thoughtspotUser { username displayName roles(first: 20) { nodes { name } } } } }`),
    );
    expect(result.errors).toBeUndefined();
    const state = stack.emulator.state;
    const accounts = (result.data as { accounts: { email: string; thoughtspotUser: { username: string; roles: { nodes: { name: string }[] } } }[] }).accounts;
    expect(accounts.map((a) => a.thoughtspotUser.username)).toEqual(hostData.accounts.map((a) => a.thoughtspotUsername));
    for (const account of accounts) {
      expect(account.thoughtspotUser.roles.nodes.map((r) => r.name)).toEqual(rolesOfUser(state, userNamed(state, account.thoughtspotUser.username)));
    }
    const orgs = new Set(hostData.accounts.flatMap((a) => [...userNamed(state, a.thoughtspotUsername).orgIds]));
    expect(calls).toEqual({ 'orgs/search': 1, 'roles/search': orgs.size, 'users/search': orgs.size });
  });
});
