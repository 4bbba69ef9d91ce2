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

  it('rejects a capacity below one', () => {
    expect(() => new Semaphore(0)).toThrow('capacity must be a positive integer, but got: 0');
  });
});
