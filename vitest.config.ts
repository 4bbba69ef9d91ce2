// Vitest configuration. One thing only: graphql-js is loaded as Node loads it in production.
//
// Node resolves `import 'graphql'` to the package's CommonJS build (graphql 16 has no "exports" map, so its
// "main" wins), the same copy @apollo/server and @apollo/subgraph require. Vite prefers the "module" field and
// would load the ESM build for our own files, giving a test run two copies of graphql-js whose `instanceof` checks
// reject each other's schema objects. Pointing the bare specifier at the CommonJS entry keeps one copy, as in
// production.
import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
});
