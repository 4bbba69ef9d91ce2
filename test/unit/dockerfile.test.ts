// The Dockerfile, checked without a Docker engine (none runs on the development or CI machines): it lints clean with
// dockerfile-utils (the validator behind VS Code's Docker support), and it keeps the promises the README makes:
// multi-stage, runtime on Node 20 as a non-root user with NODE_ENV=production, a HEALTHCHECK on /health, and an
// exec-form CMD that runs plain node on a file the build produces. `.ci/run` builds and checks that file exists.

import { readFileSync } from 'node:fs';
import { DockerfileParser } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';
import { describe, expect, it } from 'vitest';
import { imageNodeOptions } from '../bench/support/image.js';

const text = readFileSync(new URL('../../Dockerfile', import.meta.url), 'utf8');
const dockerfile = DockerfileParser.parse(text);
const instructions = dockerfile.getInstructions();
/** The instructions of the last stage (the image that runs). */
const runtime = instructions.slice(instructions.findLastIndex((i) => i.getKeyword() === 'FROM'));
const args = (keyword: string): string[] => runtime.filter((i) => i.getKeyword() === keyword).map((i) => i.getArgumentsContent() ?? '');

describe('Dockerfile', () => {
  it('lints clean', () => {
    expect(validate(text).map((d) => `${d.range.start.line + 1}: ${d.message}`)).toEqual([]);
  });

  it('runs the last stage on Node 20 as a non-root user, in production mode', () => {
    expect(dockerfile.getFROMs().length).toBeGreaterThanOrEqual(2);
    expect(args('FROM')[0]).toMatch(/^node:20[-.\w]*\b/);
    expect(args('USER').at(-1)).toMatch(/^(?!root$|0$)\S+$/);
    expect(args('ENV')).toContain('NODE_ENV=production');
  });

  it('gives the heap a ceiling, so V8 collects before garbage piles up (the benchmarks measure the child with it)', () => {
    const ceiling = /--max-old-space-size=(\d+)/.exec(imageNodeOptions(text))?.[1];
    // Far above the live heap of a loaded subgraph (tens of MB), below the size at which V8 stops growing cautiously.
    expect(Number(ceiling)).toBeGreaterThanOrEqual(512);
    expect(Number(ceiling)).toBeLessThan(2048);
  });

  it('probes /health and runs plain node on the build output, in exec form', () => {
    expect(args('HEALTHCHECK').join(' ')).toContain('/health');
    const cmd = JSON.parse(args('CMD').at(-1) ?? 'null') as unknown;
    expect(cmd).toEqual(['node', expect.stringMatching(/^dist\/.+\.js$/)]);
    // The build (src/tsconfig.build.json) compiles src/X.ts to dist/X.js: the source of the CMD's file must exist.
    const source = new URL(`../../${(cmd as string[])[1]?.replace(/^dist\//, 'src/').replace(/\.js$/, '.ts') ?? ''}`, import.meta.url);
    expect(() => readFileSync(source)).not.toThrow();
  });
});
