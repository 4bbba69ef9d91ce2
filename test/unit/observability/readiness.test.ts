import { describe, expect, it } from 'vitest';
import { createReadiness } from '../../../src/observability/index.js';

function setup(probe: () => Promise<unknown>, cacheMs = 5_000, ping: () => Promise<unknown> = () => Promise.resolve()) {
  let clock = 0;
  let probes = 0;
  const warnings: unknown[] = [];
  const readiness = createReadiness({
    probeThoughtSpot: () => {
      probes += 1;
      return probe();
    },
    pingStore: ping,
    cacheMs,
    logger: { warn: (message, fields) => warnings.push({ message, ...fields }) },
    now: () => clock,
    timeoutMs: 5,
  });
  return {
    readiness,
    warnings,
    probes: () => probes,
    advance: (ms: number) => {
      clock += ms;
    },
  };
}

describe('createReadiness', () => {
  it('is ready when both checks pass, and asks ThoughtSpot once per cache period', async () => {
    const { readiness, probes, advance } = setup(() => Promise.resolve({}));
    expect(await readiness.check()).toEqual({ ready: true, body: { status: 'ready', checks: { thoughtspot: 'ok', store: 'ok' } } });
    await Promise.all([readiness.check(), readiness.check()]);
    advance(4_999);
    await readiness.check();
    expect(probes()).toBe(1);
    advance(1);
    await readiness.check();
    expect(probes()).toBe(2);
  });

  it('shares one probe between checks that arrive while it is in flight', async () => {
    let answer!: () => void;
    const { readiness, probes } = setup(() => new Promise<void>((resolve) => (answer = resolve)), 0);
    const checks = [readiness.check(), readiness.check(), readiness.check()];
    answer();
    expect((await Promise.all(checks)).map((report) => report.ready)).toEqual([true, true, true]);
    expect(probes()).toBe(1);
  });

  it('reports the code of a coded failure, never its message, and reuses a failure like a success', async () => {
    const failure = Object.assign(new Error('https://secret.example.com answered <html>token=abc</html>'), { code: 'TS_ERR_UPSTREAM' });
    const { readiness, probes, warnings } = setup(() => Promise.reject(failure));
    const report = await readiness.check();
    expect(report).toEqual({
      ready: false,
      body: { status: 'not ready', checks: { thoughtspot: 'failed', store: 'ok' }, errors: { thoughtspot: 'TS_ERR_UPSTREAM' } },
    });
    expect(JSON.stringify(report)).not.toContain('secret.example.com');
    expect(warnings).toEqual([{ message: 'readiness check failed', check: 'thoughtspot', code: 'TS_ERR_UPSTREAM' }]);
    await readiness.check();
    expect(probes()).toBe(1);
  });

  it('names an uncoded failure ERROR and a check that never answers TIMEOUT', async () => {
    const { readiness } = setup(
      () => new Promise(() => undefined),
      0,
      () => Promise.reject(new Error('connection refused')),
    );
    expect((await readiness.check()).body).toEqual({
      status: 'not ready',
      checks: { thoughtspot: 'failed', store: 'failed' },
      errors: { thoughtspot: 'TIMEOUT', store: 'ERROR' },
    });
  });
});
