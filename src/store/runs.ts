// Internal to src/store: provisioning runs, in the SQL both backends share (sql.ts).

import { randomUUID } from 'node:crypto';
import { StoreConflictError, StoreNotFoundError, echo } from './errors.js';
import * as sql from './sql.js';
import type { ProvisioningRun, RunStatus, RunStore } from './types.js';
import * as check from './validate.js';

const RUN_STATUSES: readonly RunStatus[] = ['RUNNING', 'SUCCEEDED', 'FAILED'];
/** Run ids are UUIDs the store generates; anything else cannot name a run. */
const RUN_ID = /^[0-9a-f-]{36}$/;

/** The runs area over `db`, stamping starts and finishes with `now`. */
export function createRunStore(db: sql.SqlExecutor, now: sql.Clock): RunStore {
  const get = (id: string): Promise<ProvisioningRun | null> => sql.findById(db, 'provisioning_runs', RUN_ID, id, toRun);

  return {
    get,

    async create(input) {
      const org = input.organization;
      const insert = sql.insertStatement('provisioning_runs', {
        id: randomUUID(),
        actor: check.text('actor', input.actor),
        connection_id: check.text('connectionId', input.connectionId),
        organization_id: org?.id === null || org?.id === undefined ? null : check.orgId('organization.id', org.id),
        organization_name: check.text('organization.name', org?.name),
        blueprint_fingerprint: check.text('blueprintFingerprint', input.blueprintFingerprint),
        status: 'RUNNING',
        changes: check.jsonText('changes', input.changes === undefined ? [] : input.changes),
        started_at: sql.toMillis(input.startedAt === undefined ? now() : check.date('startedAt', input.startedAt)),
        finished_at: null,
      });
      const rows = await db.query(`${insert.sql} RETURNING *`, insert.params);
      return toRun(rows[0] as sql.Row);
    },

    async update(id, patch) {
      const params = new sql.Params();
      const sets: string[] = [];
      if (patch.status !== undefined) {
        const status = check.oneOf('status', patch.status, RUN_STATUSES);
        sets.push(`status = ${params.add(status)}`);
        if (status !== 'RUNNING') sets.push(`finished_at = ${params.add(sql.toMillis(now()))}`);
      }
      if (patch.changes !== undefined) sets.push(`changes = ${params.add(check.jsonText('changes', patch.changes))}`);
      if (patch.organizationId !== undefined) {
        sets.push(`organization_id = ${params.add(check.orgId('organizationId', patch.organizationId))}`);
      }
      const row =
        sets.length === 0 || typeof id !== 'string' || !RUN_ID.test(id)
          ? null
          : sql.first(
              await db.query(
                `UPDATE provisioning_runs SET ${sets.join(', ')} WHERE id = ${params.add(id)} AND status = 'RUNNING' RETURNING *`,
                params.values,
              ),
            );
      if (row !== null) return toRun(row);
      // Nothing was written: the run is missing, already finished, or the patch was empty. One read tells which.
      const current = await get(id);
      if (current === null) throw new StoreNotFoundError('ProvisioningRun', String(id));
      if (current.status !== 'RUNNING') {
        throw new StoreConflictError(
          'ProvisioningRun',
          current.id,
          `ProvisioningRun ${echo(current.id)} has already finished (${current.status}) and cannot change.`,
        );
      }
      return current;
    },

    async listRecent(filter = {}) {
      const params = new sql.Params();
      const conditions: string[] = [];
      if (filter.organizationName !== undefined) {
        conditions.push(`organization_name = ${params.add(check.text('organizationName', filter.organizationName))}`);
      }
      if (filter.connectionId !== undefined) {
        conditions.push(`connection_id = ${params.add(check.text('connectionId', filter.connectionId))}`);
      }
      const limit = params.add(check.pageSize('limit', filter.limit));
      const rows = await db.query(
        `SELECT * FROM provisioning_runs${sql.where(conditions)} ORDER BY started_at DESC, id DESC LIMIT ${limit}`,
        params.values,
      );
      return rows.map(toRun);
    },
  };
}

// Private: a `provisioning_runs` row as a record.
function toRun(row: sql.Row): ProvisioningRun {
  const read = sql.columns(row);
  return {
    id: read.text('id'),
    actor: read.text('actor'),
    connectionId: read.text('connection_id'),
    organization: { id: read.nullableInteger('organization_id'), name: read.text('organization_name') },
    blueprintFingerprint: read.text('blueprint_fingerprint'),
    status: read.text('status') as RunStatus,
    changes: read.json('changes'),
    startedAt: read.timestamp('started_at'),
    finishedAt: read.nullableTimestamp('finished_at'),
  };
}
