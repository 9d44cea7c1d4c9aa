/**
 * Uploads cannot change what a system of record reports (issue 17): an officer's template rows for a
 * commune the one-stop-shop system already reports are refused in words, row by row; uploads name
 * who sent them; and an installation can hold uploads for an administrator's approval ("chờ duyệt").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, today } from '../../src/lib/domain/periods.ts';
import {
  approveUpload, handleUpload, listUploads, rejectUpload, setUploadsRequireApproval, uploadsRequireApproval
} from '../../src/lib/server/uploads.ts';
import { readRawSamples } from '../../src/lib/server/drilldown.ts';
import type { Principal } from '../../src/lib/server/auth/principal.ts';
import { pollSource } from '#server/pipeline/poll';
import { createUserIfMissing } from '#server/seed/users';
import { freshDatabase } from '../support/db.ts';
import { demoWorld } from '../support/fixtures.ts';

type Db = Awaited<ReturnType<typeof freshDatabase>>;

const METRICS = [
  'dossier.received', 'dossier.received_online', 'dossier.resolved', 'dossier.resolved_on_time', 'dossier.pending_on_time',
  'dossier.pending_overdue', 'dossier.digitized', 'dossier.with_fee', 'dossier.paid_online'
];
/** A filled template as CSV: one row per (unit, day), generous figures that would lift any rank. */
const csv = (rows: [string, string][]) =>
  new File([`unit_code,date,${METRICS.join(',')}\n${rows.map(([u, d]) => `${u},${d},100,90,95,95,5,0,100,50,50`).join('\n')}\n`], 'so-lieu.csv');

async function userPrincipal(db: Db, username: string, displayName: string, role: 'officer' | 'admin', unitCode?: string): Promise<Principal> {
  await createUserIfMissing(db.sql, { username, displayName, password: 'a long password', role, unitCode });
  const [u] = await db.sql<{ id: number }[]>`select id from users where username = ${username}`;
  return { kind: 'user', sessionId: 's', user: { id: u!.id, username, displayName, role, unitCode: unitCode ?? null, unitName: null } };
}

const uploadSamples = (db: Db, unitCode: string, day: string) => db.sql<{ metric: string; value: number }[]>`
  select m.key as metric, s.value from samples s join units u on u.id = s.unit_id join metrics m on m.id = s.metric_id
  join data_sources d on d.id = s.source_id
  where d.key = 'tai-len-hoso' and u.gso_code = ${unitCode} and s.day = ${day}`;

describe('uploads against the systems of record', () => {
  let db: Db;
  let world: Awaited<ReturnType<typeof demoWorld>>;
  let officer: Principal;
  let admin: Principal;
  const day = today();
  beforeAll(async () => {
    db = await freshDatabase();
    world = await demoWorld(db.sql);
    officer = await userPrincipal(db, 'officer-278', 'Cán bộ Thanh Oai', 'officer', '278');
    admin = await userPrincipal(db, 'admin-up', 'Quản trị', 'admin');
    // The one-stop-shop system has reported up to yesterday; today's poll has not run yet.
    const polled = await pollSource(db.sql, world.sources.motcua!, { secretKeyHex: world.secretKeyHex, window: { from: addDays(day, -3), to: addDays(day, -1) } });
    expect(polled.outcome).toBe('success');
  });
  afterAll(async () => {
    await world.simulator.close();
    await db.drop();
  });

  it('gives the systems of record a higher priority than the upload source in the demo seed', async () => {
    const rows = await db.sql<{ key: string; priority: number }[]>`select key, priority from data_sources order by key`;
    const of = Object.fromEntries(rows.map((r) => [r.key, r.priority]));
    for (const key of ['motcua', 'vneid', 'ansinh', 'qlvb']) expect(of[key], key).toBeGreaterThan(of['tai-len-hoso']!);
  });

  it("refuses an officer's rows for what the one-stop-shop system reports, in words, keeps the others, and leaves the ranks alone", async () => {
    const rankOf10114 = () => db.sql<{ rank: number | null; total: number | null }[]>`
      select r.rank, r.total from rankings r join units s on s.id = r.scope_unit_id join units u on u.id = r.unit_id
      where s.gso_code = '278' and u.gso_code = '10114' and r.scheme_key = 'operations' and r.period_kind = 'day' and r.period_start = ${addDays(day, -1)}`;
    const before = await rankOf10114();
    const answer = await handleUpload(db.sql, 'tai-len-hoso', csv([['10114', addDays(day, -1)], ['10114', day], ['10135', addDays(day, -60)]]), '278', { actor: officer, ip: '10.0.0.8' });
    // Yesterday: the system has that very day. Today: it reports this commune since 3 days ago, its poll just has not run.
    expect(answer).toMatchObject({ outcome: 'partial', approval: 'counted', accepted: 9, rejected: 2 });
    expect(answer.rejections).toEqual([
      { index: 1, reason: expect.stringMatching(/^Thị trấn Kim Bài \(10114\), ngày \d\d\/\d\d\/\d{4} — Hồ sơ tiếp nhận, Tiếp nhận trực tuyến và 7 chỉ số khác: đã có số liệu từ nguồn 'Hệ thống một cửa \(iGate\) — hồ sơ TTHC' \(ưu tiên cao hơn\)$/) },
      { index: 2, reason: expect.stringMatching(/^Thị trấn Kim Bài \(10114\), ngày .*\(ưu tiên cao hơn\), báo cho đơn vị này từ ngày \d\d\/\d\d\/\d{4}$/) }
    ]);
    expect(await uploadSamples(db, '10114', addDays(day, -1))).toEqual([]);
    expect(await uploadSamples(db, '10114', day)).toEqual([]);
    expect(await uploadSamples(db, '10135', addDays(day, -60))).toHaveLength(9);
    expect(await rankOf10114()).toEqual(before);
    // Who sent it: on the run, and in the audit log.
    const [run] = await db.sql<{ submitted_by: number; rejections: { reason: string }[] }[]>`select submitted_by, rejections from poll_runs where id = ${answer.pollRunId}`;
    expect(run!.submitted_by).toBe(officer.kind === 'user' && officer.user.id);
    expect(run!.rejections.map((r) => r.reason)).toEqual(answer.rejections.map((r) => r.reason));
    const [audit] = await db.sql<{ actor_name: string; entity_id: string; ip: string; after: Record<string, unknown> }[]>`
      select actor_name, entity_id, ip, after from audit_log where action = 'upload' order by id desc limit 1`;
    expect(audit).toMatchObject({ actor_name: 'officer-278', entity_id: 'tai-len-hoso', ip: '10.0.0.8', after: { outcome: 'partial', accepted: 9, rejected: 2, pollRunId: answer.pollRunId } });
    // And the drill-down's raw samples name them.
    const raw = await readRawSamples(db.sql, '10135', 'dossier.on_time', addDays(day, -60));
    expect(raw.polls).toEqual([expect.objectContaining({ id: answer.pollRunId, trigger: 'upload', submittedBy: 'Cán bộ Thanh Oai (officer-278)', approvedBy: null })]);
  });

  it('holds uploads for approval when the installation requires it: stored, not counted, until an administrator approves', async () => {
    expect(await uploadsRequireApproval(db.sql)).toBe(false);
    await setUploadsRequireApproval(db.sql, true, { actor: admin, ip: null });
    const heldDay = addDays(day, -45);
    const held = await handleUpload(db.sql, 'tai-len-hoso', csv([['10135', heldDay], ['10114', addDays(day, -2)]]), '278', { actor: officer, ip: null });
    expect(held).toMatchObject({ approval: 'pending', pollRunId: null, accepted: 9, rejected: 1, changed: 0, pendingUploadId: expect.any(Number) });
    const board = () => db.sql<{ numerator: number | null }[]>`
      select (r.indicators->'dossier.on_time'->>'denominator')::float8 as numerator from rankings r
      join units s on s.id = r.scope_unit_id join units u on u.id = r.unit_id
      where s.gso_code = '278' and u.gso_code = '10135' and r.scheme_key = 'operations' and r.period_kind = 'day' and r.period_start = ${heldDay}`;
    expect(await uploadSamples(db, '10135', heldDay)).toEqual([]);
    expect(await board()).toEqual([]);
    const [pending] = await listUploads(db.sql, 'pending');
    expect(pending).toMatchObject({
      id: held.pendingUploadId, sourceKey: 'tai-len-hoso', submittedBy: 'Cán bộ Thanh Oai (officer-278)', status: 'pending', accepted: 9, rejected: 1,
      units: [{ code: '10135', name: 'Xã Bình Minh' }], firstDay: heldDay, lastDay: heldDay
    });

    const approved = await approveUpload(db.sql, held.pendingUploadId!, { actor: admin, ip: '10.0.0.1' });
    expect(approved).toMatchObject({ ok: true, outcome: { outcome: 'partial', accepted: 9, changed: 9 } });
    expect(await uploadSamples(db, '10135', heldDay)).toHaveLength(9);
    expect(await board()).toEqual([{ numerator: 100 }]); // the day's board, recomputed by the approval
    const runId = approved.ok ? approved.outcome!.pollRunId : null;
    const [run] = await db.sql<{ submitted: string; approved: string }[]>`
      select s.username as submitted, a.username as approved from poll_runs r join users s on s.id = r.submitted_by join users a on a.id = r.approved_by where r.id = ${runId}`;
    expect(run).toEqual({ submitted: 'officer-278', approved: 'admin-up' });
    const raw = await readRawSamples(db.sql, '10135', 'dossier.on_time', heldDay);
    expect(raw.polls[0]).toMatchObject({ id: runId, submittedBy: 'Cán bộ Thanh Oai (officer-278)', approvedBy: 'Quản trị (admin-up)' });
    // Once only.
    expect(await approveUpload(db.sql, held.pendingUploadId!, { actor: admin, ip: null })).toEqual({ ok: false, status: 409, message: expect.stringMatching(/đã được duyệt/) });
    expect(await listUploads(db.sql, 'pending')).toEqual([]);
  });

  it('checks the priorities again at approval, and a rejected upload never counts', async () => {
    const laterDay = addDays(day, -44);
    const held = await handleUpload(db.sql, 'tai-len-hoso', csv([['10135', laterDay]]), '278', { actor: officer, ip: null });
    expect(held).toMatchObject({ approval: 'pending', accepted: 9, rejected: 0 });
    // Meanwhile the system of record reports that day.
    expect((await pollSource(db.sql, world.sources.motcua!, { secretKeyHex: world.secretKeyHex, window: { from: laterDay, to: laterDay } })).outcome).toBe('success');
    const approved = await approveUpload(db.sql, held.pendingUploadId!, { actor: admin, ip: null });
    expect(approved).toMatchObject({ ok: true, outcome: { accepted: 0, rejected: 1 }, rejections: [{ index: 1, reason: expect.stringMatching(/^khi duyệt: Xã Bình Minh \(10135\).*ưu tiên cao hơn/) }] });
    expect(await uploadSamples(db, '10135', laterDay)).toEqual([]);

    const other = await handleUpload(db.sql, 'tai-len-hoso', csv([['10135', addDays(day, -50)]]), '278', { actor: officer, ip: null });
    expect(await rejectUpload(db.sql, other.pendingUploadId!, { actor: admin, ip: null })).toMatchObject({ ok: true });
    expect(await uploadSamples(db, '10135', addDays(day, -50))).toEqual([]);
    expect(await approveUpload(db.sql, other.pendingUploadId!, { actor: admin, ip: null })).toMatchObject({ ok: false, status: 409, message: expect.stringMatching(/từ chối/) });
    const reviewed = await listUploads(db.sql, 'reviewed');
    expect(reviewed.map((u) => [u.status, u.reviewedBy])).toEqual([['rejected', 'Quản trị (admin-up)'], ['approved', 'Quản trị (admin-up)'], ['approved', 'Quản trị (admin-up)']]);
    const actions = await db.sql<{ action: string; actor_name: string }[]>`select action, actor_name from audit_log where entity in ('upload', 'setting') order by id`;
    expect(actions).toEqual([
      { action: 'update', actor_name: 'admin-up' },
      { action: 'approve_upload', actor_name: 'admin-up' },
      { action: 'approve_upload', actor_name: 'admin-up' },
      { action: 'reject_upload', actor_name: 'admin-up' }
    ]);
  });
});
