import { describe, expect, it } from 'vitest';
import {
  THOUGHTSPOT_ERROR_CODES,
  ThoughtSpotAbortedError,
  ThoughtSpotOverloadedError,
  isThoughtSpotError,
} from '../../../src/thoughtspot/index.js';

const details = { endpoint: 'POST /api/rest/2.0/users/search', orgId: 0, attempts: 0 };

describe('ThoughtSpotOverloadedError', () => {
  it('is a member of the closed family with its own code, never retryable', () => {
    const error = new ThoughtSpotOverloadedError('queued too long', { ...details, queue: 'rate-limit', waitedMs: 1_500 });
    expect(THOUGHTSPOT_ERROR_CODES).toContain('TS_ERR_OVERLOADED');
    expect(isThoughtSpotError(error)).toBe(true);
    expect(error).toMatchObject({ name: 'ThoughtSpotOverloadedError', code: 'TS_ERR_OVERLOADED', retryable: false, queue: 'rate-limit', waitedMs: 1_500 });
    expect(error.status).toBeUndefined();
  });
});

describe('ThoughtSpotAbortedError', () => {
  it('keeps the abort reason by identity, so the caller can recognise its own', () => {
    class BudgetSpent extends Error {}
    const reason = new BudgetSpent('the request made its 500 upstream calls');
    const error = new ThoughtSpotAbortedError('aborted', { ...details, reason });
    expect(error.reason).toBe(reason);
    expect(new ThoughtSpotAbortedError('closed', details).reason).toBeUndefined();
  });
});
