// Benchmark runner (`npm run bench`, `npm run bench -- emulator`): discovers test/bench/suites/*.ts and runs every
// suite, or only the ones named on the command line, one after the other so they never compete for the CPU.
//
// Every run ends with a report (support/report.ts): the sections each suite recorded, its console output, the
// machine and the settings, written to bench-results/<timestamp>/ and bench-results/latest/ (report.json, report.md,
// report.svg), and merged suite by suite into the committed copy test/bench/REPORT.md + report.svg + report.json
// unless `--no-publish` is given (or BENCH_PUBLISH=0). A suite that fails is reported as failed, the others still
// run, and the runner exits with 1. `npm run bench -- --render` runs nothing: it draws the committed REPORT.md and
// report.svg again from the committed report.json (after a change to the rendering).

import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { benchSettings, fromRoot, gitInfo, machineInfo, renderPublished, takeRecorded, writeReport, REPORT_SCHEMA, type SuiteRun } from './support/report.js';

/** What a suite module exports. Suites record their figures with support/report.ts `record`. */
interface Suite {
  run(): Promise<unknown>;
}

const suitesDir = join(dirname(fileURLToPath(import.meta.url)), 'suites');

/** Runs `body` with everything written to stdout also kept, and returns what was written. */
async function teeStdout(body: () => Promise<void>): Promise<string> {
  const chunks: string[] = [];
  const original = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return (original as (...args: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stdout.write;
  try {
    await body();
  } finally {
    process.stdout.write = original;
  }
  return chunks.join('');
}

async function main(): Promise<number> {
  const available = readdirSync(suitesDir)
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .map((file) => basename(file, '.ts'))
    .sort();
  const args = process.argv.slice(2);
  const publish = !args.includes('--no-publish') && process.env['BENCH_PUBLISH'] !== '0';
  const flags = args.filter((a) => a.startsWith('--'));
  const unknownFlags = flags.filter((f) => f !== '--no-publish' && f !== '--render');
  if (unknownFlags.length > 0) {
    process.stderr.write(`Unknown option(s): ${unknownFlags.join(', ')}. Options: --no-publish, --render.\n`);
    return 2;
  }
  if (flags.includes('--render')) {
    // Only draws the committed report again from its data (after a change to the rendering); measures nothing.
    process.stdout.write(`Rendered ${fromRoot(renderPublished())}/REPORT.md and report.svg from report.json.\n`);
    return 0;
  }
  const wanted = args.filter((a) => !a.startsWith('--'));
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
  const generatedAt = new Date();
  const git = gitInfo();
  const runs: SuiteRun[] = [];
  let failed = false;
  for (const name of selected) {
    const module = (await import(pathToFileURL(join(suitesDir, `${name}.ts`)).href)) as Partial<Suite>;
    if (typeof module.run !== 'function') {
      process.stderr.write(`Benchmark suite ${name} does not export run(): Promise<void>.\n`);
      return 2;
    }
    const run = module.run;
    process.stdout.write(`\n== ${name} ==\n`);
    const machine = machineInfo();
    const startedAt = new Date().toISOString();
    const started = performance.now();
    const outcome: { error: string | null } = { error: null };
    takeRecorded();
    const output = await teeStdout(async () => {
      try {
        await run();
      } catch (err) {
        outcome.error = err instanceof Error ? (err.stack ?? err.message) : String(err);
      }
    });
    const error = outcome.error;
    const durationSeconds = (performance.now() - started) / 1000;
    if (error !== null) {
      failed = true;
      process.stderr.write(`Benchmark suite ${name} failed: ${error}\n`);
    }
    process.stdout.write(`(${name}: ${durationSeconds.toFixed(1)} s)\n`);
    runs.push({
      suite: name,
      startedAt,
      durationSeconds,
      ok: error === null,
      error: error === null ? null : (error.split('\n')[0] ?? 'failed'),
      machine,
      loadAverageAfter: machineInfo().loadAverage,
      git,
      settings: benchSettings(name),
      sections: takeRecorded(),
      output,
    });
  }
  const written = writeReport(
    { schema: REPORT_SCHEMA, generatedAt: generatedAt.toISOString(), command: `npm run bench${args.length > 0 ? ` -- ${args.join(' ')}` : ''}`, suites: runs },
    { publish, now: generatedAt },
  );
  process.stdout.write(
    `\nReport: ${fromRoot(written.dir)}/report.{json,md,svg} (also ${fromRoot(written.latest)}/)` +
      (written.published === null ? '; committed copy not updated (--no-publish).\n' : `; committed copy: ${fromRoot(written.published)}/REPORT.md, report.svg, report.json.\n`),
  );
  return failed ? 1 : 0;
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
