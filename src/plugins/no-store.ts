// Internal to src (used by app.ts): every GraphQL answer says `Cache-Control: no-store`, without Apollo's
// cache-control plugin.
//
// Apollo Server installs ApolloServerPluginCacheControl unless it is told not to. This subgraph gives it nothing to
// work with: the schema has no `@cacheControl` hint and no resolver sets one (what a caller may see depends on its
// token, and writes change the directory), so for every operation the plugin works out a policy that ends
// uncacheable and answers `no-store`. Working it out is not free, though: it hooks every field that resolves (a
// policy object, a handful of closures and a completion callback per field), and while a nested query waits for
// ThoughtSpot, all of that stays alive for every field still pending. Heap snapshots of the read-path benchmark
// (50 clients sending Q1) found it holding about a tenth of the subgraph's heap. So app.ts disables the plugin and
// installs this one, which gives each answer the header Apollo's plugin gave it.

import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';

/** The header value of an answer nobody may store (RFC 9111 §5.2.2.5). */
export const NO_STORE = 'no-store';

/**
 * Apollo's cache-control plugin, disabled, and in its place `Cache-Control: no-store` on every GraphQL answer
 * (data and errors alike) that no one has given a Cache-Control header already.
 */
export function noStorePlugins(): ApolloServerPlugin[] {
  return [
    ApolloServerPluginCacheControlDisabled(),
    {
      requestDidStart() {
        return Promise.resolve({
          willSendResponse({ response }) {
            if (!response.http.headers.has('cache-control')) response.http.headers.set('cache-control', NO_STORE);
            return Promise.resolve();
          },
        });
      },
    },
  ];
}
