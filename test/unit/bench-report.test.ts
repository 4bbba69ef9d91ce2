// The benchmark report writer (test/bench/support/report.ts), on made-up figures: no benchmark runs here. The chart
// is drawn by code (a well-formed SVG with one bar per value), the Markdown tables escape their cells, a run of some
// suites replaces only those suites in the committed report, and the committed copy (test/bench/REPORT.md,
// report.svg) is exactly what the code renders from test/bench/report.json, so nobody edited it by hand.

import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  benchSettings,
  logAxis,
  markdownTable,
  mergeReports,
  renderMarkdown,
  renderSvg,
  wrapLabel,
  REPORT_SCHEMA,
  type BenchReport,
  type SuiteRun,
} from '../bench/support/report.js';

function suite(name: string, overrides: Partial<SuiteRun> = {}): SuiteRun {
  return {
    suite: name,
    startedAt: '2026-11-30T12:00:00.000Z',
    durationSeconds: 12.3,
    ok: true,
    error: null,
    machine: { cpus: 2, cpuModel: 'Test CPU', totalMemoryBytes: 8 * 2 ** 30, platform: 'linux test x64', node: '20.20.2', loadAverage: [1.5, 1.2, 1] },
    loadAverageAfter: [1.6, 1.3, 1],
    git: { commit: 'abcdef123456', changedFiles: 0 },
    settings: {},
    sections: [],
    output: 'printed <output>\n',
    ...overrides,
  };
}

const throughput = suite('throughput', {
  sections: [
    {
      title: 'Throughput',
      tables: [{ header: ['clients', 'p50'], rows: [['1', '70 ms'], ['a | b', '80 ms']] }],
      verdicts: ['errors: 0 → none'],
      charts: [
        {
          kind: 'bars',
          title: 'Latency <p50> & p99',
          categories: ['1 client\n0 ms', '10 clients\n0 ms', '50 clients\n0 ms'],
          series: [
            { name: 'p50', values: [70, 300, null] },
            { name: 'p99', values: [90, 500, 2500] },
          ],
          yLabel: 'ms',
          yScale: 'log',
          line: { name: 'requests/s', values: [14, 30, 31], yLabel: 'requests/s', joins: [0, 0, 1] },
        },
        {
          kind: 'time',
          title: 'RSS',
          xLabel: 's',
          yLabel: 'MB',
          series: [{ name: 'rss', points: [[0, 100], [1, 120], [2, 118]] }],
          bands: [{ from: 0, to: 1, label: 'first' }],
          guides: [{ y: 110, from: 0, to: 1, label: '110 MB' }],
        },
      ],
    },
  ],
});

const report: BenchReport = { schema: REPORT_SCHEMA, generatedAt: '2026-11-30T12:00:00.000Z', command: 'npm run bench', suites: [throughput, suite('emulator')] };

/** Checks every tag is closed in order and every `&` starts an entity; returns the element names seen. */
function wellFormed(xml: string): string[] {
  const stack: string[] = [];
  const seen: string[] = [];
  for (const match of xml.matchAll(/<(\/?)([a-zA-Z]+)[^>]*?(\/?)>/g)) {
    const [, closing, name, selfClosing] = match as unknown as [string, string, string, string];
    if (closing === '/') expect(stack.pop()).toBe(name);
    else {
      seen.push(name);
      if (selfClosing !== '/') stack.push(name);
    }
  }
  expect(stack).toEqual([]);
  expect(xml.replace(/&(amp|lt|gt|quot);/g, '')).not.toContain('&');
  return seen;
}

describe('benchmark report', () => {
  it('draws a well-formed SVG with one bar per value and the line points', () => {
    const svg = renderSvg(report);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    const elements = wellFormed(svg);
    // 5 values (one null) → 5 bars; 3 line points; the title escaped.
    expect(svg.match(/<rect [^>]*><title>/g)?.length).toBe(5);
    expect(elements.filter((e) => e === 'circle').length).toBe(3);
    expect(svg).toContain('Latency &lt;p50&gt; &amp; p99');
    // The line joins the first two points only, the time chart draws its own.
    expect(svg.match(/<polyline/g)?.length).toBe(2);
  });

  it('draws a placeholder when no suite recorded a chart', () => {
    const svg = renderSvg({ ...report, suites: [suite('emulator')] });
    wellFormed(svg);
    expect(svg).toContain('No suite of this run recorded a chart.');
  });

  it('writes Markdown tables, verdicts, the machine, and the console output of suites without sections', () => {
    const md = renderMarkdown(report, { svg: 'report.svg', committed: false });
    expect(md).toContain('![Benchmark chart](report.svg)');
    expect(md).toContain('| a \\| b | 80 ms |');
    expect(md).toContain('- errors: 0 → none');
    expect(md).toContain('2 × Test CPU');
    expect(md).toContain('1.50 / 1.20 / 1.00 → 1.60 / 1.30 / 1.00');
    expect(md).toContain('printed <output>');
    expect(markdownTable({ header: ['a', 'b'], rows: [['1']] })).toBe('| a | b |\n|---|---|\n| 1 |  |');
  });

  it('merges a run into the committed report suite by suite', () => {
    const newer = suite('throughput', { startedAt: '2026-12-01T00:00:00.000Z' });
    const merged = mergeReports(report, { ...report, generatedAt: '2026-12-01T00:00:00.000Z', suites: [newer, suite('mixed-load')] });
    expect(merged.suites.map((s) => `${s.suite} ${s.startedAt.slice(0, 10)}`)).toEqual(['throughput 2026-12-01', 'mixed-load 2026-11-30', 'emulator 2026-11-30']);
    expect(mergeReports({ ...report, schema: REPORT_SCHEMA + 1 }, { ...report, suites: [newer] }).suites.map((s) => s.suite)).toEqual(['throughput']);
  });

  it('puts log ticks on 1, 2 and 5 of each decade, and wraps long labels', () => {
    expect(logAxis([70, 2500]).ticks).toEqual([10, 20, 50, 100, 200, 500, 1000, 2000, 5000]);
    expect(logAxis([100, 200]).ticks).toEqual([100, 200]);
    expect(logAxis([203, 11_111]).ticks).toEqual([100, 200, 500, 1000, 2000, 5000, 10_000, 20_000]);
    expect(wrapLabel('groupMembersRemove', 12)).toEqual(['groupMembers', 'Remove']);
    expect(wrapLabel('10 clients\n20 ms', 20)).toEqual(['10 clients', '20 ms']);
  });

  it('records the settings of the suite that ran', () => {
    const env = { SOAK_SECONDS: '10', QUERIES_QUICK: '1', LOAD_EMULATOR: 'in-process', PATH: '/bin' };
    expect(benchSettings('soak', env)).toEqual({ LOAD_EMULATOR: 'in-process', SOAK_SECONDS: '10' });
    expect(benchSettings('queries', env)).toEqual({ QUERIES_QUICK: '1' });
  });

  it('the committed report is what the code renders from its data', () => {
    const dir = new URL('../bench/', import.meta.url);
    if (!existsSync(new URL('report.json', dir))) return;
    const committed = JSON.parse(readFileSync(new URL('report.json', dir), 'utf8')) as BenchReport;
    expect(readFileSync(new URL('REPORT.md', dir), 'utf8')).toBe(renderMarkdown(committed, { svg: 'report.svg', committed: true }));
    expect(readFileSync(new URL('report.svg', dir), 'utf8')).toBe(renderSvg(committed));
  });
});
