import { describe, expect, it } from 'vitest';
import type { JobStatus } from '#contract/jobs';
import { jobStatusWords, settled } from './job-status.ts';

const recompute = (s: Partial<JobStatus>): JobStatus => ({ kind: 'recompute', state: 'queued', done: 0, total: 8, error: null, finishedAt: null, poll: null, ...s });
const poll = (s: Partial<JobStatus>): JobStatus => ({ kind: 'poll', state: 'queued', done: 0, total: 1, error: null, finishedAt: null, poll: null, ...s });

describe('a job in words', () => {
  it('follows a recompute from queued to done, or to its failure with the reason', () => {
    expect(jobStatusWords(recompute({}))).toEqual({ text: 'Đang chờ tính lại 8 bảng xếp hạng…', tone: 'busy' });
    expect(jobStatusWords(recompute({ state: 'running', done: 3 })).text).toBe('Đang tính lại: xong 3/8 bảng xếp hạng…');
    expect(jobStatusWords(recompute({ state: 'retrying', done: 3, error: 'connection reset' })).text).toBe(
      'Đang thử lại (xong 3/8 bảng xếp hạng); lần trước lỗi: connection reset'
    );
    expect(jobStatusWords(recompute({ state: 'done', done: 8, finishedAt: '2026-11-20T07:05:00.000Z' }))).toEqual({
      text: 'Đã tính lại xong 8 bảng xếp hạng lúc 14:05 20/11.', tone: 'ok'
    });
    expect(jobStatusWords(recompute({ state: 'failed', done: 5, error: 'payload: period.start: must be the first day of its period' }))).toEqual({
      text: 'Tính lại thất bại (xong 5/8 bảng xếp hạng): payload: period.start: must be the first day of its period', tone: 'error'
    });
  });

  it('says what a poll now brought, or why it did not poll', () => {
    expect(jobStatusWords(poll({ state: 'running' })).text).toBe('Đang lấy số liệu…');
    const done = (p: Partial<NonNullable<JobStatus['poll']>>) =>
      jobStatusWords(poll({ state: 'done', done: 1, poll: { runId: 7, outcome: 'success', accepted: 1234, rejected: 0, error: null, skipped: null, ...p } }));
    expect(done({})).toEqual({ text: 'Lấy số liệu thành công: nhận 1.234 dòng.', tone: 'ok' });
    expect(done({ outcome: 'partial', rejected: 3 }).text).toBe('Lấy số liệu được một phần: nhận 1.234 dòng, loại 3 dòng.');
    expect(done({ outcome: 'failed', error: 'HTTP 503 from the source (after 2 attempts)' }).text).toBe('Lấy số liệu lỗi: HTTP 503 from the source (after 2 attempts)');
    expect(done({ outcome: 'skipped', runId: null, skipped: 'disabled' })).toEqual({ text: 'Không lấy số liệu: nguồn đang tắt.', tone: 'error' });
    expect(jobStatusWords(poll({ state: 'failed', error: 'boom' })).text).toBe('Lấy số liệu thất bại: boom');
  });

  it('follows a history load ("Nạp lịch sử") in its own words: windows done, values, failed windows', () => {
    const backfill = (s: Partial<JobStatus>, b: { samples?: number; rejected?: number; failed?: number } = {}): JobStatus => ({
      kind: 'backfill', state: 'running', done: 3, total: 14, error: null, finishedAt: null, poll: null,
      backfill: { sourceKey: 'cong-mot-cua', sourceName: 'Cổng một cửa', from: '2025-10-01', to: '2026-11-04', windows: [], samples: 12345, rejected: 2, failed: 1, ...b },
      ...s
    });
    expect(jobStatusWords(backfill({ state: 'queued', done: 0 }))).toEqual({ text: 'Đang chờ nạp lịch sử…', tone: 'busy' });
    expect(jobStatusWords(backfill({})).text).toBe('Đang nạp lịch sử: xong 3/14 cửa sổ, 12.345 số liệu, 1 cửa sổ lỗi…');
    expect(jobStatusWords(backfill({ state: 'done', done: 14, finishedAt: '2026-11-20T07:05:00.000Z' }))).toEqual({
      text: 'Đã nạp lịch sử lúc 14:05 20/11: 14 cửa sổ, 12.345 số liệu, loại 2 dòng, 1 cửa sổ lỗi.', tone: 'error'
    });
    expect(jobStatusWords(backfill({ state: 'done', done: 14, finishedAt: '2026-11-20T07:05:00.000Z' }, { failed: 0 })).tone).toBe('ok');
    expect(jobStatusWords(backfill({ state: 'failed', error: 'boom' })).text).toBe('Nạp lịch sử thất bại (xong 3/14 cửa sổ): boom');
    expect(jobStatusWords(backfill({}), 'en').text).toBe('Loading the history: 3/14 windows done, 12.345 values, failed windows: 1…');
  });

  it('speaks English on the switch, with vi-VN numbers', () => {
    expect(jobStatusWords(recompute({ state: 'running', done: 3 }), 'en').text).toBe('Recomputing: 3/8 boards done…');
    const done = jobStatusWords(poll({ state: 'done', done: 1, poll: { runId: 7, outcome: 'partial', accepted: 1234, rejected: 3, error: null, skipped: null } }), 'en');
    expect(done).toEqual({ text: 'Data partly fetched: 1.234 rows accepted, 3 rejected.', tone: 'error' });
    expect(jobStatusWords(poll({ state: 'done', poll: { runId: null, outcome: 'skipped', accepted: 0, rejected: 0, error: null, skipped: 'disabled' } }), 'en').text).toBe('No data fetched: the source is disabled.');
  });

  it('stops asking once done or failed', () => {
    expect([recompute({}), recompute({ state: 'running' }), recompute({ state: 'retrying' })].some(settled)).toBe(false);
    expect([recompute({ state: 'done' }), poll({ state: 'failed' })].every(settled)).toBe(true);
  });
});
