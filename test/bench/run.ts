// Benchmark runner (`npm run bench`, `npm run bench -- emulator`): discovers test/bench/suites/*.ts and runs every
// suite, or only the ones named on the command line, one after the other so they never compete for the CPU.

import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** What a suite module exports. */
interface Suite {
  run(): Promise<void>;
}

const suitesDir = join(dirname(fileURLToPath(import.meta.url)), 'suites');

async function main(): Promise<number> {
  const available = readdirSync(suitesDir)
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .map((file) => basename(file, '.ts'))
    .sort();
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((name) => !available.includes(name));
  if (unknown.length > 0) {
    process.stderr.write(`Unknown benchmark suite(s): ${unknown.join(', ')}. Available: ${available.join(', ') || '(none)'}.\n`);
    return 2;
  }
  const selected = wanted.length > 0 ? wanted : available;
  if (selected.length === 0) {
    process.stderr.write(`No benchmark suites in ${suitesDir}.\n`);
    return 2;
  }
  for (const name of selected) {
    const module = (await import(pathToFileURL(join(suitesDir, `${name}.ts`)).href)) as Partial<Suite>;
    if (typeof module.run !== 'function') {
      process.stderr.write(`Benchmark suite ${name} does not export run(): Promise<void>.\n`);
      return 2;
    }
    process.stdout.write(`\n== ${name} ==\n`);
    const started = performance.now();
    await module.run();
    process.stdout.write(`(${name}: ${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`Benchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
