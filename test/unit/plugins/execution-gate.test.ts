import { describe, expect, it } from 'vitest';
import { ErrorCode, RequestAborted } from '../../../src/errors/codes.js';
import { createExecutionGate, GateRefused, MAX_WEIGHT_SHARE } from '../../../src/plugins/execution-gate.js';

/** Records the order in which waiters are granted. */
function track(gate: ReturnType<typeof createExecutionGate>, granted: string[], key: string, label: string, signal?: AbortSignal, weight = 1) {
  return gate.acquire(key, weight, signal).then((release) => {
    granted.push(label);
    return release;
  });
}

describe('createExecutionGate', () => {
  it('grants up to its capacity at once and the next waiter when a slot is released', async () => {
    const gate = createExecutionGate({ capacity: 2, queueMax: 10 });
    const granted: string[] = [];
    const first = await track(gate, granted, 'a', 'a1');
    await track(gate, granted, 'b', 'b1');
    const third = track(gate, granted, 'c', 'c1');
    expect(gate.status()).toEqual({ running: 2, queued: 1, units: 2 });
    await Promise.resolve();
    expect(granted).toEqual(['a1', 'b1']);
    first();
    first(); // a second release of the same slot frees nothing more
    await third;
    expect(granted).toEqual(['a1', 'b1', 'c1']);
    expect(gate.status()).toEqual({ running: 2, queued: 0, units: 2 });
  });

  it('serves waiting keys in turn, so one key with many waiters does not go first with all of them', async () => {
    const gate = createExecutionGate({ capacity: 1, queueMax: 10 });
    const granted: string[] = [];
    const release = await track(gate, granted, 'busy', 'busy-1');
    // Each waiter gives its slot back as soon as it has it, so one release lets the whole queue through in order.
    const through = (key: string, label: string) => track(gate, granted, key, label).then((done) => done());
    const waiting = [through('busy', 'busy-2'), through('busy', 'busy-3'), through('busy', 'busy-4'), through('quiet', 'quiet-1'), through('other', 'other-1')];
    expect(gate.status()).toEqual({ running: 1, queued: 5, units: 1 });
    release();
    await Promise.all(waiting);
    expect(granted).toEqual(['busy-1', 'busy-2', 'quiet-1', 'other-1', 'busy-3', 'busy-4']);
    expect(gate.status()).toEqual({ running: 0, queued: 0, units: 0 });
  });

  it('admits by weight, lets nothing overtake a heavy operation at the head of the line, and caps weights at a quarter of its capacity', async () => {
    const gate = createExecutionGate({ capacity: 16, queueMax: 10 });
    expect(16 * MAX_WEIGHT_SHARE).toBe(4);
    const granted: string[] = [];
    const light = await Promise.all([4, 4, 4, 1].map((weight, i) => track(gate, granted, 'a', `light-${i + 1}`, undefined, weight)));
    expect(gate.status()).toEqual({ running: 4, queued: 0, units: 13 });
    // 50 lists weigh a quarter of the capacity, 4 units, which do not fit beside 13. The 1-unit operation behind it
    // would fit, but waits its turn.
    const heavy = track(gate, granted, 'b', 'heavy', undefined, 50);
    const small = track(gate, granted, 'c', 'small', undefined, 1);
    await Promise.resolve();
    expect(gate.status()).toEqual({ running: 4, queued: 2, units: 13 });
    light[3]?.();
    const heavyRelease = await heavy;
    expect(gate.status()).toEqual({ running: 4, queued: 1, units: 16 });
    light[0]?.();
    const smallRelease = await small;
    expect(granted).toEqual(['light-1', 'light-2', 'light-3', 'light-4', 'heavy', 'small']);
    expect(gate.status()).toEqual({ running: 4, queued: 0, units: 13 });
    for (const release of [light[1], light[2], heavyRelease, smallRelease]) release?.();
    expect(gate.status()).toEqual({ running: 0, queued: 0, units: 0 });
  });

  it('refuses with OVERLOADED when the queue is full, and admits again once it has room', async () => {
    const gate = createExecutionGate({ capacity: 1, queueMax: 1 });
    const release = await gate.acquire('a', 1);
    const queued = gate.acquire('a', 1);
    const refusal = await gate.acquire('b', 1).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(GateRefused);
    expect(refusal).toMatchObject({ code: 'OVERLOADED', message: 'The directory service is busy with other requests; try again shortly.' });
    release();
    const next = await queued;
    const later = gate.acquire('b', 1);
    expect(gate.status()).toEqual({ running: 1, queued: 1, units: 1 });
    next();
    (await later)();
    expect(gate.status()).toEqual({ running: 0, queued: 0, units: 0 });
  });

  it("refuses a waiter whose request is aborted with the abort's code, and leaves the queue as if it never came", async () => {
    const gate = createExecutionGate({ capacity: 1, queueMax: 5 });
    const granted: string[] = [];
    const release = await track(gate, granted, 'a', 'a1');
    const controller = new AbortController();
    const aborted = track(gate, granted, 'b', 'b1', controller.signal);
    const after = track(gate, granted, 'c', 'c1');
    controller.abort(new RequestAborted(ErrorCode.DEADLINE_EXCEEDED, 'The request ran past its 5 ms deadline.', { limit: 5 }));
    await expect(aborted).rejects.toMatchObject({ code: 'DEADLINE_EXCEEDED', message: 'The request ran past its 5 ms deadline.', extensions: { limit: 5 } });
    expect(gate.status()).toEqual({ running: 1, queued: 1, units: 1 });
    release();
    (await after)();
    expect(granted).toEqual(['a1', 'c1']);
    // Already aborted: refused at once, never queued.
    await expect(gate.acquire('d', 1, controller.signal)).rejects.toMatchObject({ code: 'DEADLINE_EXCEEDED' });
    expect(gate.status()).toEqual({ running: 0, queued: 0, units: 0 });
  });
});
