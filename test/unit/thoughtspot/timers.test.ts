import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createCallSignal, DeadlineExceeded, onAbort } from '../../../src/thoughtspot/timers.js';
import { virtualClock } from './virtual-clock.js';

describe('createCallSignal', () => {
  it('aborts with DeadlineExceeded when the deadline passes on its clock', async () => {
    const clock = virtualClock(0);
    const call = createCallSignal(300, [], clock);
    await clock.advance(299);
    expect(call.signal.aborted).toBe(false);
    expect(call.remainingMs()).toBe(1);
    await clock.advance(1);
    expect(call.signal.reason).toBeInstanceOf(DeadlineExceeded);
    expect(call.elapsedMs()).toBe(300);
  });

  it('aborts with the reason of whichever caller signal fires first', () => {
    const clock = virtualClock(0);
    const perCall = new AbortController();
    const ambient = new AbortController();
    const call = createCallSignal(1_000, [perCall.signal, ambient.signal], clock);
    ambient.abort('the request ran past its deadline');
    perCall.abort('too late to matter');
    expect(call.signal.reason).toBe('the request ran past its deadline');
    call.dispose();
  });

  it('takes the first already-aborted signal in the order given', () => {
    const first = new AbortController();
    const second = new AbortController();
    second.abort('second');
    first.abort('first');
    expect(createCallSignal(1_000, [first.signal, second.signal], virtualClock(0)).signal.reason).toBe('first');
  });

  it('cancels its deadline timer and stops listening when disposed', async () => {
    const clock = virtualClock(0);
    const caller = new AbortController();
    const call = createCallSignal(300, [undefined, caller.signal], clock);
    call.dispose();
    expect(clock.pending).toBe(0);
    caller.abort('after the call settled');
    await clock.advance(1_000);
    expect(call.signal.aborted).toBe(false);
  });
});

describe('onAbort', () => {
  it('adds one listener to a signal however many calls it bounds, and removes it when the last leaves', () => {
    const request = new AbortController();
    const calls = Array.from({ length: 100 }, () => createCallSignal(1_000, [request.signal], virtualClock(0)));
    expect(getEventListeners(request.signal, 'abort')).toHaveLength(1);
    for (const call of calls.slice(1)) call.dispose();
    expect(getEventListeners(request.signal, 'abort')).toHaveLength(1);
    calls[0]?.dispose();
    expect(getEventListeners(request.signal, 'abort')).toHaveLength(0);
  });

  it('calls every subscriber once when the signal aborts, and none that unsubscribed', () => {
    const controller = new AbortController();
    const called: string[] = [];
    onAbort(controller.signal, () => called.push('a'));
    const unsubscribe = onAbort(controller.signal, () => called.push('b'));
    onAbort(controller.signal, () => called.push('c'));
    unsubscribe();
    controller.abort();
    expect(called).toEqual(['a', 'c']);
    expect(onAbort(controller.signal, () => called.push('late'))).toBeTypeOf('function');
    expect(called).toEqual(['a', 'c']);
  });
});
