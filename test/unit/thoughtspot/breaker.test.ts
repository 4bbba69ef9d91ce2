import { describe, expect, it } from 'vitest';
import { CircuitBreaker, type BreakerState } from '../../../src/thoughtspot/breaker.js';

function setup(threshold = 3, cooldownMs = 1_000) {
  let time = 0;
  const transitions: string[] = [];
  const breaker = new CircuitBreaker(threshold, cooldownMs, () => time, (from: BreakerState, to: BreakerState) => {
    transitions.push(`${from}->${to}`);
  });
  return { breaker, transitions, advance: (ms: number) => (time += ms) };
}

function fail(breaker: CircuitBreaker, times: number): void {
  for (let index = 0; index < times; index += 1) {
    const admission = breaker.admit();
    if (!admission.allowed) throw new Error('refused');
    breaker.record('failure', admission.probe);
  }
}

describe('CircuitBreaker', () => {
  it('stays closed below the failure threshold', () => {
    const { breaker } = setup();
    fail(breaker, 2);
    expect(breaker.state).toBe('closed');
    expect(breaker.admit()).toEqual({ allowed: true, probe: false });
  });

  it('opens after threshold consecutive failures and refuses with the remaining cooldown', () => {
    const { breaker, transitions, advance } = setup();
    fail(breaker, 3);
    expect(breaker.state).toBe('open');
    advance(400);
    expect(breaker.admit()).toEqual({ allowed: false, retryAfterMs: 600 });
    expect(transitions).toEqual(['closed->open']);
  });

  it('resets the count on any success', () => {
    const { breaker } = setup();
    fail(breaker, 2);
    breaker.record('success', false);
    fail(breaker, 2);
    expect(breaker.state).toBe('closed');
  });

  it('lets exactly one probe through after the cooldown', () => {
    const { breaker, advance } = setup();
    fail(breaker, 3);
    advance(1_000);
    expect(breaker.state).toBe('half-open');
    expect(breaker.admit()).toEqual({ allowed: true, probe: true });
    expect(breaker.admit().allowed).toBe(false);
  });

  it('closes when the probe succeeds', () => {
    const { breaker, transitions, advance } = setup();
    fail(breaker, 3);
    advance(1_000);
    const probe = breaker.admit();
    breaker.record('success', probe.allowed && probe.probe);
    expect(breaker.state).toBe('closed');
    expect(transitions).toEqual(['closed->open', 'open->half-open', 'half-open->closed']);
  });

  it('re-opens for a full cooldown when the probe fails', () => {
    const { breaker, advance } = setup();
    fail(breaker, 3);
    advance(1_000);
    const probe = breaker.admit();
    breaker.record('failure', probe.allowed && probe.probe);
    expect(breaker.state).toBe('open');
    expect(breaker.admit()).toEqual({ allowed: false, retryAfterMs: 1_000 });
  });

  it('frees the probe slot when the probe ends without a verdict', () => {
    const { breaker, advance } = setup();
    fail(breaker, 3);
    advance(1_000);
    const probe = breaker.admit();
    breaker.record('neutral', probe.allowed && probe.probe);
    expect(breaker.admit()).toEqual({ allowed: true, probe: true });
  });

  it('restarts the cooldown when late failures arrive while open', () => {
    const { breaker, advance } = setup();
    const early = [breaker.admit(), breaker.admit(), breaker.admit(), breaker.admit()];
    for (const admission of early.slice(0, 3)) breaker.record('failure', admission.allowed && admission.probe);
    advance(800);
    breaker.record('failure', false);
    advance(300);
    expect(breaker.state).toBe('open');
  });

  it('rejects nonsensical settings', () => {
    expect(() => new CircuitBreaker(0, 1, () => 0)).toThrow('failureThreshold must be a positive integer, but got: 0');
    expect(() => new CircuitBreaker(1, -5, () => 0)).toThrow('cooldownMs must be a non-negative number, but got: -5');
  });
});
