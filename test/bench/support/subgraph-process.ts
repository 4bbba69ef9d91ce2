// Child-process entry of the read-path benchmark's memory figure (test/bench/suites/queries.ts, through measure.ts):
// the subgraph alone in a fresh process, configured as production is (`loadConfig` + `createApp`, the adapter's own
// keep-alive pool, no test dispatcher) against the emulator child, serving HTTP on 127.0.0.1. Its memory is the
// subgraph's, not the load driver's or the emulator's (both live in other processes). It samples
// `process.memoryUsage()` every SAMPLE_MS itself and answers the parent over IPC: `{ type: 'ready', url, gc,
// environment }` (environment: what the configuration resolved to, so the parent can check it got the one it asked
// for), then `reset` (start a window: peaks forgotten, the kernel's high-water mark reset when Linux allows it),
// `stats` (the window's peaks and sample count), `gc` (a forced collection when the process runs with --expose-gc,
// then memoryUsage) and `close`. argv[2] is JSON: { url, username, secretKey, env }; `env` carries what production
// would set besides the cluster (measure.ts `startSubgraphProcess` puts the JWT settings callers are checked against,
// SECRETS_KEY and STORE_PATH there), since this file may run transpiled on its own, without the test support modules.

import { readFileSync, writeFileSync } from 'node:fs';
import { createApp } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';

export const SAMPLE_MS = 100;

export type SubgraphRequest =
  | { readonly id: number; readonly op: 'reset' }
  | { readonly id: number; readonly op: 'stats' }
  | { readonly id: number; readonly op: 'gc' }
  | { readonly id: number; readonly op: 'close' };

/** The peaks of one window. */
export interface MemoryWindow {
  readonly samples: number;
  readonly peakRss: number;
  readonly peakHeapUsed: number;
  readonly peakHeapTotal: number;
  readonly peakExternal: number;
  /** The kernel's peak RSS (VmHWM) since the window started; null when it could not be reset or read. */
  readonly kernelPeakRss: number | null;
  /** Largest gap between two samples (the event loop delays the sampling timer under load). */
  readonly maxGapMs: number;
}

/** VmHWM in bytes, or null off Linux. */
function kernelHighWaterMark(): number | null {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return match === null ? null : Number(match[1]) * 1024;
  } catch {
    return null;
  }
}

/** Resets VmHWM to the current RSS (Linux ≥ 4.0, `echo 5 > /proc/PID/clear_refs`); false when not allowed. */
function resetKernelHighWaterMark(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '{}') as { url: string; username: string; secretKey: string; env?: Record<string, string> };
  const config = loadConfig({
    THOUGHTSPOT_URL: args.url,
    THOUGHTSPOT_USERNAME: args.username,
    THOUGHTSPOT_SECRET_KEY: args.secretKey,
    THOUGHTSPOT_CONNECTION_ID: 'test',
    LOG_LEVEL: 'silent',
    // The environment this process was started in (measure.ts sets NODE_ENV on the fork), so the configuration is
    // the one that environment gets (Apollo's nodeEnv, CORS and the settings production requires): `loadConfig`
    // reads only the object it is given, never process.env.
    NODE_ENV: process.env['NODE_ENV'],
    ...args.env,
  });
  const app = await createApp(config);
  const url = await app.listen(0, '127.0.0.1');

  let peak = { samples: 0, rss: 0, heapUsed: 0, heapTotal: 0, external: 0, maxGapMs: 0, last: performance.now() };
  let kernelReset = false;
  const sample = (): void => {
    const now = performance.now();
    const m = process.memoryUsage();
    peak.samples += 1;
    peak.rss = Math.max(peak.rss, m.rss);
    peak.heapUsed = Math.max(peak.heapUsed, m.heapUsed);
    peak.heapTotal = Math.max(peak.heapTotal, m.heapTotal);
    peak.external = Math.max(peak.external, m.external);
    peak.maxGapMs = Math.max(peak.maxGapMs, now - peak.last);
    peak.last = now;
  };
  const timer = setInterval(sample, SAMPLE_MS);

  const gc = (globalThis as { gc?: () => void }).gc;
  const send = (message: unknown): void => {
    process.send?.(message);
  };
  let closing = false;
  process.on('message', (message: SubgraphRequest) => {
    void (async () => {
      try {
        switch (message.op) {
          case 'reset':
            peak = { samples: 0, rss: 0, heapUsed: 0, heapTotal: 0, external: 0, maxGapMs: 0, last: performance.now() };
            kernelReset = resetKernelHighWaterMark();
            sample();
            send({ id: message.id, result: null });
            return;
          case 'stats': {
            sample();
            const window: MemoryWindow = {
              samples: peak.samples,
              peakRss: peak.rss,
              peakHeapUsed: peak.heapUsed,
              peakHeapTotal: peak.heapTotal,
              peakExternal: peak.external,
              kernelPeakRss: kernelReset ? kernelHighWaterMark() : null,
              maxGapMs: peak.maxGapMs,
            };
            send({ id: message.id, result: window });
            return;
          }
          case 'gc':
            if (gc !== undefined) {
              // Twice: the first pass can leave garbage that finalizers or weak references free for the second.
              gc();
              gc();
            }
            send({ id: message.id, result: { forced: gc !== undefined, memory: process.memoryUsage() } });
            return;
          case 'close':
            closing = true;
            clearInterval(timer);
            await app.stop();
            send({ id: message.id, result: null });
            process.disconnect();
            return;
        }
      } catch (err) {
        send({ id: message.id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
      }
    })();
  });
  process.on('disconnect', () => {
    if (closing) return;
    clearInterval(timer);
    void app.stop().finally(() => process.exit(0));
  });
  send({ type: 'ready', url, gc: gc !== undefined, environment: config.environment });
}

main().catch((err: unknown) => {
  process.stderr.write(`subgraph-process failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
