// The emulator CLI as a benchmark's upstream: started in its own process on a free port, so its CPU is never
// charged to what is measured, with the URL and credentials read from its banner.

import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** This checkout's emulator CLI. */
export const EMULATOR_CLI = join(ROOT, 'src', 'emulator', 'cli.ts');

/** A running emulator CLI. `url` has no trailing slash. */
export interface EmulatorCli {
  readonly child: ChildProcess;
  readonly url: string;
  readonly username: string;
  readonly secretKey: string;
}

/** Options of `startEmulatorCli`. */
export interface EmulatorCliOptions {
  /** Another CLI to run (a baseline checkout's), default this checkout's. */
  readonly cli?: string;
  /** Node flags before `--import tsx` (e.g. `--cpu-prof`). */
  readonly nodeArgs?: readonly string[];
}

/** Starts the CLI with `--port 0` and `args`, and resolves once its banner says it is ready. */
export async function startEmulatorCli(args: readonly string[], options: EmulatorCliOptions = {}): Promise<EmulatorCli> {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', options.cli ?? EMULATOR_CLI, '--port', '0', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout?.setEncoding('utf8');
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`The emulator CLI was not ready after 30 s:\n${output}`)), 30_000);
      child.stdout?.on('data', (chunk: string) => {
        output += chunk;
        if (output.includes('Press Ctrl+C to stop.')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`The emulator CLI exited with ${String(code)} before it was ready:\n${output}`));
      });
    });
  } catch (err) {
    await stopEmulatorCli(child);
    throw err;
  }
  // Keep draining its stdout, so a chatty child never blocks on a full pipe.
  child.stdout?.resume();
  const field = (label: string): string => {
    const match = new RegExp(`^\\s+${label}\\s+(\\S+)`, 'm').exec(output);
    if (match?.[1] === undefined) throw new Error(`No "${label}" line in the CLI banner:\n${output}`);
    return match[1];
  };
  const url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
  if (url === undefined) throw new Error(`No URL in the CLI banner:\n${output}`);
  return { child, url: url.replace(/\/$/, ''), username: field('Username'), secretKey: field('Secret key') };
}

/** Stops a CLI with SIGTERM and waits for it to exit (at once if it already has). */
export async function stopEmulatorCli(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await exited;
}
