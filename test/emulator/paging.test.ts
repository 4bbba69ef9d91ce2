import { beforeAll, describe, expect, it } from 'vitest';
import { NAME_PATTERN_MAX_LENGTH } from '../../src/name-pattern.js';
import { orgNamed } from './support/demo.js';
import { names, readVendorError, rows } from './support/http.js';
import { useEmulator } from './support/start.js';

const t = useEmulator({ isolation: 'shared' });
let token: string;
let all: string[];

beforeAll(async () => {
  token = await t.api.login('tsadmin', 'admin', orgNamed(t.emulator, 'Alderbrook-Foods').id);
  all = names(rows(await t.api.post('/users/search', { record_size: -1 }, token)));
});

describe('users/search paging', () => {
  it('answers 10 rows by default, sorted by name ascending (Q19)', async () => {
    const page = names(rows(await t.api.post('/users/search', {}, token)));
    expect(page).toEqual(all.slice(0, 10));
    expect([...all].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1))).toEqual(all);
  });

  it('walks the whole Org with offset/size, ending in a short page and then []', async () => {
    const seen: string[] = [];
    let offset = 0;
    let last: string[] = [];
    for (;;) {
      last = names(rows(await t.api.post('/users/search', { record_offset: offset, record_size: 25 }, token)));
      if (last.length === 0) break;
      seen.push(...last);
      offset += 25;
      if (last.length < 25) break;
    }
    expect(seen).toEqual(all);
    expect(all.length % 25).not.toBe(0);
    expect(rows(await t.api.post('/users/search', { record_offset: all.length, record_size: 25 }, token))).toEqual([]);
    expect(rows(await t.api.post('/users/search', { record_offset: all.length + 1000 }, token))).toEqual([]);
  });

  it('answers everything from the offset with record_size -1', async () => {
    expect(names(rows(await t.api.post('/users/search', { record_offset: 5, record_size: -1 }, token)))).toEqual(all.slice(5));
  });

  it('refuses record_size 0 and other negatives, and sizes above maxRecordSize (Q5)', async () => {
    for (const record_size of [0, -2]) {
      const result = await t.api.post('/users/search', { record_size }, token);
      expect(result.status).toBe(400);
      expect(readVendorError(result).code).toBe(10002);
    }
    expect((await t.api.post('/users/search', { record_offset: -1 }, token)).status).toBe(400);
    t.emulator.setFidelity({ maxRecordSize: 50 });
    try {
      expect((await t.api.post('/users/search', { record_size: 51 }, token)).status).toBe(400);
      expect(rows(await t.api.post('/users/search', { record_size: 50 }, token))).toHaveLength(50);
      expect((await t.api.post('/users/search', { record_size: -1 }, token)).status).toBe(200);
    } finally {
      t.emulator.reset();
    }
  });

  it('sorts by one key in either order with a stable tiebreak', async () => {
    const desc = names(rows(await t.api.post('/users/search', { record_size: -1, sort_options: { field_name: 'NAME', order: 'DESC' } }, token)));
    expect(desc).toEqual([...all].reverse());
    const byCreated = rows(await t.api.post('/users/search', { record_size: -1, sort_options: { field_name: 'CREATED', order: 'ASC' } }, token));
    const created = byCreated.map((u) => u['creation_time_in_millis'] as number);
    expect([...created].sort((a, b) => a - b)).toEqual(created);
    const again = rows(await t.api.post('/users/search', { record_size: -1, sort_options: { field_name: 'CREATED', order: 'ASC' } }, token));
    expect(names(again)).toEqual(names(byCreated));
    const byDisplay = rows(await t.api.post('/users/search', { record_size: -1, sort_options: { field_name: 'DISPLAY_NAME' } }, token));
    const displays = byDisplay.map((u) => String(u['display_name']).toLowerCase());
    expect([...displays].sort()).toEqual(displays);
  });

  it('matches name_pattern case-insensitively with % as the only wildcard', async () => {
    const first = all[0] as string;
    const prefix = first.slice(0, 3);
    const matched = names(rows(await t.api.post('/users/search', { name_pattern: `${prefix.toUpperCase()}%`, record_size: -1 }, token)));
    expect(matched).toEqual(all.filter((n) => n.startsWith(prefix)));
    expect(names(rows(await t.api.post('/users/search', { name_pattern: prefix }, token)))).toEqual(all.includes(prefix) ? [prefix] : []);
    expect(names(rows(await t.api.post('/users/search', { name_pattern: first.toUpperCase() }, token)))).toEqual([first]);
  });

  it('ORs values inside an array filter and ANDs separate filters', async () => {
    const analysts = names(rows(await t.api.post('/users/search', { group_identifiers: ['Analysts'], record_size: -1 }, token)));
    const finance = names(rows(await t.api.post('/users/search', { group_identifiers: ['Finance'], record_size: -1 }, token)));
    const either = names(rows(await t.api.post('/users/search', { group_identifiers: ['Analysts', 'Finance'], record_size: -1 }, token)));
    expect(either).toEqual(all.filter((n) => analysts.includes(n) || finance.includes(n)));
    const activeAnalysts = names(
      rows(await t.api.post('/users/search', { group_identifiers: ['Analysts'], account_status: 'ACTIVE', record_size: -1 }, token)),
    );
    const active = names(rows(await t.api.post('/users/search', { account_status: 'ACTIVE', record_size: -1 }, token)));
    expect(activeAnalysts).toEqual(analysts.filter((n) => active.includes(n)));
    expect(activeAnalysts.length).toBeLessThan(analysts.length + 1);
  });
});

describe('groups/search paging', () => {
  it('pages groups the same way', async () => {
    const groups = names(rows(await t.api.post('/groups/search', { record_size: -1, include_users: false }, token)));
    expect(groups.length).toBeGreaterThan(5);
    expect(names(rows(await t.api.post('/groups/search', { record_size: 4 }, token)))).toEqual(groups.slice(0, 4));
    expect(names(rows(await t.api.post('/groups/search', { record_offset: 4, record_size: 4 }, token)))).toEqual(groups.slice(4, 8));
    expect(rows(await t.api.post('/groups/search', { record_offset: groups.length }, token))).toEqual([]);
    expect((await t.api.post('/groups/search', { record_size: 0 }, token)).status).toBe(400);
  });
});

describe('name_pattern limits', () => {
  it.each(['/users/search', '/groups/search'])('%s refuses a pattern longer than 255 characters with 400 naming the limit', async (path) => {
    const result = await t.api.post(path, { name_pattern: '%'.repeat(NAME_PATTERN_MAX_LENGTH) + 'x' }, token);
    expect(result.status).toBe(400);
    const error = readVendorError(result);
    expect(error.code).toBe(10002);
    expect(error.messages).toEqual(['name_pattern must be at most 255 characters long, but got: 256 characters.']);
    const huge = await t.api.post(path, { name_pattern: 'a'.repeat(100_000) }, token);
    expect(huge.status).toBe(400);
    expect(readVendorError(huge).messages).toEqual([
      'name_pattern must be at most 255 characters long, but got: 100000 characters.',
    ]);
  });

  it('accepts a pattern of exactly 255 characters', async () => {
    const first = all[0] as string;
    const pattern = '%'.repeat(NAME_PATTERN_MAX_LENGTH - first.length) + first.toUpperCase();
    expect(pattern).toHaveLength(NAME_PATTERN_MAX_LENGTH);
    expect(names(rows(await t.api.post('/users/search', { name_pattern: pattern, record_size: -1 }, token)))).toEqual(
      all.filter((n) => n.toLowerCase().endsWith(first.toLowerCase())),
    );
  });

  it('answers a pattern that makes a backtracking matcher explode, with the right rows', async () => {
    // 16 wildcards then a literal froze the event loop when patterns were regular expressions (".*" x 16 + "x").
    const suffix = (all[0] as string).slice(-1);
    const catastrophic = '%'.repeat(16) + suffix.toUpperCase();
    const matched = names(rows(await t.api.post('/users/search', { name_pattern: catastrophic, record_size: -1 }, token)));
    expect(matched).toEqual(all.filter((n) => n.toLowerCase().endsWith(suffix.toLowerCase())));
    expect(matched.length).toBeGreaterThan(0);
    const interleaved = '%a'.repeat(100) + '%';
    const withManyAs = names(rows(await t.api.post('/users/search', { name_pattern: interleaved, record_size: -1 }, token)));
    expect(withManyAs).toEqual([]);
  });
});
