import { describe, expect, it } from 'vitest';
import { Semaphore } from '../../../src/thoughtspot/semaphore.js';

describe('Semaphore', () => {
  it('grants up to capacity at once and queues the rest in order', async () => {
    const semaphore = new Semaphore(2);
    const never = new AbortController().signal;
    const first = await semaphore.acquire(never);
    await semaphore.acquire(never);
    const order: string[] = [];
    const third = semaphore.acquire(never).then((release) => (order.push('third'), release));
    const fourth = semaphore.acquire(never).then((release) => (order.push('fourth'), release));
    expect(semaphore.queued).toBe(2);
    first();
    (await third)();
    await fourth;
    expect(order).toEqual(['third', 'fourth']);
  });

  it('ignores a second release of the same slot', async () => {
    const semaphore = new Semaphore(1);
    const never = new AbortController().signal;
    const release = await semaphore.acquire(never);
    release();
    release();
    await semaphore.acquire(never);
    const controller = new AbortController();
    const waiting = semaphore.acquire(controller.signal);
    controller.abort(new Error('gave up'));
    await expect(waiting).rejects.toThrow('gave up');
  });

  it('drops an aborted waiter from the queue', async () => {
    const semaphore = new Semaphore(1);
    const never = new AbortController().signal;
    const release = await semaphore.acquire(never);
    const controller = new AbortController();
    const aborted = semaphore.acquire(controller.signal);
    const next = semaphore.acquire(never);
    controller.abort(new Error('deadline'));
    await expect(aborted).rejects.toThrow('deadline');
    expect(semaphore.queued).toBe(1);
    release();
    await expect(next).resolves.toBeTypeOf('function');
  });

  it('passes freed slots round-robin between flows: a 1-call flow behind a 50-call flow gets the next slot but one', async () => {
    const semaphore = new Semaphore(2);
    const never = new AbortController().signal;
    const a = { name: 'request A' };
    const b = { name: 'request B' };
    const held = [await semaphore.acquire(never, a), await semaphore.acquire(never, a)];
    const order: string[] = [];
    const grants = Array.from({ length: 50 }, (_, index) =>
      semaphore.acquire(never, a).then((release) => {
        order.push(`A${index + 3}`);
        held.push(release);
      }),
    );
    grants.push(
      semaphore.acquire(never, b).then((release) => {
        order.push('B1');
        held.push(release);
      }),
    );
    expect(semaphore.queued).toBe(51);
    // Free slots one at a time, letting each grant land before the next release.
    while (order.length < 51) {
      held.shift()?.();
      await Promise.resolve();
      await Promise.resolve();
    }
    await Promise.all(grants);
    expect(order.indexOf('B1')).toBe(1);
    expect(order.filter((label) => label !== 'B1')).toEqual(Array.from({ length: 50 }, (_, index) => `A${index + 3}`));
  });

  it('removes an aborted waiter from its flow without disturbing the rotation', async () => {
    const semaphore = new Semaphore(1);
    const never = new AbortController().signal;
    const release = await semaphore.acquire(never);
    const a = {};
    const b = {};
    const controller = new AbortController();
    const order: string[] = [];
    const a1 = semaphore.acquire(controller.signal, a).then(() => order.push('A1'));
    const a2 = semaphore.acquire(never, a).then((next) => (order.push('A2'), next));
    const b1 = semaphore.acquire(never, b).then((next) => (order.push('B1'), next));
    controller.abort(new Error('request A gave up on this call'));
    await expect(a1).rejects.toThrow('request A gave up on this call');
    expect(semaphore.queued).toBe(2);
    release();
    (await a2)();
    await b1;
    expect(order).toEqual(['A2', 'B1']);
  });

  it('rejects a capacity below one', () => {
    expect(() => new Semaphore(0)).toThrow('capacity must be a positive integer, but got: 0');
  });
});
