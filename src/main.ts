// The process entry point and the only module with side effects: read the configuration, start the app, print
// where it listens and a first query to paste, and stop cleanly on SIGTERM/SIGINT.

import { ConfigError, loadConfig } from './config.js';
import { createApp } from './app.js';

/** A first nested query that works against the demo seed: Organizations → groups → members → effective roles. */
const FIRST_QUERY = `query FirstLook {
  organizations(first: 3) {
    totalCount
    nodes {
      name
      groups(first: 5) {
        nodes {
          name
          members(first: 5) {
            nodes { username displayName roles(first: 5) { nodes { name } } }
          }
        }
      }
    }
  }
}`;

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = 78; // EX_CONFIG
      return;
    }
    throw error;
  }
  const app = await createApp(config);
  const url = await app.listen();
  const source =
    config.directory.kind === 'embedded'
      ? `an embedded ThoughtSpot emulator (seed: ${typeof config.directory.seed === 'string' ? config.directory.seed : `large:${config.directory.seed.large.users}`}; set THOUGHTSPOT_URL and credentials for a real cluster)`
      : config.directory.baseUrl;
  process.stdout.write(
    `ThoughtSpot directory subgraph ready at ${url}\nDirectory: ${source}\n\nTry this query (open ${url} in a browser, or POST it):\n\n${FIRST_QUERY}\n\n`,
  );

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal} received, draining requests…\n`);
    app.stop().then(
      () => {
        process.stdout.write('Stopped.\n');
      },
      (error: unknown) => {
        process.stderr.write(`Shutdown failed: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exitCode = 1;
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`Startup failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
