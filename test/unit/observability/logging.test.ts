import { describe, expect, it } from 'vitest';
import { createRequestScope, requestScope } from '../../../src/context.js';
import { createPinoLogger, LOG_REDACTED, MAX_LOG_STRING_LENGTH } from '../../../src/observability/index.js';
import type { LogLevel } from '../../../src/config.js';

function capture(level: LogLevel = 'debug'): { lines: string[]; logger: ReturnType<typeof createPinoLogger>; parsed: () => Record<string, unknown>[] } {
  const lines: string[] = [];
  const logger = createPinoLogger({ level, write: (line) => lines.push(line) });
  return { lines, logger, parsed: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('createPinoLogger', () => {
  it('writes one JSON object per line: level, ISO time, message, then the fields', () => {
    const { lines, logger } = capture();
    logger.info('embedded ThoughtSpot emulator started', { url: 'http://127.0.0.1:1234', seed: 'demo' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^\{"level":"info","time":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z","message":"embedded ThoughtSpot emulator started","url":"http:\/\/127\.0\.0\.1:1234","seed":"demo"\}$/,
    );
  });

  it('drops lines below its level, and writes nothing at silent', () => {
    const warn = capture('warn');
    warn.logger.debug('d');
    warn.logger.info('i');
    warn.logger.warn('w');
    warn.logger.error('e');
    expect(warn.parsed().map((line) => [line['level'], line['message']])).toEqual([
      ['warn', 'w'],
      ['error', 'e'],
    ]);
    const silent = capture('silent');
    silent.logger.error('e');
    expect(silent.lines).toEqual([]);
  });

  it('adds the request id of the request scope a line is written in, and none outside one', async () => {
    const { logger, parsed } = capture();
    logger.info('outside');
    await requestScope.run(createRequestScope('req-7'), async () => {
      await Promise.resolve();
      logger.info('inside, after an await');
    });
    logger.info('explicit', { requestId: 'given' });
    expect(parsed().map((line) => [line['message'], line['requestId']])).toEqual([
      ['outside', undefined],
      ['inside, after an await', 'req-7'],
      ['explicit', 'given'],
    ]);
  });

  it('lets a field named message replace the message, as the console logger always did', () => {
    const { logger, parsed } = capture();
    logger.error('http handler failed', { message: 'socket hang up' });
    expect(parsed()[0]).toMatchObject({ message: 'socket hang up' });
  });

  it('redacts credential-named fields at the top level and two objects down, and leaves look-alikes alone', () => {
    const { logger, parsed, lines } = capture();
    logger.warn('x', {
      authorization: 'Bearer a-secret',
      secretKey: 'k-secret',
      request: { headers: { authorization: 'Bearer b-secret', 'set-cookie': 'c-secret' }, password: 'p-secret' },
      input: { user: { newPassword: 'n-secret' } },
      token: 't-secret',
      tokenOrgIds: [0, 3],
      passwordPolicy: 'strong',
    });
    expect(parsed()[0]).toMatchObject({
      authorization: LOG_REDACTED,
      secretKey: LOG_REDACTED,
      request: { headers: { authorization: LOG_REDACTED, 'set-cookie': LOG_REDACTED }, password: LOG_REDACTED },
      input: { user: { newPassword: LOG_REDACTED } },
      token: LOG_REDACTED,
      tokenOrgIds: [0, 3],
      passwordPolicy: 'strong',
    });
    expect(lines[0]).not.toMatch(/-secret/);
  });

  it('cuts every string to the bound, in nested fields too, without changing what it was given', () => {
    const { logger, parsed } = capture();
    const long = 'q'.repeat(MAX_LOG_STRING_LENGTH + 10);
    const fields = { query: long, nested: { variables: [long] }, short: 'ok' };
    logger.info(long, fields);
    const cut = `${'q'.repeat(MAX_LOG_STRING_LENGTH)}…[10 more characters]`;
    expect(parsed()[0]).toMatchObject({ message: cut, query: cut, nested: { variables: [cut] }, short: 'ok' });
    expect(fields.query).toBe(long);
  });
});
