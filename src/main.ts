// The process entry point and the only module with side effects: read the configuration, install the process-level
// guards, start the app, print where it listens and a first query to paste, and stop cleanly on SIGTERM/SIGINT.

import { ConfigError, loadConfig } from './config.js';
import { createApp, createConsoleLogger, createProcessGuards } from './app.js';

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
  // Output is best effort: a reader that went away first (`npm start | tee log` after Ctrl+C reached tee) must not
  // turn the next line written into an uncaught EPIPE that ends the process before its requests are drained.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
  }
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
  const logger = createConsoleLogger(config.logLevel);
  // Installed before anything starts, so nothing the app starts can fail outside them (app.ts says why they differ).
  const guards = createProcessGuards(logger, (code) => process.exit(code));
  process.on('unhandledRejection', (reason) => guards.onUnhandledRejection(reason));
  process.on('uncaughtException', (error) => guards.onUncaughtException(error));

  const app = await createApp(config, { logger });
  let url: string;
  try {
    url = await app.listen();
  } catch (error) {
    // For example EADDRINUSE: the embedded emulator and the adapter are already running and would keep the process
    // alive after the failure is reported.
    await app.stop();
    throw error;
  }
  if (config.directory.kind === 'embedded' && config.environment === 'production') {
    logger.warn('serving the embedded ThoughtSpot emulator in production (ALLOW_EMBEDDED_EMULATOR=true): its directory is demo data');
  }
  // The handlers go in before the banner: whoever reads the banner may signal at once, and a signal that arrived
  // before them would kill the process without a drain.
  //
  // Repeated signals are ignored rather than treated as "stop harder": Ctrl+C under `npm start` delivers SIGINT twice
  // (the terminal signals the whole process group, and npm forwards its own copy to the server), and the stop is
  // bounded anyway (SHUTDOWN_GRACE_MS, then every connection is closed). The process then exits on its own once
  // nothing is left to do, so a handle that outlives stop() shows up as a process that does not exit.
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
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  const source =
    config.directory.kind === 'embedded'
      ? `an embedded ThoughtSpot emulator (seed: ${typeof config.directory.seed === 'string' ? config.directory.seed : `large:${config.directory.seed.large.users}`}; set THOUGHTSPOT_URL and credentials for a real cluster)`
      : config.directory.baseUrl;
  const callers =
    config.auth.mode === 'none'
      ? 'no authentication (AUTH_MODE=none: every request may read and change everything; embedded emulator only)'
      : `bearer JWTs from ${config.auth.issuer} for audience ${config.auth.audience}`;
  process.stdout.write(
    `ThoughtSpot directory subgraph ready at ${url}\nDirectory: ${source}\nCallers: ${callers}\n\nTry this query (open ${url} in a browser, or POST it):\n\n${FIRST_QUERY}\n\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`Startup failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
