// Internal to src/store: the audit log, in the SQL both backends share (sql.ts).
//
// Reads are keyset-paged on (at, id), newest first, never by OFFSET: an OFFSET page shifts when events are appended
// while someone pages (and they are, all the time), repeating or skipping rows, and costs a scan of every row
// before the page. A keyset cursor names the last row seen, so the next page starts strictly after it whatever was
// appended meanwhile, and the (at, id) indexes find that spot directly. The id breaks ties between events of the
// same millisecond, so the order is total and no tie can be split across two pages.
//
// A cursor is the unpadded base64url encoding of `a1:<at ms>:<id>:<filter tag>`. The tag is a short hash of the
// filter the cursor was issued under; a cursor replayed under another filter would point at a meaningless spot, so
// it is rejected instead (the same binding relay/cursor.ts gives offset cursors). Cursors are opaque, not secret:
// forging one reaches nothing a caller could not page to.

import { createHash, randomUUID } from 'node:crypto';
import { StoreValidationError, echo } from './errors.js';
import * as sql from './sql.js';
import type { AuditEvent, AuditFilter, AuditOutcome, AuditStore, Page } from './types.js';
import * as check from './validate.js';

const AUDIT_OUTCOMES: readonly AuditOutcome[] = ['SUCCESS', 'FAILURE', 'DENIED'];

const CURSOR_VERSION = 'a1';
const TAG_LENGTH = 12;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const MILLIS = /^(0|[1-9][0-9]{0,15})$/;
const EVENT_ID = /^[0-9a-f-]{36}$/;
/** Real cursors are about 110 characters; anything much longer is refused before it is decoded. */
const MAX_CURSOR_LENGTH = 200;

/** The audit area over `db`, stamping events with `now` when the caller gives no time. */
export function createAuditStore(db: sql.SqlExecutor, now: sql.Clock): AuditStore {
  return {
    async append(event) {
      const target = event.target;
      const org = event.organization;
      const insert = sql.insertStatement('audit_events', {
        id: randomUUID(),
        at: sql.toMillis(event.at === undefined ? now() : check.date('at', event.at)),
        actor: check.text('actor', event.actor),
        operation: check.text('operation', event.operation),
        target_type: check.text('target.type', target?.type),
        target_id: check.optionalText('target.id', target?.id),
        input: check.jsonText('input', event.input),
        connection_id: check.optionalText('connectionId', event.connectionId),
        organization_id: org === null || org.id === null ? null : check.orgId('organization.id', org.id),
        organization_name: org === null ? null : check.text('organization.name', org.name),
        outcome: check.oneOf('outcome', event.outcome, AUDIT_OUTCOMES),
        error_code: check.optionalText('errorCode', event.errorCode),
        request_id: check.optionalText('requestId', event.requestId),
      });
      const rows = await db.query(`${insert.sql} RETURNING *`, insert.params);
      return toAuditEvent(rows[0] as sql.Row);
    },

    async list(filter, page = {}) {
      const size = check.pageSize('first', page.first);
      const params = new sql.Params();
      // The conditions first: they validate the filter that the tag then hashes.
      const conditions = filterConditions(filter, params);
      const tag = filterTag(filter);
      if (page.after !== undefined && page.after !== null) {
        const position = decodeCursor(page.after, tag);
        const at = params.add(position.at);
        conditions.push(`(at < ${at} OR (at = ${at} AND id < ${params.add(position.id)}))`);
      }
      // One row more than the page, to learn whether there is a next page without counting.
      const limit = params.add(size + 1);
      const rows = await db.query(
        `SELECT * FROM audit_events${sql.where(conditions)} ORDER BY at DESC, id DESC LIMIT ${limit}`,
        params.values,
      );
      const edges = rows.slice(0, size).map((row) => {
        const node = toAuditEvent(row);
        return { cursor: encodeCursor(node, tag), node };
      });
      return {
        edges,
        pageInfo: { hasNextPage: rows.length > size, endCursor: edges.at(-1)?.cursor ?? null },
      } satisfies Page<AuditEvent>;
    },
  };
}

// Private: the WHERE conditions of a filter, each binding its value through `params`.
function filterConditions(filter: AuditFilter, params: sql.Params): string[] {
  const where: string[] = [];
  const equals = (column: string, field: string, value: string | undefined): void => {
    if (value !== undefined) where.push(`${column} = ${params.add(check.text(field, value))}`);
  };
  equals('actor', 'actor', filter.actor);
  equals('operation', 'operation', filter.operation);
  equals('connection_id', 'connectionId', filter.connectionId);
  if (filter.outcome !== undefined) where.push(`outcome = ${params.add(check.oneOf('outcome', filter.outcome, AUDIT_OUTCOMES))}`);
  const orgs = filter.organizationName;
  if (typeof orgs === 'string') {
    equals('organization_name', 'organizationName', orgs);
  } else if (orgs !== undefined) {
    // An empty list matches nothing: a caller allowed no Organization sees no event.
    where.push(
      orgs.length === 0
        ? '1 = 0'
        : `organization_name IN (${orgs.map((name) => params.add(check.text('organizationName', name))).join(', ')})`,
    );
  }
  if (filter.since !== undefined) where.push(`at >= ${params.add(sql.toMillis(check.date('since', filter.since)))}`);
  if (filter.until !== undefined) where.push(`at < ${params.add(sql.toMillis(check.date('until', filter.until)))}`);
  return where;
}

// Private: the tag binding cursors to a filter. Absent filters and the order of Organization names do not matter.
function filterTag(filter: AuditFilter): string {
  const orgs = filter.organizationName;
  const canonical = JSON.stringify([
    filter.actor ?? null,
    filter.operation ?? null,
    filter.connectionId ?? null,
    typeof orgs === 'string' ? [orgs] : orgs === undefined ? null : [...orgs].sort(),
    filter.outcome ?? null,
    filter.since?.getTime() ?? null,
    filter.until?.getTime() ?? null,
  ]);
  return createHash('sha256').update(canonical).digest('base64url').slice(0, TAG_LENGTH);
}

// Private: the cursor of `event` in the list tagged `tag`.
function encodeCursor(event: AuditEvent, tag: string): string {
  return Buffer.from(`${CURSOR_VERSION}:${event.at.getTime()}:${event.id}:${tag}`, 'utf8').toString('base64url');
}

// Private: the position a cursor names. Accepts exactly what encodeCursor produces: decoding base64url is lenient
// (padding, stray characters), so the cursor must re-encode to itself.
function decodeCursor(cursor: string, tag: string): { at: number; id: string } {
  const malformed = (): StoreValidationError =>
    new StoreValidationError('after', `after must be a cursor returned by this list, but got: ${echo(cursor)}.`);
  if (typeof cursor !== 'string' || cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH || !BASE64URL.test(cursor)) throw malformed();
  const bytes = Buffer.from(cursor, 'base64url');
  if (bytes.toString('base64url') !== cursor) throw malformed();
  const [version, at, id, cursorTag, ...rest] = bytes.toString('utf8').split(':');
  const wellFormed = version === CURSOR_VERSION && at !== undefined && MILLIS.test(at) && id !== undefined && EVENT_ID.test(id);
  if (!wellFormed || cursorTag === undefined || rest.length > 0) throw malformed();
  if (cursorTag !== tag) {
    throw new StoreValidationError('after', 'after is a cursor from this list under another filter; start again without after.');
  }
  return { at: Number(at), id };
}

// Private: an `audit_events` row as a record.
function toAuditEvent(row: sql.Row): AuditEvent {
  const read = sql.columns(row);
  return {
    id: read.text('id'),
    at: read.timestamp('at'),
    actor: read.text('actor'),
    operation: read.text('operation'),
    target: { type: read.text('target_type'), id: read.nullableText('target_id') },
    input: read.json('input'),
    connectionId: read.nullableText('connection_id'),
    organization: read.organization(),
    outcome: read.text('outcome') as AuditOutcome,
    errorCode: read.nullableText('error_code'),
    requestId: read.nullableText('request_id'),
  };
}
