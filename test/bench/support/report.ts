// The benchmark report (`npm run bench`): what every suite measured, as JSON, Markdown tables and an SVG chart.
//
// Suites call `record(section)` with their figures (tables as printed, the raw numbers as `data`, and charts as
// data: the SVG is drawn here, by code, from those numbers). The runner (run.ts) collects each suite's sections with
// the suite's console output, its duration, the machine (CPUs, load average before and after, Node) and the
// benchmark settings read from the environment, then `writeReport` writes:
//
// - bench-results/<timestamp>/report.json, report.md, report.svg, and the same three files in bench-results/latest/
//   (bench-results/ is git-ignored: every run's figures, nothing committed);
// - unless told not to (`--no-publish`), the committed copy test/bench/REPORT.md + report.svg (+ report.json, the
//   data both are drawn from). That copy is merged suite by suite: a run of some suites replaces those suites'
//   sections and keeps the others as they were, each with the date and machine of its own run, so the committed
//   report always shows the latest figures of every suite.
//
// Nothing here measures anything; `test/unit/bench-report.test.ts` checks the rendering on made-up figures.

import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { arch, cpus, loadavg, platform, release, totalmem } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** Every run's report (git-ignored). */
export const RESULTS_DIR = join(ROOT, 'bench-results');
/** The committed copy the README links to. */
export const PUBLISHED_DIR = join(ROOT, 'test', 'bench');
export const PUBLISHED_MARKDOWN = 'REPORT.md';
export const PUBLISHED_SVG = 'report.svg';
export const PUBLISHED_JSON = 'report.json';

/** Version of the JSON layout below; a report of another version is not merged into. */
export const REPORT_SCHEMA = 1;

// ---------------------------------------------------------------------------------------------------------------
// What suites record
// ---------------------------------------------------------------------------------------------------------------

/** A Markdown table as a suite prints it. */
export interface ReportTable {
  readonly caption?: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** Grouped bars (one group per category, one bar per series), optionally with a line on a second axis. */
export interface BarChart {
  readonly kind: 'bars';
  readonly title: string;
  readonly categories: readonly string[];
  readonly series: readonly { readonly name: string; readonly values: readonly (number | null)[] }[];
  readonly yLabel: string;
  /** `log` for values spanning decades (latencies); default linear from 0. */
  readonly yScale?: 'linear' | 'log';
  readonly line?: {
    readonly name: string;
    readonly values: readonly (number | null)[];
    readonly yLabel: string;
    /** Which points are joined: those with the same key here (default all); a key per point draws points only. */
    readonly joins?: readonly (string | number)[];
  };
}

/** Lines over time (or any numeric x), with optional shaded x ranges and dashed horizontal guides. */
export interface TimeChart {
  readonly kind: 'time';
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly { readonly name: string; readonly points: readonly (readonly [number, number])[] }[];
  readonly bands?: readonly { readonly from: number; readonly to: number; readonly label: string }[];
  readonly guides?: readonly { readonly y: number; readonly from: number; readonly to: number; readonly label: string }[];
}

export type ReportChart = BarChart | TimeChart;

/** One part of a suite's report. */
export interface ReportSection {
  readonly title: string;
  /** Markdown paragraphs before the tables: what was measured, how. */
  readonly description?: readonly string[];
  readonly tables?: readonly ReportTable[];
  /** One line per target or check: `… → met` / `NOT MET`. */
  readonly verdicts?: readonly string[];
  readonly charts?: readonly ReportChart[];
  /** The raw figures behind the tables (report.json only). */
  readonly data?: unknown;
}

let recorded: ReportSection[] = [];

/** Called by a suite for each part of its report (the runner attaches it to the suite running). */
export function record(section: ReportSection): void {
  recorded.push(section);
}

/** The sections recorded since the last call (the runner calls it after each suite). */
export function takeRecorded(): ReportSection[] {
  const taken = recorded;
  recorded = [];
  return taken;
}

// ---------------------------------------------------------------------------------------------------------------
// The report
// ---------------------------------------------------------------------------------------------------------------

export interface MachineInfo {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly totalMemoryBytes: number;
  readonly platform: string;
  readonly node: string;
  /** 1, 5 and 15 minute load averages. */
  readonly loadAverage: readonly number[];
}

export interface SuiteRun {
  readonly suite: string;
  readonly startedAt: string;
  readonly durationSeconds: number;
  readonly ok: boolean;
  readonly error: string | null;
  readonly machine: MachineInfo;
  /** Load average when the suite ended (the machine's `loadAverage` is at its start). */
  readonly loadAverageAfter: readonly number[];
  readonly git: GitInfo;
  /** The benchmark settings read from the environment (QUERIES_*, SOAK_*, …) that were set for this run. */
  readonly settings: Readonly<Record<string, string>>;
  readonly sections: readonly ReportSection[];
  /** What the suite printed. */
  readonly output: string;
}

export interface GitInfo {
  readonly commit: string | null;
  /** Files with uncommitted changes when the run started (the figures are of the working tree). */
  readonly changedFiles: number | null;
}

export interface BenchReport {
  readonly schema: number;
  readonly generatedAt: string;
  readonly command: string;
  readonly suites: readonly SuiteRun[];
}

export function machineInfo(): MachineInfo {
  const cpu = cpus();
  return {
    cpus: cpu.length,
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    totalMemoryBytes: totalmem(),
    platform: `${platform()} ${release()} ${arch()}`,
    node: process.versions.node,
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

export function gitInfo(): GitInfo {
  const git = (args: string[]): string | null => {
    try {
      return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return null;
    }
  };
  const status = git(['status', '--porcelain']);
  return { commit: git(['rev-parse', '--short=12', 'HEAD']), changedFiles: status === null ? null : status.split('\n').filter((l) => l.trim() !== '').length };
}

/** Environment variables that configure benchmarks, by prefix. */
const SETTING_PREFIXES: Readonly<Record<string, readonly string[]>> = {
  queries: ['QUERIES_', 'BENCH_NODE_OPTIONS'],
  soak: ['SOAK_', 'LOAD_'],
  fairness: ['FAIRNESS_', 'LOAD_'],
  provisioning: ['PROVISIONING_', 'LOAD_'],
  emulator: ['EMULATOR_BENCH_'],
  adapter: [],
  throughput: ['THROUGHPUT_', 'BENCH_NODE_OPTIONS'],
  'mixed-load': ['MIXED_', 'LOAD_', 'BENCH_NODE_OPTIONS'],
};
const ALL_PREFIXES = [...new Set(Object.values(SETTING_PREFIXES).flat())];

/** The environment variables that configure `suite` (every benchmark variable for a suite this file does not know). */
export function benchSettings(suite: string, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const prefixes = SETTING_PREFIXES[suite] ?? ALL_PREFIXES;
  const settings: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && prefixes.some((p) => key.startsWith(p))) settings[key] = value;
  }
  return Object.fromEntries(Object.entries(settings).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** `2026-11-30T14-05-09Z`: an ISO instant usable as a directory name. */
export function timestampName(date: Date): string {
  return date.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
}

/** The committed report merged with `report`: suites of `report` replace those of `previous`, the rest stay. */
export function mergeReports(previous: BenchReport | null, report: BenchReport): BenchReport {
  const fresh = new Set(report.suites.map((s) => s.suite));
  const kept = previous === null || previous.schema !== REPORT_SCHEMA ? [] : previous.suites.filter((s) => !fresh.has(s.suite));
  const suites = [...kept, ...report.suites].sort((a, b) => suiteOrder(a.suite) - suiteOrder(b.suite) || (a.suite < b.suite ? -1 : 1));
  return { ...report, suites };
}

/** The order suites appear in the report: the headline figures first. */
const ORDER = ['throughput', 'mixed-load', 'queries', 'provisioning', 'fairness', 'soak', 'adapter', 'emulator'];
function suiteOrder(suite: string): number {
  const index = ORDER.indexOf(suite);
  return index === -1 ? ORDER.length : index;
}

export interface WrittenReport {
  readonly dir: string;
  readonly latest: string;
  readonly published: string | null;
}

/** Writes the run's report and the latest copy; with `publish`, merges it into the committed copy too. */
export function writeReport(report: BenchReport, options: { readonly publish: boolean; readonly now?: Date }): WrittenReport {
  const dir = join(RESULTS_DIR, timestampName(options.now ?? new Date(report.generatedAt)));
  writeFiles(dir, report, 'report');
  const latest = join(RESULTS_DIR, 'latest');
  mkdirSync(latest, { recursive: true });
  for (const file of ['report.json', 'report.md', 'report.svg']) cpSync(join(dir, file), join(latest, file));
  if (!options.publish) return { dir, latest, published: null };
  const previousPath = join(PUBLISHED_DIR, PUBLISHED_JSON);
  let previous: BenchReport | null = null;
  if (existsSync(previousPath)) {
    try {
      previous = JSON.parse(readFileSync(previousPath, 'utf8')) as BenchReport;
    } catch {
      previous = null;
    }
  }
  const merged = mergeReports(previous, report);
  writeFileSync(previousPath, `${JSON.stringify(merged, null, 2)}\n`);
  writeFileSync(join(PUBLISHED_DIR, PUBLISHED_MARKDOWN), renderMarkdown(merged, { svg: PUBLISHED_SVG, committed: true }));
  writeFileSync(join(PUBLISHED_DIR, PUBLISHED_SVG), renderSvg(merged));
  return { dir, latest, published: PUBLISHED_DIR };
}

/** Draws the committed copy again from its report.json (after a change to this file's rendering); no benchmark runs. */
export function renderPublished(): string {
  const report = JSON.parse(readFileSync(join(PUBLISHED_DIR, PUBLISHED_JSON), 'utf8')) as BenchReport;
  writeFileSync(join(PUBLISHED_DIR, PUBLISHED_MARKDOWN), renderMarkdown(report, { svg: PUBLISHED_SVG, committed: true }));
  writeFileSync(join(PUBLISHED_DIR, PUBLISHED_SVG), renderSvg(report));
  return PUBLISHED_DIR;
}

function writeFiles(dir: string, report: BenchReport, base: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${base}.json`), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(dir, `${base}.md`), renderMarkdown(report, { svg: `${base}.svg`, committed: false }));
  writeFileSync(join(dir, `${base}.svg`), renderSvg(report));
}

/** A path relative to the repository, for messages. */
export function fromRoot(path: string): string {
  return relative(ROOT, path) || '.';
}

// ---------------------------------------------------------------------------------------------------------------
// Markdown
// ---------------------------------------------------------------------------------------------------------------

/** A Markdown table; `|` in cells escaped. */
export function markdownTable(table: ReportTable): string {
  const cell = (c: string): string => c.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const lines = [`| ${table.header.map(cell).join(' | ')} |`, `|${table.header.map(() => '---').join('|')}|`];
  for (const row of table.rows) lines.push(`| ${table.header.map((_h, i) => cell(row[i] ?? '')).join(' | ')} |`);
  return lines.join('\n');
}

function loads(values: readonly number[]): string {
  return values.map((v) => v.toFixed(2)).join(' / ');
}

function gib(bytes: number): string {
  return `${(bytes / 2 ** 30).toFixed(1)} GiB`;
}

export function renderMarkdown(report: BenchReport, options: { readonly svg: string; readonly committed: boolean }): string {
  const out: string[] = [];
  out.push('# Benchmark report');
  out.push('');
  out.push(
    options.committed
      ? `Generated by \`npm run bench\` (test/bench/run.ts, test/bench/support/report.ts): each suite's section is from its latest published run, ` +
          'with that run\'s date and machine. Do not edit by hand: run the suites again. Every run also writes `bench-results/<timestamp>/` and `bench-results/latest/` (not committed).'
      : `Generated by \`${report.command}\` on ${report.generatedAt}.`,
  );
  out.push('');
  out.push(
    'The development machine is a shared, noisy 2-core box: figures are medians of several runs where a suite repeats, ' +
      'and comparisons are measured side by side in one run. Load average is given before → after each suite (1 / 5 / 15 min).',
  );
  out.push('');
  out.push(`![Benchmark chart](${options.svg})`);
  out.push('');
  out.push(
    markdownTable({
      header: ['suite', 'run at (UTC)', 'duration', 'result', 'machine', 'load average before → after', 'commit', 'settings'],
      rows: report.suites.map((s) => [
        `[${s.suite}](#${anchor(s.suite)})`,
        s.startedAt.replace(/\.\d+Z$/, 'Z').replace('T', ' '),
        `${s.durationSeconds.toFixed(0)} s`,
        s.ok ? 'ok' : 'FAILED',
        `${s.machine.cpus} CPUs, Node ${s.machine.node}`,
        `${loads(s.machine.loadAverage)} → ${loads(s.loadAverageAfter)}`,
        `${s.git.commit ?? '?'}${s.git.changedFiles ? ` + ${s.git.changedFiles} changed files` : ''}`,
        Object.keys(s.settings).length === 0 ? 'defaults' : Object.entries(s.settings).map(([k, v]) => `${k}=${v}`).join(' '),
      ]),
    }),
  );
  const first = report.suites[0];
  if (first !== undefined) {
    out.push('');
    out.push(`Machine: ${first.machine.cpus} × ${first.machine.cpuModel}, ${gib(first.machine.totalMemoryBytes)}, ${first.machine.platform}, Node ${first.machine.node}.`);
  }
  for (const suite of report.suites) {
    out.push('');
    out.push(`## ${suite.suite}`);
    out.push('');
    out.push(
      `\`npm run bench -- ${suite.suite}\`, ${suite.startedAt.replace(/\.\d+Z$/, 'Z')}, ${suite.durationSeconds.toFixed(0)} s, load average ${loads(suite.machine.loadAverage)} → ${loads(suite.loadAverageAfter)}` +
        (Object.keys(suite.settings).length === 0 ? '' : `, settings: ${Object.entries(suite.settings).map(([k, v]) => `\`${k}=${v}\``).join(', ')}`) +
        '.',
    );
    if (!suite.ok) {
      out.push('');
      out.push(`**The suite failed:** ${suite.error ?? 'unknown error'}`);
    }
    for (const section of suite.sections) {
      out.push('');
      out.push(`### ${section.title}`);
      for (const paragraph of section.description ?? []) {
        out.push('');
        out.push(paragraph);
      }
      for (const table of section.tables ?? []) {
        out.push('');
        if (table.caption !== undefined) {
          out.push(table.caption);
          out.push('');
        }
        out.push(markdownTable(table));
      }
      if ((section.verdicts ?? []).length > 0) {
        out.push('');
        for (const verdict of section.verdicts ?? []) out.push(`- ${verdict}`);
      }
    }
    if (suite.sections.length === 0 || !suite.ok) {
      out.push('');
      out.push('<details><summary>Console output</summary>');
      out.push('');
      out.push('```');
      out.push(suite.output.trimEnd());
      out.push('```');
      out.push('');
      out.push('</details>');
    }
  }
  out.push('');
  return out.join('\n');
}

function anchor(heading: string): string {
  return heading.toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-');
}

// ---------------------------------------------------------------------------------------------------------------
// SVG
// ---------------------------------------------------------------------------------------------------------------

const WIDTH = 960;
const PANEL_HEIGHT = 340;
const MARGIN = { top: 58, right: 78, bottom: 62, left: 78 };
const COLORS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#9c755f'];
const LINE_COLOR = '#222222';
const FONT = 'font-family="Helvetica, Arial, sans-serif"';

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function fmt(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  const abs = Math.abs(value);
  if (value === 0) return '0';
  if (abs >= 10_000) return `${(value / 1000).toFixed(0)}k`;
  if (abs >= 1_000) return `${(value / 1000).toFixed(1).replace(/\.0$/, '')}k`;
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1).replace(/\.0$/, '');
  if (abs >= 1) return value.toFixed(2).replace(/\.?0+$/, '');
  return value.toPrecision(2);
}

interface Axis {
  readonly min: number;
  readonly max: number;
  readonly ticks: readonly number[];
  readonly log: boolean;
  /** Position of `value` from 0 (min) to 1 (max). */
  at(value: number): number;
}

/** A linear axis from 0 (or below, for negative data) with about five round ticks. */
export function linearAxis(values: readonly number[]): Axis {
  const finite = values.filter((v) => Number.isFinite(v));
  const hi = Math.max(0, ...finite);
  const lo = Math.min(0, ...finite);
  const span = hi - lo || 1;
  const raw = span / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude;
  const min = Math.floor(lo / step) * step;
  const max = Math.max(min + step, Math.ceil(hi / step) * step);
  const ticks: number[] = [];
  for (let t = min; t <= max + step / 1e6; t += step) ticks.push(Math.round(t / step) * step);
  return { min, max, ticks, log: false, at: (v) => (v - min) / (max - min) };
}

/** A log axis over whole decades, ticks at 1, 2 and 5 of each. */
export function logAxis(values: readonly number[]): Axis {
  const positive = values.filter((v) => Number.isFinite(v) && v > 0);
  if (positive.length === 0) return linearAxis(values);
  const lo = Math.min(...positive);
  const hi = Math.max(...positive);
  // From the power of ten at or below the smallest value (so the shortest bar still shows) to the smallest 1, 2 or
  // 5 × 10^k at or above the largest.
  const candidates: number[] = [];
  for (let k = Math.floor(Math.log10(lo)) - 1; k <= Math.ceil(Math.log10(hi)) + 1; k++) for (const m of [1, 2, 5]) candidates.push(m * 10 ** k);
  const min = 10 ** Math.floor(Math.log10(lo) + 1e-9);
  let max = candidates.find((t) => t >= hi / 1.0001) ?? hi;
  if (max <= min) max = candidates.find((t) => t > min) ?? min * 10;
  const ticks = candidates.filter((t) => t >= min / 1.0001 && t <= max * 1.0001);
  const lmin = Math.log10(min);
  const lmax = Math.log10(max);
  return { min, max, ticks, log: true, at: (v) => (Math.log10(Math.max(v, min)) - lmin) / (lmax - lmin) };
}

function text(x: number, y: number, content: string, attrs = ''): string {
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${attrs}>${esc(content)}</text>`;
}

function panelFrame(title: string, y0: number): string[] {
  return [
    `<rect x="0.5" y="${y0 + 0.5}" width="${WIDTH - 1}" height="${PANEL_HEIGHT - 1}" fill="#ffffff" stroke="#dddddd"/>`,
    text(WIDTH / 2, y0 + 24, title, 'text-anchor="middle" font-size="15" font-weight="bold"'),
  ];
}

function yAxis(axis: Axis, y0: number, side: 'left' | 'right', label: string, grid: boolean): string[] {
  const plotTop = y0 + MARGIN.top;
  const plotHeight = PANEL_HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = side === 'left' ? MARGIN.left : WIDTH - MARGIN.right;
  const parts: string[] = [`<line x1="${x}" y1="${plotTop}" x2="${x}" y2="${plotTop + plotHeight}" stroke="#888888"/>`];
  for (const tick of axis.ticks) {
    const y = plotTop + plotHeight * (1 - axis.at(tick));
    if (grid) parts.push(`<line x1="${MARGIN.left}" y1="${y.toFixed(1)}" x2="${WIDTH - MARGIN.right}" y2="${y.toFixed(1)}" stroke="#eeeeee"/>`);
    parts.push(text(side === 'left' ? x - 6 : x + 6, y + 4, fmt(tick), `text-anchor="${side === 'left' ? 'end' : 'start'}" font-size="11" fill="#444444"`));
  }
  const lx = side === 'left' ? 18 : WIDTH - 14;
  const ly = plotTop + plotHeight / 2;
  parts.push(text(lx, ly, label + (axis.log ? ' (log scale)' : ''), `text-anchor="middle" font-size="12" fill="#333333" transform="rotate(-90 ${lx} ${ly})"`));
  return parts;
}

function legend(items: readonly { name: string; color: string; kind: 'bar' | 'line' | 'band' | 'guide' }[], y0: number): string[] {
  const parts: string[] = [];
  const widths = items.map((i) => 26 + i.name.length * 6.4 + 18);
  let x = (WIDTH - widths.reduce((a, b) => a + b, 0)) / 2;
  const y = y0 + 42;
  items.forEach((item, i) => {
    if (item.kind === 'bar' || item.kind === 'band') parts.push(`<rect x="${x.toFixed(1)}" y="${y - 9}" width="14" height="10" fill="${item.color}"${item.kind === 'band' ? ' fill-opacity="0.25"' : ''}/>`);
    else parts.push(`<line x1="${x.toFixed(1)}" y1="${y - 4}" x2="${(x + 16).toFixed(1)}" y2="${y - 4}" stroke="${item.color}" stroke-width="2"${item.kind === 'guide' ? ' stroke-dasharray="4 3"' : ''}/>`);
    parts.push(text(x + 20, y, item.name, 'font-size="11" fill="#333333"'));
    x += widths[i] as number;
  });
  return parts;
}

/** A category label in lines of at most `max` characters: at its own line breaks, then spaces, then camelCase humps. */
export function wrapLabel(label: string, max: number): string[] {
  const lines: string[] = [];
  for (const line of label.split('\n')) {
    const words = line.split(/(?<= )|(?<=[a-z])(?=[A-Z])/);
    let current = '';
    for (const word of words) {
      if (current !== '' && (current + word).trimEnd().length > max) {
        lines.push(current.trimEnd());
        current = '';
      }
      current += word;
    }
    if (current !== '') lines.push(current.trimEnd());
  }
  return lines;
}

function barPanel(chart: BarChart, y0: number): string[] {
  const parts = panelFrame(chart.title, y0);
  const plotTop = y0 + MARGIN.top;
  const plotHeight = PANEL_HEIGHT - MARGIN.top - MARGIN.bottom;
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const values = chart.series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  const axis = chart.yScale === 'log' ? logAxis(values) : linearAxis(values);
  parts.push(...yAxis(axis, y0, 'left', chart.yLabel, true));
  const groups = chart.categories.length;
  const groupWidth = plotWidth / Math.max(1, groups);
  const barWidth = Math.min(40, (groupWidth * 0.7) / Math.max(1, chart.series.length));
  const baseline = plotTop + plotHeight;
  parts.push(`<line x1="${MARGIN.left}" y1="${baseline}" x2="${WIDTH - MARGIN.right}" y2="${baseline}" stroke="#888888"/>`);
  chart.categories.forEach((category, g) => {
    const cx = MARGIN.left + groupWidth * (g + 0.5);
    const lines = wrapLabel(category, Math.max(6, Math.floor(groupWidth / 6.4)));
    lines.forEach((line, i) => parts.push(text(cx, baseline + 16 + i * 13, line, 'text-anchor="middle" font-size="11" fill="#333333"')));
    chart.series.forEach((series, s) => {
      const value = series.values[g];
      if (value === null || value === undefined || !Number.isFinite(value)) return;
      const x = cx - (barWidth * chart.series.length) / 2 + s * barWidth;
      const top = plotTop + plotHeight * (1 - Math.max(0, Math.min(1, axis.at(value))));
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${top.toFixed(1)}" width="${(barWidth - 2).toFixed(1)}" height="${Math.max(0, baseline - top).toFixed(1)}" fill="${COLORS[s % COLORS.length]}"><title>${esc(`${category.replace(/\n/g, ' ')}, ${series.name}: ${fmt(value)}`)}</title></rect>`,
      );
      if (barWidth >= 14) parts.push(text(x + (barWidth - 2) / 2, top - 3, fmt(value), 'text-anchor="middle" font-size="9" fill="#333333"'));
    });
  });
  const items: { name: string; color: string; kind: 'bar' | 'line' }[] = chart.series.map((s, i) => ({ name: s.name, color: COLORS[i % COLORS.length] as string, kind: 'bar' }));
  if (chart.line !== undefined) {
    const line = chart.line;
    const lineAxis = linearAxis(line.values.filter((v): v is number => v !== null));
    parts.push(...yAxis(lineAxis, y0, 'right', line.yLabel, false));
    const points = line.values
      .map((v, g) =>
        v === null || !Number.isFinite(v) ? null : ([MARGIN.left + groupWidth * (g + 0.5), plotTop + plotHeight * (1 - lineAxis.at(v)), v, line.joins?.[g] ?? 0] as const),
      )
      .filter((p): p is readonly [number, number, number, string | number] => p !== null);
    for (const key of new Set(points.map((p) => p[3]))) {
      const joined = points.filter((p) => p[3] === key);
      if (joined.length > 1) parts.push(`<polyline fill="none" stroke="${LINE_COLOR}" stroke-width="2" points="${joined.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ')}"/>`);
    }
    for (const [x, y, v] of points) {
      parts.push(`<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="3.5" fill="${LINE_COLOR}"><title>${esc(`${line.name}: ${fmt(v)}`)}</title></circle>`);
      parts.push(text(x + 6, y - 6, fmt(v), `font-size="10" font-weight="bold" fill="${LINE_COLOR}"`));
    }
    items.push({ name: line.name, color: LINE_COLOR, kind: 'line' });
  }
  parts.push(...legend(items, y0));
  return parts;
}

function timePanel(chart: TimeChart, y0: number): string[] {
  const parts = panelFrame(chart.title, y0);
  const plotTop = y0 + MARGIN.top;
  const plotHeight = PANEL_HEIGHT - MARGIN.top - MARGIN.bottom;
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const xs = chart.series.flatMap((s) => s.points.map(([x]) => x));
  const ys = [...chart.series.flatMap((s) => s.points.map(([, y]) => y)), ...(chart.guides ?? []).map((g) => g.y)];
  const xAxis = linearAxis([Math.min(0, ...xs), ...xs]);
  const axis = linearAxis(ys);
  const px = (x: number): number => MARGIN.left + plotWidth * xAxis.at(x);
  const py = (y: number): number => plotTop + plotHeight * (1 - axis.at(y));
  parts.push(...yAxis(axis, y0, 'left', chart.yLabel, true));
  const baseline = plotTop + plotHeight;
  parts.push(`<line x1="${MARGIN.left}" y1="${baseline}" x2="${WIDTH - MARGIN.right}" y2="${baseline}" stroke="#888888"/>`);
  for (const tick of xAxis.ticks) parts.push(text(px(tick), baseline + 16, fmt(tick), 'text-anchor="middle" font-size="11" fill="#444444"'));
  parts.push(text(MARGIN.left + plotWidth / 2, baseline + 34, chart.xLabel, 'text-anchor="middle" font-size="12" fill="#333333"'));
  const items: { name: string; color: string; kind: 'bar' | 'line' | 'band' | 'guide' }[] = [];
  for (const band of chart.bands ?? []) {
    parts.push(`<rect x="${px(band.from).toFixed(1)}" y="${plotTop}" width="${Math.max(0, px(band.to) - px(band.from)).toFixed(1)}" height="${plotHeight}" fill="#9aa5b1" fill-opacity="0.18"/>`);
    parts.push(text((px(band.from) + px(band.to)) / 2, plotTop + 12, band.label, 'text-anchor="middle" font-size="10" fill="#555555"'));
  }
  chart.series.forEach((series, i) => {
    const color = COLORS[i % COLORS.length] as string;
    if (series.points.length > 0) {
      parts.push(`<polyline fill="none" stroke="${color}" stroke-width="1.6" points="${series.points.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(' ')}"/>`);
    }
    items.push({ name: series.name, color, kind: 'line' });
  });
  for (const guide of chart.guides ?? []) {
    parts.push(`<line x1="${px(guide.from).toFixed(1)}" y1="${py(guide.y).toFixed(1)}" x2="${px(guide.to).toFixed(1)}" y2="${py(guide.y).toFixed(1)}" stroke="${LINE_COLOR}" stroke-width="1.5" stroke-dasharray="4 3"/>`);
    parts.push(text((px(guide.from) + px(guide.to)) / 2, py(guide.y) - 5, guide.label, `text-anchor="middle" font-size="10" font-weight="bold" fill="${LINE_COLOR}"`));
  }
  if ((chart.guides ?? []).length > 0) items.push({ name: 'window means', color: LINE_COLOR, kind: 'guide' });
  parts.push(...legend(items, y0));
  return parts;
}

/** Every chart of every suite, one panel each, stacked; a placeholder panel when there is none. */
export function renderSvg(report: BenchReport): string {
  const charts = report.suites.flatMap((s) => s.sections.flatMap((section) => (section.charts ?? []).map((chart) => ({ suite: s, chart }))));
  const header = 44;
  const height = header + Math.max(1, charts.length) * (PANEL_HEIGHT + 12);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" ${FONT}>`,
    `<rect width="${WIDTH}" height="${height}" fill="#fafafa"/>`,
    text(16, 26, `ThoughtSpot Directory Subgraph: benchmarks (${report.generatedAt.slice(0, 10)})`, 'font-size="17" font-weight="bold"'),
  ];
  if (charts.length === 0) {
    parts.push(text(WIDTH / 2, header + PANEL_HEIGHT / 2, 'No suite of this run recorded a chart.', 'text-anchor="middle" font-size="14" fill="#666666"'));
  }
  charts.forEach(({ suite, chart }, i) => {
    const y0 = header + i * (PANEL_HEIGHT + 12);
    parts.push(`<g>`);
    parts.push(...(chart.kind === 'bars' ? barPanel(chart, y0) : timePanel(chart, y0)));
    parts.push(
      text(WIDTH - 10, y0 + PANEL_HEIGHT - 8, `${suite.suite}, ${suite.startedAt.slice(0, 16).replace('T', ' ')} UTC, ${suite.machine.cpus} CPUs, load ${suite.machine.loadAverage[0]?.toFixed(2) ?? '?'}`, 'text-anchor="end" font-size="10" fill="#888888"'),
    );
    parts.push('</g>');
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
